use lantern_core::api::Me;
use lantern_core::policy::PolicyView;
use lantern_core::ticket::TicketDraftStoreFields;
use lantern_core::ticket::{TicketContact, TicketCreated, TicketDraft, WizardStep, validate_draft};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::contact_step::ContactStep;
use super::describe_step::DescribeStep;
use super::discard_draft::DiscardDraft;
use super::draft_storage::{self, SavedDraft};
use super::environment_step::EnvironmentStep;
use super::focus;
use super::product_step::ProductStep;
use super::review_step::ReviewStep;
use super::severity_picker::SeverityPicker;
use super::step_indicator::StepIndicator;
use super::submit_failure::SubmitFailure;
use super::suggested_articles::SolvedBy;
use super::ticket_filed::{DONE_ID, ProblemSolved};
use super::wizard_state::{FieldErrors, ServerVerdict, Wizard};
use crate::api::{self, ApiError};
use crate::components::form::{Form, SubmitButton};
use crate::routes::{DONE_PARAMETER, article_path, finished_wizard_path, ticket_filed_path};

const STEP_HEADING_ID: &str = "wizard-step-title";
/// The six-step new-ticket wizard for `me`, starting from the saved draft if there is one.
#[component]
pub fn TicketWizard(
    policy: PolicyView,
    me: Me,
    /// Subject to start a new draft with (from the knowledge base's "Create a ticket").
    subject: Option<String>,
    /// The slug of the article the customer read before contacting support, noted in a new
    /// draft's description so support does not point them to it again.
    read_article: Option<String>,
) -> impl IntoView {
    let user_id = me.id;
    let fresh = StoredValue::new(fresh_draft(&me, subject, read_article.as_deref()));
    let saved =
        draft_storage::load(user_id).unwrap_or_else(|| SavedDraft::fresh(fresh.get_value()));
    let wizard = Wizard::new(policy, &saved.draft, saved.step);
    let idempotency_key = RwSignal::new(saved.idempotency_key);
    let solved = RwSignal::new(None::<SolvedBy>);
    let draft_saved = keep_draft_saved(user_id, wizard, idempotency_key, fresh);

    let navigate = use_navigate();
    let on_solved = Callback::new({
        let navigate = navigate.clone();
        move |article: SolvedBy| {
            let slug = article.slug.clone();
            // The customer is done either way; a lost count must not keep them here.
            spawn_local(async move {
                let _ = api::record_deflection(&slug).await;
            });
            draft_storage::clear(user_id);
            solved.set(Some(article));
            mark_done_in_address(&navigate);
            focus::element(DONE_ID);
        }
    });
    let on_filed = Callback::new(move |ticket: TicketCreated| {
        draft_storage::clear(user_id);
        navigate(&ticket_filed_path(&ticket.number), replacing());
    });
    let on_discard = Callback::new(move |()| {
        delete_uploads(wizard);
        start_over(wizard, idempotency_key, fresh);
        draft_storage::clear(user_id);
        focus::element(STEP_HEADING_ID);
    });
    restart_when_opened_again(wizard, idempotency_key, fresh, solved);
    let plan = me.organisation.plan.clone();
    let own_email = me.email.clone();
    let entered_anything = move || fresh.with_value(|fresh| *fresh != wizard.draft.get());

    move || match solved.get() {
        Some(article) => view! { <ProblemSolved article/> }.into_any(),
        None => view! {
            <h1>"New ticket"</h1>
            <StepIndicator step=wizard.step/>
            <WizardForm
                wizard
                idempotency_key
                draft_saved
                plan=plan.clone()
                own_email=own_email.clone()
                on_solved
                on_filed
            />
            <Show when=entered_anything>
                <DiscardDraft on_discard/>
            </Show>
        }
        .into_any(),
    }
}

