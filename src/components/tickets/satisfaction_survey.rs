use lantern_core::conversation::{MAX_RATING, MIN_RATING, Survey, SurveyRequest, validate_survey};
use leptos::prelude::*;

use super::failure_notice::FailureNotice;
use super::ticket_state::TicketState;
use crate::api;
use crate::components::form::{Form, Submission, SubmitButton, TextArea};

/// Once the ticket is Solved or Closed: a rating from 1 to 5 and a comment, given once; after
/// that, the rating given.
#[component]
pub fn SatisfactionSurvey(ticket: TicketState) -> impl IntoView {
    let given = Memo::new(move |_| ticket.read(|detail| detail.survey.clone()));
    let can_rate = Memo::new(move |_| ticket.read(|detail| detail.actions.can_rate));
    move || match given.get() {
        Some(survey) => Some(view! { <GivenRating survey/> }.into_any()),
        None if can_rate.get() => Some(view! { <SurveyForm ticket/> }.into_any()),
        None => None,
    }
}

#[component]
fn GivenRating(survey: Survey) -> impl IntoView {
    view! {
        <section class="survey card" aria-labelledby="survey-title">
            <h2 id="survey-title">"Your rating"</h2>
            <p class="survey-given">
                {format!("You rated this ticket {} of {MAX_RATING}: {}.", survey.rating, rating_label(survey.rating))}
            </p>
            {(!survey.comment.trim().is_empty()).then(|| view! { <blockquote class="survey-comment">{survey.comment.clone()}</blockquote> })}
            <p class="field-help">"Thank you for your feedback."</p>
        </section>
    }
}

#[component]
fn SurveyForm(ticket: TicketState) -> impl IntoView {
    let rating = RwSignal::new(0_u8);
    let comment = RwSignal::new(String::new());
    let rate = Submission::new(move |survey: &SurveyRequest| {
        let survey = survey.clone();
        async move {
            ticket.accept(api::rate_ticket(&ticket.number(), &survey).await?);
            Ok(())
        }
    });
    let pending = rate.pending();
    let send = move || {
        let survey = SurveyRequest {
            rating: rating.get_untracked(),
            comment: comment.get_untracked(),
        };
        rate.submit_checked(survey.clone(), validate_survey(&survey));
    };
    let rating_error = rate.field("rating");
    let options = (MIN_RATING..=MAX_RATING)
        .map(|value| {
            let id = format!("rating-{value}");
            view! {
                <div class="rating-option">
                    <input
                        type="radio"
                        id=id.clone()
                        name="rating"
                        value=value
                        prop:checked=move || rating.get() == value
                        on:change=move |_| rating.set(value)
                    />
                    <label for=id>{format!("{value} – {}", rating_label(value))}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="survey card" aria-labelledby="survey-title">
            <h2 id="survey-title">"How did we do?"</h2>
            <Form pending on_submit=send label="Satisfaction survey" novalidate=true>
                <fieldset
                    class="field rating-group"
                    class:field-invalid=move || rating_error.get().is_some()
                    aria-describedby="rating-error"
                >
                    <legend>"How satisfied are you with the support on this ticket?"</legend>
                    <div class="rating-options">{options}</div>
                    <p id="rating-error" class="field-error" aria-live="polite">{move || rating_error.get()}</p>
                </fieldset>
                <TextArea label="Comment (optional)" name="comment" id="survey-comment" value=comment rows=3 error=rate.field("comment")/>
                <FailureNotice
                    error=rate.failure()
                    kept="Your rating was not sent. What you chose and wrote is kept here."
                    on_retry=move |_| send()
                    pending
                />
                <div class="form-actions">
                    <SubmitButton label="Send rating" pending busy_label="Sending…"/>
                </div>
            </Form>
        </section>
    }
}

fn rating_label(rating: u8) -> &'static str {
    match rating {
        1 => "very dissatisfied",
        2 => "dissatisfied",
        3 => "neutral",
        4 => "satisfied",
        _ => "very satisfied",
    }
}
