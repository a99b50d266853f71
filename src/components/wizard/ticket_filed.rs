use lantern_core::conversation::TicketListItem;
use leptos::prelude::*;

use super::focus;
use super::suggested_articles::SolvedBy;
use crate::components::support::local_time::day_and_time;
use crate::routes::{article_path, ticket_path};

/// The element a finished wizard focuses.
pub const DONE_ID: &str = "wizard-done";

/// After a successful submission: the ticket number, the response target and what comes next.
#[component]
pub fn TicketFiled(ticket: TicketListItem) -> impl IntoView {
    // The wizard that led here is gone: the confirmation takes the keyboard focus.
    focus::element(DONE_ID);
    let ticket_path = ticket_path(&ticket.number);
    let due = ticket.response_due_at.map(|due| {
        view! {
            <p>"Support will respond by " <strong>{day_and_time(due)}</strong> " your time."</p>
        }
    });
    view! {
        <section class="wizard-done card" aria-labelledby="ticket-filed-title" tabindex="-1" id=DONE_ID>
            <h1 id="ticket-filed-title">"Ticket " {ticket.number.clone()} " is filed"</h1>
            <p class="lead">"Thank you. We have your ticket “" {ticket.subject.clone()} "”."</p>
            {due}
            <h2>"What happens next"</h2>
            <ul>
                <li>"You get an e-mail confirming the number " <strong>{ticket.number.clone()}</strong> "."</li>
                <li>"A support engineer reviews it and answers in the ticket; you get an e-mail for every reply."</li>
                <li>"Follow it and add information at any time on " <a href=ticket_path.clone()>"the ticket's page"</a> "."</li>
            </ul>
            <p><a class="button button-primary" href=ticket_path>"Open " {ticket.number}</a></p>
        </section>
    }
}

/// After "This solved my problem": no ticket needed.
#[component]
pub fn ProblemSolved(article: SolvedBy) -> impl IntoView {
    view! {
        <section class="wizard-done card" aria-labelledby="problem-solved-title" tabindex="-1" id=DONE_ID>
            <h1 id="problem-solved-title">"Glad that helped"</h1>
            <p class="lead">
                "We discarded your draft: no ticket was filed. “"
                <a href=article_path(&article.slug)>{article.title}</a>
                "” solved it."
            </p>
            <p>
                <a href="/">"Back to the knowledge base"</a> " · "
                <a href="/tickets">"Your tickets"</a>
            </p>
        </section>
    }
}
