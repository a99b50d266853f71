use lantern_core::api::KbVotes;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::wizard::focus;
use crate::routes::contact_support_path;

const MESSAGE_ID: &str = "kb-helpful-message";

/// What the reader is told once their answer is in (or did not get through).
#[derive(Debug, Clone, PartialEq)]
enum Reply {
    Helped,
    NotHelped,
    TakenBack,
    Failed(String),
}

/// "Was this helpful?" Yes / No. The reader's own answer is pressed; pressing the other one
/// changes it, pressing it again takes it back. The totals are not shown: a new article's
/// "0 / 0" says nothing but that few people voted.
#[component]
pub fn HelpfulVote(slug: String, votes: KbVotes) -> impl IntoView {
    let mine = RwSignal::new(votes.mine);
    let busy = RwSignal::new(false);
    let reply = RwSignal::new(None::<Reply>);
    let slug = StoredValue::new(slug);
    let answer = move |helpful: bool| {
        if busy.get_untracked() {
            return;
        }
        let choice = (mine.get_untracked() != Some(helpful)).then_some(helpful);
        busy.set(true);
        spawn_local(async move {
            let result = api::kb_vote(&slug.get_value(), choice).await;
            busy.try_set(false);
            reply.try_set(Some(match result {
                Ok(updated) => {
                    mine.try_set(updated.mine);
                    thanks(choice)
                }
                Err(error) => Reply::Failed(error.to_string()),
            }));
            // The pressed button stays where it was, but what the reader needs next is the
            // answer: the related articles or a ticket after a "No".
            focus::element(MESSAGE_ID);
        });
    };
    view! {
        <section class="kb-helpful" aria-labelledby="kb-helpful-heading">
            <h2 id="kb-helpful-heading">"Was this helpful?"</h2>
            <div class="kb-helpful-buttons">
                <VoteButton
                    label="Yes"
                    pressed=Signal::derive(move || mine.get() == Some(true))
                    busy=busy.into()
                    on_press=Callback::new(move |()| answer(true))
                />
                <VoteButton
                    label="No"
                    pressed=Signal::derive(move || mine.get() == Some(false))
                    busy=busy.into()
                    on_press=Callback::new(move |()| answer(false))
                />
            </div>
            <p id=MESSAGE_ID class="kb-helpful-message" role="status" tabindex="-1">
                {move || reply.get().map(|reply| view! { <ReplyText reply slug=slug.get_value()/> })}
            </p>
        </section>
    }
}

/// A vote button; while an answer is on its way it says so instead of being disabled, which
/// would drop the keyboard focus to the page.
#[component]
fn VoteButton(
    label: &'static str,
    pressed: Signal<bool>,
    busy: Signal<bool>,
    on_press: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button kb-vote"
            aria-pressed=move || pressed.get().to_string()
            aria-disabled=move || busy.get().then_some("true")
            on:click=move |_| on_press.run(())
        >
            {label}
        </button>
    }
}

#[component]
fn ReplyText(reply: Reply, slug: String) -> impl IntoView {
    match reply {
        Reply::Helped => "Thanks! Glad it helped.".into_any(),
        Reply::NotHelped => view! {
            "Thanks for telling us. Try the related articles, or "
            <a href=contact_support_path(&slug)>"create a ticket"</a>
            "."
        }
        .into_any(),
        Reply::TakenBack => "Your answer was taken back.".into_any(),
        Reply::Failed(message) => message.into_any(),
    }
}

fn thanks(choice: Option<bool>) -> Reply {
    match choice {
        Some(true) => Reply::Helped,
        Some(false) => Reply::NotHelped,
        None => Reply::TakenBack,
    }
}
