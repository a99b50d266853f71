use lantern_core::ticket::TicketDraft;
use leptos::prelude::*;

use super::attachment_links::AttachmentLinks;
use super::policy_names::PolicyNames;
use super::ticket_state::TicketState;

/// Everything the customer submitted with the ticket, leaving out fields left empty.
#[component]
pub fn TicketFields(
    ticket: TicketState,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let submitted = Memo::new(move |_| ticket.read(|detail| Some(detail.submitted.clone())));
    move || {
        submitted.get().map(|draft| {
            let rows = submitted_rows(&draft, &names.get())
                .into_iter()
                .map(|(label, value)| view! { <div><dt>{label}</dt><dd class="submitted-value">{value}</dd></div> })
                .collect_view();
            view! {
                <section class="ticket-fields card" aria-labelledby="ticket-fields-title">
                    <h2 id="ticket-fields-title">"What you submitted"</h2>
                    <dl class="submitted-fields">{rows}</dl>
                    <AttachmentLinks files=draft.attachments.clone()/>
                </section>
            }
        })
    }
}

/// Label and value of every filled-in field, in the wizard's order.
fn submitted_rows(draft: &TicketDraft, names: &PolicyNames) -> Vec<(&'static str, String)> {
    let contact = [
        draft.contact.name.as_str(),
        draft.contact.email.as_str(),
        draft.contact.phone.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    [
        ("Case type", names.case_type(&draft.case_type)),
        ("Component", draft.component.clone()),
        ("Product version", draft.version.clone()),
        ("Description", draft.description.clone()),
        ("Steps to reproduce", draft.steps_to_reproduce.clone()),
        ("Expected result", draft.expected_result.clone()),
        ("Actual result", draft.actual_result.clone()),
        ("Operating system", draft.operating_system.clone()),
        ("Computer", draft.computer_id.clone()),
        ("User name", draft.username.clone()),
        ("Recent changes", draft.recent_changes.clone()),
        ("Integrations", draft.integrations.clone()),
        ("Contact", contact),
        ("Copied", draft.cc.join(", ")),
    ]
    .into_iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use lantern_core::ticket::TicketContact;

    use super::*;

    #[test]
    fn lists_only_filled_in_fields_with_policy_names() {
        let draft = TicketDraft {
            case_type: "question".into(),
            description: "Restore stops at 40 percent.".into(),
            contact: TicketContact {
                name: "Alice".into(),
                email: "alice@example.com".into(),
                ..TicketContact::default()
            },
            ..TicketDraft::default()
        };
        let names = PolicyNames {
            case_types: vec![("question".into(), "Question / how-to".into())],
            ..PolicyNames::default()
        };
        let rows = submitted_rows(&draft, &names);
        assert_eq!(
            rows,
            vec![
                ("Case type", "Question / how-to".to_owned()),
                ("Description", "Restore stops at 40 percent.".to_owned()),
                ("Contact", "Alice, alice@example.com".to_owned()),
            ]
        );
    }
}
