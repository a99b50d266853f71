use lantern_core::policy::{ChannelKind, ContactChannel, PublicPolicy};
use leptos::prelude::*;

/// How to reach support, with the severities each channel is meant for.
#[component]
pub fn ContactChannels(policy: PublicPolicy) -> impl IntoView {
    let items = policy
        .channels
        .iter()
        .map(|channel| {
            let used_for = policy
                .severities
                .iter()
                .filter(|severity| severity.channels.contains(&channel.id))
                .map(|severity| severity.name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <li class="channel">
                    <h3>{channel.label.clone()}</h3>
                    <p class="channel-address">{channel_link(channel)}</p>
                    {channel.availability.clone().map(|text| view! { <p>{text}</p> })}
                    <p class="channel-severities">
                        <span class="label">"For: "</span>
                        {used_for}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="channel-list">{items}</ul> }
}

fn channel_link(channel: &ContactChannel) -> impl IntoView + use<> {
    let href = match channel.kind {
        ChannelKind::Phone => format!("tel:{}", channel.address.replace(' ', "")),
        ChannelKind::Email => format!("mailto:{}", channel.address),
        ChannelKind::Portal | ChannelKind::Chat => channel.address.clone(),
    };
    let text = match channel.kind {
        ChannelKind::Portal => "Open a ticket".to_owned(),
        _ => channel.address.clone(),
    };
    view! { <a href=href>{text}</a> }
}
