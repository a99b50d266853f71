use lantern_core::ticket::{AttachmentRef, size_text};
use leptos::prelude::*;

use crate::api;
use crate::components::wizard::kind_label;

/// Download links for a ticket's or a reply's files.
#[component]
pub fn AttachmentLinks(files: Vec<AttachmentRef>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        let items = files
            .into_iter()
            .map(|file| {
                view! {
                    <li>
                        <a href=api::attachment_url(&file.id) download=file.name.clone()>{file.name.clone()}</a>
                        <span class="attachment-meta">" (" {kind_label(file.kind)} ", " {size_text(file.size)} ")"</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="attachment-links" aria-label="Attached files">{items}</ul> }
    })
}
