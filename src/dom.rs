//! The page's own elements, where the app works on markup it did not render: the server's
//! page it takes over, an article's body; and a file the browser saves.

use wasm_bindgen::JsCast;
use web_sys::{Blob, Element, HtmlAnchorElement, Url};

/// The elements under `root` that `selector` matches, in document order (none for a selector
/// the browser rejects).
pub fn elements(root: &Element, selector: &str) -> impl Iterator<Item = Element> {
    let matched = root.query_selector_all(selector).ok();
    let count = matched.as_ref().map_or(0, |list| list.length());
    (0..count).filter_map(move |index| matched.as_ref()?.item(index)?.dyn_into::<Element>().ok())
}

/// Has the browser save `blob` as a download named `file_name`, as a link with `download`
/// would; false when the browser refused.
pub fn save_file(blob: &Blob, file_name: &str) -> bool {
    let Ok(address) = Url::create_object_url_with_blob(blob) else {
        return false;
    };
    let link = leptos::prelude::document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<HtmlAnchorElement>().ok());
    if let Some(link) = &link {
        link.set_href(&address);
        link.set_download(file_name);
        link.click();
    }
    // Revoked at once, some browsers would cancel the download they have just begun; a minute
    // later it has its bytes, and the page lets them go.
    leptos::prelude::set_timeout(
        move || {
            let _ = Url::revoke_object_url(&address);
        },
        std::time::Duration::from_secs(60),
    );
    link.is_some()
}