/// The current step's form with Back, Next and, on the last step, Submit.
#[component]
fn WizardForm(
    wizard: Wizard,
    idempotency_key: RwSignal<String>,
    /// Whether the browser kept the latest draft.
    draft_saved: Signal<bool>,
    plan: String,
    own_email: String,
    on_solved: Callback<SolvedBy>,
    on_filed: Callback<TicketCreated>,
) -> impl IntoView {
    let step = wizard.step;
    let pending = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<ApiError>);
    let on_submit = move || {
        if step.get_untracked() == WizardStep::Review {
            submit(wizard, idempotency_key, pending, submit_error, on_filed);
        } else {
            next(wizard);
        }
    };
    let back = move |_| {
        if let Some(previous) = neighbour(step.get_untracked(), -1) {
            step.set(previous);
            focus::element(STEP_HEADING_ID);
        }
    };
    let body = move || match step.get() {
        WizardStep::Product => view! { <ProductStep wizard/> }.into_any(),
        WizardStep::Describe => view! { <DescribeStep wizard on_solved/> }.into_any(),
        WizardStep::Severity => view! { <SeverityPicker wizard plan=plan.clone()/> }.into_any(),
        WizardStep::Environment => view! { <EnvironmentStep wizard/> }.into_any(),
        WizardStep::Contact => {
            view! { <ContactStep wizard own_email=own_email.clone()/> }.into_any()
        }
        WizardStep::Review => view! { <ReviewStep wizard/> }.into_any(),
    };
    let network_failed = move || submit_error.with(|error| error == &Some(ApiError::Network));
    view! {
        <div class="wizard-form">
            <Form pending on_submit label="New ticket" novalidate=true>
                <h2 id=STEP_HEADING_ID class="wizard-step-title" tabindex="-1">
                    {move || step_heading(step.get())}
                </h2>
                <ErrorSummary wizard/>
                {body}
                <SubmitFailure wizard error=submit_error draft_saved/>
                <div class="form-actions wizard-actions">
                    <Show when=move || step.get() != WizardStep::Product>
                        <button type="button" class="button button-quiet" on:click=back>"Back"</button>
                    </Show>
                    {move || {
                        if step.get() == WizardStep::Review {
                            let label = if network_failed() { "Try again" } else { "Submit ticket" };
                            view! { <SubmitButton label pending busy_label="Submitting…"/> }.into_any()
                        } else {
                            view! { <button type="submit" class="button button-primary">"Next"</button> }
                                .into_any()
                        }
                    }}
                </div>
            </Form>
        </div>
    }
}

/// Announces how many fields need attention after a "Next" or submit that found problems.
#[component]
fn ErrorSummary(wizard: Wizard) -> impl IntoView {
    let count = move || wizard.errors.with(FieldErrors::len);
    // Messages about no field of any step (the server may send those) are listed here, as
    // nothing else would show them.
    let unplaced = move || {
        wizard.errors.with(|errors| {
            errors
                .iter()
                .filter(|(key, _)| WizardStep::step_of(key) == WizardStep::Review)
                .map(|(_, message)| view! { <li>{message.to_owned()}</li> })
                .collect_view()
        })
    };
    view! {
        <div class="wizard-error-summary" role="alert">
            {move || {
                let count = count();
                (count > 0).then(|| view! {
                    <p>{attention_text(count)}</p>
                    <ul>{unplaced}</ul>
                })
            }}
        </div>
    }
}

fn attention_text(count: usize) -> String {
    if count == 1 {
        "One field needs your attention.".to_owned()
    } else {
        format!("{count} fields need your attention.")
    }
}

/// "Next": the one validation function checks this step; only a clean step moves on. A step
/// with problems is checked again on every change from then on.
fn next(wizard: Wizard) {
    let step = wizard.step.get_untracked();
    let draft = wizard.draft.get();
    let errors = wizard.with_policy(|policy| validate_draft(policy, &draft, Some(step)));
    if !errors.is_empty() {
        wizard.checked_steps.update(|checked| {
            checked.insert(step);
        });
        focus::first_invalid_field();
        return;
    }
    if let Some(following) = neighbour(step, 1) {
        wizard.step.set(following);
        focus::element(STEP_HEADING_ID);
    }
}

