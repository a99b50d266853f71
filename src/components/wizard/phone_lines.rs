use lantern_core::policy::ContactChannel;
use leptos::prelude::*;

/// The policy's phone lines for the most severe problems, each a `tel:` link with when it is
/// staffed, after `intro`; nothing without any.
#[component]
pub fn PhoneLines(channels: Vec<ContactChannel>, intro: String) -> impl IntoView {
    if channels.is_empty() {
        return None;
    }
    let lines = channels
        .into_iter()
        .map(|channel| {
            let availability = channel
                .availability
                .map(|availability| format!(" ({availability})"));
            view! {
                <li>
                    {channel.label} ": "
                    <a href=format!("tel:{}", channel.address.replace(' ', ""))>{channel.address.clone()}</a>
                    {availability}
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <div class="severity-phone">
            <p>{intro}</p>
            <ul>{lines}</ul>
        </div>
    })
}
