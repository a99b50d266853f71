//! Telling the vendor's search analytics which listed article a reader opened: the home page's
//! search results and the ticket wizard's suggestions report the same way.

use leptos::ev::MouseEvent;
use leptos::task::spawn_local;

use crate::api;

/// Reports, in the background, that the reader opened the article `slug` listed at `position`
/// (0 = first, in the list as shown) of the server's answer `search_id`. Without an id (the
/// server has not answered what is shown, or the request went without a visit id) there is
/// nothing to count the click against, and nothing is sent.
pub fn record_opened(search_id: Option<&str>, slug: &str, position: usize) {
    let Some(search_id) = search_id else {
        return;
    };
    let (search_id, slug) = (search_id.to_owned(), slug.to_owned());
    spawn_local(async move {
        // Ignored: a lost click is a gap in a report, never something to show the reader or to
        // make them wait for.
        let _ = api::record_kb_click(&search_id, &slug, position).await;
    });
}

/// Whether an `auxclick` opens the link, in a new tab: the middle button, not the right one.
pub fn opens_link(event: &MouseEvent) -> bool {
    event.button() == 1
}
