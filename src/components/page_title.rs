use leptos::prelude::*;

const SITE_NAME: &str = "Lantern Support";

/// Sets the browser tab's title while the page that renders it is shown.
#[component]
pub fn PageTitle(#[prop(into)] text: Signal<String>) -> impl IntoView {
    Effect::new(move |_| {
        let title = text.with(|text| {
            if text.is_empty() {
                SITE_NAME.to_owned()
            } else {
                format!("{text} · {SITE_NAME}")
            }
        });
        document().set_title(&title);
    });
}