/// Sends the whole draft once; the idempotency key makes a retry give the same ticket.
fn submit(
    wizard: Wizard,
    idempotency_key: RwSignal<String>,
    pending: RwSignal<bool>,
    submit_error: RwSignal<Option<ApiError>>,
    on_filed: Callback<TicketCreated>,
) {
    let draft = wizard.draft.get();
    let errors = wizard.with_policy(|policy| validate_draft(policy, &draft, None));
    if !errors.is_empty() {
        wizard
            .checked_steps
            .set(WizardStep::ALL.into_iter().collect());
        go_to_first_error(wizard, &errors);
        return;
    }
    pending.set(true);
    submit_error.set(None);
    wizard.server_verdict.set(None);
    let key = idempotency_key.get_untracked();
    spawn_local(async move {
        let result = api::create_ticket(&draft, &key).await;
        pending.try_set(false);
        match result {
            Ok(ticket) => on_filed.run(ticket),
            Err(ApiError::Http { fields, .. }) if !fields.is_empty() => {
                go_to_first_error(wizard, &fields);
                wizard.server_verdict.try_set(Some(ServerVerdict {
                    judged: draft,
                    errors: fields,
                }));
            }
            Err(error) if is_idempotency_conflict(&error) => {
                // An earlier attempt of this draft was filed although its answer got lost, and
                // the draft changed since: the next submit files the changed draft anew.
                idempotency_key.try_set(draft_storage::new_idempotency_key());
                submit_error.try_set(Some(already_filed(error)));
            }
            Err(error) => {
                submit_error.try_set(Some(error));
            }
        }
    });
}

fn is_idempotency_conflict(error: &ApiError) -> bool {
    matches!(error, ApiError::Http { code, .. } if code == "idempotency_conflict")
}

/// The conflict in the customer's words.
fn already_filed(error: ApiError) -> ApiError {
    match error {
        ApiError::Http {
            status,
            code,
            fields,
            retry_after,
            ..
        } => ApiError::Http {
            status,
            code,
            message: "An earlier attempt with this draft already reached us as a ticket; see \
                      My tickets. To file this version as another ticket, submit again."
                .to_owned(),
            fields,
            retry_after,
        },
        other => other,
    }
}

/// Goes to the first step with an error, where the first invalid field gets the focus.
fn go_to_first_error(wizard: Wizard, errors: &FieldErrors) {
    let Some(first) = errors.fields().map(WizardStep::step_of).min() else {
        return;
    };
    wizard.step.set(first);
    focus::first_invalid_field();
}

/// Saves the draft on every change, and forgets it while it is still untouched, so a
/// knowledge-base "Create a ticket" link can start a new one with its subject. Says whether the
/// browser kept the latest draft (private browsing or a full storage may refuse it).
fn keep_draft_saved(
    user_id: i64,
    wizard: Wizard,
    idempotency_key: RwSignal<String>,
    fresh: StoredValue<TicketDraft>,
) -> Signal<bool> {
    let saved = RwSignal::new(true);
    Effect::new(move |_| {
        let draft = wizard.draft.get();
        let step = wizard.step.get();
        let untouched = step == WizardStep::Product && fresh.with_value(|fresh| *fresh == draft);
        if untouched {
            draft_storage::clear(user_id);
        } else {
            let idempotency_key = idempotency_key.get();
            saved.set(draft_storage::save(
                user_id,
                &SavedDraft {
                    draft,
                    step,
                    idempotency_key,
                },
            ));
        }
    });
    saved.into()
}

/// Back to an empty first step with a new idempotency key.
fn start_over(wizard: Wizard, idempotency_key: RwSignal<String>, fresh: StoredValue<TicketDraft>) {
    let restart = SavedDraft::fresh(fresh.get_value());
    wizard.draft.set(restart.draft.clone());
    wizard.clear_errors();
    wizard.step.set(WizardStep::Product);
    idempotency_key.set(restart.idempotency_key);
}

