use leptos::prelude::*;

use crate::routes::contact_support_path;

/// The end of an article: a way on to support for the reader it did not help, with the article
/// noted in the ticket as read.
#[component]
pub fn StillNeedHelp(slug: String) -> impl IntoView {
    view! {
        <section class="kb-still-need-help" aria-labelledby="kb-still-need-help-heading">
            <h2 id="kb-still-need-help-heading">"Still need help?"</h2>
            <p>
                <a class="button button-primary" href=contact_support_path(&slug)>"Contact support"</a>
            </p>
        </section>
    }
}
