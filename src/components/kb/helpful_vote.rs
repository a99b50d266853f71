use lantern_core::api::KbVotes;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// "Was this helpful?" Yes / No with their counts. The reader's own answer is pressed; pressing
/// the other one changes it, pressing it again takes it back.
#[component]
pub fn HelpfulVote(slug: String, votes: KbVotes) -> impl IntoView {
    let votes = RwSignal::new(votes);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let slug = StoredValue::new(slug);
    let answer = move |helpful: bool| {
        let choice = (votes.with_untracked(|votes| votes.mine) != Some(helpful)).then_some(helpful);
        busy.set(true);
        spawn_local(async move {
            let result = api::kb_vote(&slug.get_value(), choice).await;
            busy.set(false);
            match result {
                Ok(updated) => {
                    votes.set(updated);
                    message.set(thanks(choice).to_owned());
                }
                Err(error) => message.set(error.to_string()),
            }
        });
    };
    view! {
        <section class="kb-helpful" aria-labelledby="kb-helpful-heading">
            <h2 id="kb-helpful-heading">"Was this helpful?"</h2>
            <div class="kb-helpful-buttons">
                <VoteButton
                    label="Yes"
                    pressed=Signal::derive(move || votes.with(|votes| votes.mine == Some(true)))
                    count=Signal::derive(move || votes.with(|votes| votes.helpful))
                    disabled=busy.into()
                    on_press=Callback::new(move |()| answer(true))
                />
                <VoteButton
                    label="No"
                    pressed=Signal::derive(move || votes.with(|votes| votes.mine == Some(false)))
                    count=Signal::derive(move || votes.with(|votes| votes.not_helpful))
                    disabled=busy.into()
                    on_press=Callback::new(move |()| answer(false))
                />
            </div>
            <p class="kb-helpful-message" role="status">{move || message.get()}</p>
        </section>
    }
}

#[component]
fn VoteButton(
    label: &'static str,
    pressed: Signal<bool>,
    count: Signal<u64>,
    disabled: Signal<bool>,
    on_press: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button kb-vote"
            aria-pressed=move || pressed.get().to_string()
            disabled=move || disabled.get()
            on:click=move |_| on_press.run(())
        >
            {label}
            <span class="kb-vote-count">{move || count.get()}</span>
        </button>
    }
}

fn thanks(choice: Option<bool>) -> &'static str {
    match choice {
        Some(true) => "Thanks! Glad it helped.",
        Some(false) => "Thanks for telling us. Try the related articles, or create a ticket.",
        None => "Your answer was taken back.",
    }
}