/// Marks the end of the wizard in the address (`?done=1`), so that "New ticket" in the header,
/// which leads to this very page without it, can start a new ticket.
fn mark_done_in_address(navigate: &impl Fn(&str, NavigateOptions)) {
    let options = NavigateOptions {
        scroll: false,
        ..replacing()
    };
    navigate(&finished_wizard_path(), options);
}

/// In place of the current page in the history: "back" does not return to a finished wizard.
fn replacing() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}

/// Starts a new ticket when the address loses its `?done=1` mark after the wizard ended.
fn restart_when_opened_again(
    wizard: Wizard,
    idempotency_key: RwSignal<String>,
    fresh: StoredValue<TicketDraft>,
    solved: RwSignal<Option<SolvedBy>>,
) {
    let query = use_query_map();
    Effect::new(move |was_marked: Option<bool>| {
        let marked = query.with(|query| query.get(DONE_PARAMETER).is_some());
        if was_marked == Some(true) && !marked && solved.with_untracked(Option::is_some) {
            // A subject or a read article from a knowledge-base link belonged to the ticket
            // just finished.
            fresh.update_value(|draft| {
                draft.subject.clear();
                draft.description.clear();
            });
            start_over(wizard, idempotency_key, fresh);
            solved.set(None);
        }
        marked
    });
}

/// Uploaded files of a discarded draft are deleted on the server too; best effort.
fn delete_uploads(wizard: Wizard) {
    let ids: Vec<String> = wizard
        .draft
        .attachments()
        .get_untracked()
        .into_iter()
        .map(|file| file.id)
        .collect();
    spawn_local(async move {
        for id in ids {
            let _ = api::delete_attachment(&id).await;
        }
    });
}

/// A new draft with the contact filled in from the account.
fn fresh_draft(me: &Me, subject: Option<String>, read_article: Option<&str>) -> TicketDraft {
    TicketDraft {
        subject: subject.unwrap_or_default(),
        description: read_article.map(read_article_note).unwrap_or_default(),
        contact: TicketContact {
            name: me.name.clone(),
            email: me.email.clone(),
            ..TicketContact::default()
        },
        ..TicketDraft::default()
    }
}

/// What a description starts with after the article `slug` did not help: its full address,
/// which support can open from the ticket (or its mail), below room for the customer's words.
fn read_article_note(slug: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!(
        "\n\nI read this article before contacting support: {origin}{}",
        article_path(slug)
    )
}

/// The step `offset` places away from `step`, if there is one.
fn neighbour(step: WizardStep, offset: isize) -> Option<WizardStep> {
    let position = WizardStep::ALL
        .iter()
        .position(|candidate| *candidate == step)?;
    let wanted = position.checked_add_signed(offset)?;
    WizardStep::ALL.get(wanted).copied()
}

/// "Step 2 of 6: Describe the problem".
fn step_heading(step: WizardStep) -> String {
    let number = WizardStep::ALL
        .iter()
        .position(|candidate| *candidate == step)
        .map_or(0, |position| position + 1);
    format!(
        "Step {number} of {}: {}",
        WizardStep::ALL.len(),
        step.title()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_have_neighbours_within_the_wizard() {
        assert_eq!(
            neighbour(WizardStep::Product, 1),
            Some(WizardStep::Describe)
        );
        assert_eq!(neighbour(WizardStep::Product, -1), None);
        assert_eq!(neighbour(WizardStep::Review, 1), None);
        assert_eq!(neighbour(WizardStep::Review, -1), Some(WizardStep::Contact));
    }

    #[test]
    fn the_heading_says_where_the_customer_is() {
        assert_eq!(
            step_heading(WizardStep::Describe),
            "Step 2 of 6: Describe the problem"
        );
    }
}
