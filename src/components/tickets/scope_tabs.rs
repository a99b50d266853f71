use lantern_core::conversation::{TicketListQuery, TicketScope};
use leptos::prelude::*;

use super::list_address::list_name;
use crate::routes::ticket_list_path;

/// "My tickets | Organisation tickets" for organisation admins: two links, so each view has
/// its own address.
#[component]
pub fn ScopeTabs(#[prop(into)] filters: Signal<TicketListQuery>) -> impl IntoView {
    let tab = move |scope: TicketScope| {
        let href = move || {
            let mut next = filters.get();
            next.scope = Some(scope);
            ticket_list_path(&next)
        };
        let current = move || (filters.get().scope.unwrap_or_default() == scope).then_some("page");
        view! { <a class="scope-tab" href=href aria-current=current>{list_name(scope)}</a> }
    };
    view! {
        <nav class="scope-tabs" aria-label="Whose tickets">
            {tab(TicketScope::Mine)}
            {tab(TicketScope::Organisation)}
        </nav>
    }
}
