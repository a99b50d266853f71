use lantern_core::policy::TicketField;
use lantern_core::ticket::TicketDraft;
use leptos::prelude::*;

use super::policy_names::PolicyNames;
use super::ticket_state::TicketState;

/// The ticket's details beside the conversation: case type, product details, environment and
/// contact, under the labels the wizard used, leaving out fields left empty. (The problem
/// itself and its files are the conversation's first message.)
#[component]
pub fn TicketFields(
    ticket: TicketState,
    #[prop(into)] names: Signal<PolicyNames>,
) -> impl IntoView {
    let submitted = Memo::new(move |_| ticket.read(|detail| Some(detail.submitted.clone())));
    move || {
        submitted.get().map(|draft| {
            let rows = move || {
                detail_rows(&draft, &names.get())
                    .into_iter()
                    .map(|(label, value)| view! { <div><dt>{label}</dt><dd class="submitted-value">{value}</dd></div> })
                    .collect_view()
            };
            view! {
                <section class="ticket-fields card" aria-labelledby="ticket-fields-title">
                    <h2 id="ticket-fields-title">"Ticket details"</h2>
                    <dl class="submitted-fields">{rows}</dl>
                </section>
            }
        })
    }
}

/// Label and value of every filled-in detail, in the wizard's order.
fn detail_rows(draft: &TicketDraft, names: &PolicyNames) -> Vec<(String, String)> {
    let contact = [
        draft.contact.name.as_str(),
        draft.contact.email.as_str(),
        draft.contact.phone.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let field = |field: TicketField, value: &String| (names.label(field), value.clone());
    [
        (
            names.label(TicketField::CaseType),
            names.case_type(&draft.case_type),
        ),
        (
            names.label(TicketField::Component),
            names.component(&draft.product, &draft.component),
        ),
        field(TicketField::Version, &draft.version),
        field(TicketField::OperatingSystem, &draft.operating_system),
        field(TicketField::ComputerId, &draft.computer_id),
        field(TicketField::Username, &draft.username),
        field(TicketField::RecentChanges, &draft.recent_changes),
        field(TicketField::Integrations, &draft.integrations),
        ("Contact".to_owned(), contact),
        ("Copied".to_owned(), draft.cc.join(", ")),
    ]
    .into_iter()
    .filter(|(_, value)| !value.trim().is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use lantern_core::ticket::TicketContact;

    use super::*;

    #[test]
    fn lists_only_filled_in_details_with_the_policys_names() {
        let draft = TicketDraft {
            product: "harbor-backup".into(),
            component: "agent".into(),
            case_type: "question".into(),
            computer_id: "3f2a-77".into(),
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
            components: BTreeMap::from([(
                ("harbor-backup".into(), "agent".into()),
                "Backup agent".into(),
            )]),
            field_labels: BTreeMap::from([(TicketField::ComputerId, "Computer".into())]),
            ..PolicyNames::default()
        };
        let rows = detail_rows(&draft, &names);
        assert_eq!(
            rows,
            vec![
                ("Case type".to_owned(), "Question / how-to".to_owned()),
                ("Component".to_owned(), "Backup agent".to_owned()),
                ("Computer".to_owned(), "3f2a-77".to_owned()),
                ("Contact".to_owned(), "Alice, alice@example.com".to_owned()),
            ]
        );
    }
}
