use leptos::prelude::*;

use crate::api;
use crate::dom::save_file;

const NOT_SAVED: &str = "Your browser did not save the file. Check that it allows downloads from this site, then try again.";

/// "Download your data": fetches the ZIP of everything Lantern holds about the person and has
/// the browser save it. A refusal (the hour's downloads used, the server busy) or a lost
/// connection is said beside the button, never saved as the file.
#[component]
pub fn DataDownload() -> impl IntoView {
    let download = Action::new_local(|(): &()| async {
        let (zip, file_name) = api::download_my_data().await.map_err(|error| {
            if error.status() == Some(429) {
                format!(
                    "You have downloaded your data as often as an hour allows. {}",
                    error.when_to_retry()
                )
            } else {
                error.to_string()
            }
        })?;
        save_file(&zip, &file_name)
            .then_some(())
            .ok_or_else(|| NOT_SAVED.to_owned())
    });
    let pending = download.pending();
    let start = move |_| {
        download.clear();
        download.dispatch_local(());
    };
    let failure = move || {
        download.value().with(|value| {
            let message = value.as_ref()?.as_ref().err()?.clone();
            Some(view! { <p class="form-error" role="alert">{message}</p> })
        })
    };
    view! {
        <p>
            <button type="button" class="button button-quiet" disabled=move || pending.get()
                on:click=start>
                {move || if pending.get() { "Preparing your data…" } else { "Download your data" }}
            </button>
        </p>
        {failure}
    }
}
