use lantern_core::policy::{PublicPolicy, TicketField};
use lantern_core::ticket::{TicketDraft, WizardStep, size_text};
use leptos::prelude::*;

use super::attachment_drop_zone::kind_label;
use super::similar_ticket_hint::SimilarTicketHint;
use super::wizard_state::Wizard;

/// Step 6: everything on one page, each part with a way back to edit it.
#[component]
pub fn ReviewStep(wizard: Wizard) -> impl IntoView {
    let sections = WizardStep::ALL
        .into_iter()
        .filter(|step| *step != WizardStep::Review)
        .map(|step| view! { <ReviewSection wizard step/> })
        .collect_view();
    view! {
        <p>"Check what you are sending. Support sees exactly this."</p>
        <SimilarTicketHint wizard/>
        {sections}
    }
}

#[component]
fn ReviewSection(wizard: Wizard, step: WizardStep) -> impl IntoView {
    let heading_id = format!("review-{}", step.title().to_lowercase().replace(' ', "-"));
    let labelled_by = heading_id.clone();
    let rows = move || {
        let draft = wizard.draft.get();
        wizard
            .with_policy(|policy| review_rows(policy, &draft, step))
            .into_iter()
            .map(|(label, value)| {
                view! {
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                }
            })
            .collect_view()
    };
    view! {
        <section class="review-section" aria-labelledby=labelled_by>
            <div class="review-section-header">
                <h3 id=heading_id>{step.title()}</h3>
                <button
                    type="button"
                    class="button button-quiet"
                    aria-label=format!("Edit {}", step.title())
                    on:click=move |_| wizard.step.set(step)
                >
                    "Edit"
                </button>
            </div>
            <dl class="review-list">{rows}</dl>
        </section>
    }
}

const NOT_GIVEN: &str = "Not given";

/// Label and value of what one step collected, as the review shows them.
fn review_rows(
    policy: &PublicPolicy,
    draft: &TicketDraft,
    step: WizardStep,
) -> Vec<(String, String)> {
    let label = |field: TicketField| policy.field_text(field).label;
    let text = |value: &str| {
        if value.trim().is_empty() {
            NOT_GIVEN.to_owned()
        } else {
            value.to_owned()
        }
    };
    let product = policy.product(&draft.product);
    match step {
        WizardStep::Product => vec![
            (
                label(TicketField::Product),
                text(
                    &product
                        .map(|product| product.name.clone())
                        .unwrap_or_default(),
                ),
            ),
            (
                label(TicketField::Component),
                text(
                    &product
                        .and_then(|product| product.components.get(&draft.component))
                        .map(|component| component.name.clone())
                        .unwrap_or_default(),
                ),
            ),
            (label(TicketField::Version), text(&draft.version)),
            (
                label(TicketField::CaseType),
                text(
                    &policy
                        .case_type(&draft.case_type)
                        .map(|case_type| case_type.name.clone())
                        .unwrap_or_default(),
                ),
            ),
        ],
        WizardStep::Describe => {
            let mut rows = vec![
                (label(TicketField::Subject), text(&draft.subject)),
                (label(TicketField::Description), text(&draft.description)),
            ];
            rows.extend(filled(
                &label,
                [
                    (TicketField::StepsToReproduce, &draft.steps_to_reproduce),
                    (TicketField::ExpectedResult, &draft.expected_result),
                    (TicketField::ActualResult, &draft.actual_result),
                ],
            ));
            rows
        }
        WizardStep::Severity => vec![(
            label(TicketField::Severity),
            text(
                &policy
                    .severity(&draft.severity)
                    .map(|severity| severity.name.clone())
                    .unwrap_or_default(),
            ),
        )],
        WizardStep::Environment => {
            let mut rows = filled(
                &label,
                [
                    (TicketField::OperatingSystem, &draft.operating_system),
                    (TicketField::ComputerId, &draft.computer_id),
                    (TicketField::Username, &draft.username),
                    (TicketField::RecentChanges, &draft.recent_changes),
                    (TicketField::Integrations, &draft.integrations),
                ],
            );
            let files: Vec<String> = draft
                .attachments
                .iter()
                .map(|file| {
                    format!(
                        "{} ({}, {})",
                        file.name,
                        kind_label(file.kind),
                        size_text(file.size)
                    )
                })
                .collect();
            rows.push(("Files".to_owned(), text(&files.join("\n"))));
            rows
        }
        WizardStep::Contact => {
            let channel = policy
                .channel(&draft.contact.preferred_channel)
                .map_or_else(
                    || "No preference".to_owned(),
                    |channel| channel.label.clone(),
                );
            vec![
                ("Name".to_owned(), text(&draft.contact.name)),
                ("E-mail".to_owned(), text(&draft.contact.email)),
                (label(TicketField::ContactPhone), text(&draft.contact.phone)),
                ("Preferred way to reach you".to_owned(), channel),
                ("Copies to".to_owned(), text(&draft.cc.join(", "))),
            ]
        }
        WizardStep::Review => Vec::new(),
    }
}

/// The rows of the optional fields that were filled in.
fn filled<const N: usize>(
    label: &impl Fn(TicketField) -> String,
    fields: [(TicketField, &String); N],
) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(field, value)| (label(field), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use lantern_core::ticket::{AttachmentKind, AttachmentRef};

    use super::*;
    use crate::demo_policy::demo_policy;

    #[test]
    fn choices_read_as_their_names_and_blanks_say_so() {
        let draft = TicketDraft {
            product: "harbor-backup".into(),
            version: "8.2.1".into(),
            case_type: "question".into(),
            ..TicketDraft::default()
        };
        let rows = review_rows(&demo_policy(), &draft, WizardStep::Product);
        let values: Vec<&str> = rows.iter().map(|(_, value)| value.as_str()).collect();
        assert_eq!(
            values,
            ["Harbor Backup", NOT_GIVEN, "8.2.1", "Question / how-to"]
        );
    }

    #[test]
    fn optional_texts_show_only_when_filled_and_files_are_listed() {
        let draft = TicketDraft {
            operating_system: "Windows Server 2022".into(),
            attachments: vec![AttachmentRef {
                id: "a1".into(),
                name: "agent.log".into(),
                size: 2048,
                kind: AttachmentKind::Log,
            }],
            ..TicketDraft::default()
        };
        let rows = review_rows(&demo_policy(), &draft, WizardStep::Environment);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].1, "Windows Server 2022");
        assert_eq!(
            rows[1],
            ("Files".to_owned(), "agent.log (Log file, 2 KB)".to_owned())
        );
    }
}
