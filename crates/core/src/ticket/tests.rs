//! The wizard's validation against the shipped default policy.

use super::*;

const DEFAULT: &str = include_str!("../../../../policies/default.toml");

fn policy() -> Policy {
    Policy::from_toml_str(DEFAULT).expect("policies/default.toml is valid")
}

fn attachment(kind: AttachmentKind) -> AttachmentRef {
    AttachmentRef {
        id: format!("upload-{}", kind.as_str()),
        name: "file".into(),
        size: 10,
        kind,
    }
}

/// A draft that satisfies every case type of the default policy.
fn complete_draft(case_type: &str) -> TicketDraft {
    TicketDraft {
        product: "harbor-backup".into(),
        component: "agent".into(),
        version: "8.2.1".into(),
        case_type: case_type.into(),
        subject: "Nightly backup fails".into(),
        description: "Since Monday the nightly backup of the file server stops at 40 %.".into(),
        steps_to_reproduce: "Start a backup of the file server.".into(),
        expected_result: "The backup finishes.".into(),
        actual_result: "Error E1042 at 40 %.".into(),
        severity: "major".into(),
        operating_system: "Windows Server 2022".into(),
        computer_id: "0f3c".into(),
        username: "alice".into(),
        recent_changes: "Upgraded to 8.2.1 last week.".into(),
        integrations: "none".into(),
        attachments: vec![
            attachment(AttachmentKind::Log),
            attachment(AttachmentKind::Screenshot),
        ],
        contact: TicketContact {
            name: "Alice Andersen".into(),
            email: "alice@northwind.example".into(),
            phone: "+44 20 7946 0142".into(),
            preferred_channel: "email".into(),
        },
        cc: vec!["bob@northwind.example".into()],
    }
}

fn changed(before: &TicketDraft, after: &TicketDraft, key: &str) -> bool {
    DraftChanges::between(before, after).changed(key)
}

/// Empties one field of a draft the way a customer would leave it blank.
fn clear(draft: &mut TicketDraft, field: TicketField) {
    match field {
        TicketField::Product => draft.product.clear(),
        TicketField::Component => draft.component.clear(),
        TicketField::Version => draft.version.clear(),
        TicketField::CaseType => draft.case_type.clear(),
        TicketField::Subject => draft.subject.clear(),
        TicketField::Description => draft.description.clear(),
        TicketField::StepsToReproduce => draft.steps_to_reproduce = "  ".into(),
        TicketField::ExpectedResult => draft.expected_result.clear(),
        TicketField::ActualResult => draft.actual_result.clear(),
        TicketField::Severity => draft.severity.clear(),
        TicketField::OperatingSystem => draft.operating_system.clear(),
        TicketField::ComputerId => draft.computer_id.clear(),
        TicketField::Username => draft.username.clear(),
        TicketField::RecentChanges => draft.recent_changes.clear(),
        TicketField::Integrations => draft.integrations.clear(),
        TicketField::Logs => draft
            .attachments
            .retain(|file| file.kind != AttachmentKind::Log),
        TicketField::Screenshots => draft
            .attachments
            .retain(|file| file.kind != AttachmentKind::Screenshot),
        TicketField::ContactPhone => draft.contact.phone.clear(),
    }
}

#[test]
fn a_complete_draft_of_every_case_type_is_valid() {
    let policy = policy();
    for case_type in policy.case_types.iter() {
        let errors = validate_draft(&policy, &complete_draft(&case_type.id), None);
        assert!(errors.is_empty(), "{}: {errors:?}", case_type.id);
    }
}

#[test]
fn each_missing_required_field_of_each_case_type_gets_its_own_error() {
    let policy = policy();
    let mut checked = 0;
    for case_type in policy.case_types.iter() {
        for field in &case_type.required {
            let mut draft = complete_draft(&case_type.id);
            clear(&mut draft, *field);
            let errors = validate_draft(&policy, &draft, None);
            let key = error_key(*field);
            assert_eq!(
                errors.fields().collect::<Vec<_>>(),
                vec![key],
                "{} without {key}: {errors:?}",
                case_type.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "the default policy requires too little");
}

#[test]
fn optional_fields_of_a_case_type_may_stay_empty() {
    let policy = policy();
    let mut draft = complete_draft("question");
    for field in [
        TicketField::OperatingSystem,
        TicketField::StepsToReproduce,
        TicketField::Logs,
        TicketField::ContactPhone,
    ] {
        clear(&mut draft, field);
    }
    draft.component.clear();
    assert_eq!(validate_draft(&policy, &draft, None), FieldErrors::new());
}

#[test]
fn an_empty_draft_names_every_field_every_ticket_needs() {
    let errors = validate_draft(&policy(), &TicketDraft::default(), None);
    for key in [
        "product",
        "case_type",
        "subject",
        "description",
        "severity",
        CONTACT_NAME,
        CONTACT_EMAIL,
    ] {
        assert!(errors.contains(key), "no error for {key}: {errors:?}");
    }
}

/// Changes a valid draft the way a hand-made request would.
type Tamper = fn(&mut TicketDraft);

#[test]
fn ids_the_policy_does_not_offer_are_refused() {
    let policy = policy();
    let tampered: [(&str, Tamper); 6] = [
        ("product", |draft| draft.product = "rocket-launcher".into()),
        ("component", |draft| draft.component = "mobile".into()),
        ("version", |draft| draft.version = "9.9.9".into()),
        ("case_type", |draft| draft.case_type = "refund".into()),
        ("severity", |draft| draft.severity = "apocalyptic".into()),
        (CONTACT_PREFERRED_CHANNEL, |draft| {
            draft.contact.preferred_channel = "pigeon".into()
        }),
    ];
    for (key, tamper) in tampered {
        let mut draft = complete_draft("product_error");
        tamper(&mut draft);
        let errors = validate_draft(&policy, &draft, None);
        let message = errors
            .get(key)
            .unwrap_or_else(|| panic!("{key}: {errors:?}"));
        assert!(message.contains("not offered"), "{key}: {message}");
    }
}

#[test]
fn a_short_description_and_a_long_subject_are_refused() {
    let policy = policy();
    let mut draft = complete_draft("question");
    draft.description = "help".into();
    draft.subject = "s".repeat(MAX_SUBJECT_LENGTH + 1);
    let errors = validate_draft(&policy, &draft, None);
    assert!(errors["description"].contains("20"), "{errors:?}");
    assert!(errors["subject"].contains("200"), "{errors:?}");
}

#[test]
fn contact_and_cc_addresses_must_look_like_addresses() {
    let policy = policy();
    let mut draft = complete_draft("question");
    draft.contact.email = "alice".into();
    draft.contact.phone = "call me".into();
    draft.cc = vec!["bob@northwind.example".into(), "not-an-address".into()];
    let errors = validate_draft(&policy, &draft, None);
    assert!(errors.contains(CONTACT_EMAIL), "{errors:?}");
    assert!(errors.contains(CONTACT_PHONE), "{errors:?}");
    assert!(errors[CC].contains("not-an-address"), "{errors:?}");
}

#[test]
fn step_validation_reports_only_that_steps_fields() {
    let policy = policy();
    let empty = TicketDraft::default();
    for step in WizardStep::ALL {
        let errors = validate_draft(&policy, &empty, Some(step));
        if step == WizardStep::Review {
            assert_eq!(errors, validate_draft(&policy, &empty, None));
            continue;
        }
        for key in errors.fields() {
            assert_eq!(WizardStep::step_of(key), step, "{key} reported on {step:?}");
        }
        if matches!(
            step,
            WizardStep::Product | WizardStep::Describe | WizardStep::Severity | WizardStep::Contact
        ) {
            assert!(
                !errors.is_empty(),
                "{step:?} found nothing to complain about"
            );
        }
    }
}

#[test]
fn the_environment_step_asks_for_the_logs_of_a_product_error() {
    let mut draft = complete_draft("product_error");
    clear(&mut draft, TicketField::Logs);
    clear(&mut draft, TicketField::Subject);
    let errors = validate_draft(&policy(), &draft, Some(WizardStep::Environment));
    assert_eq!(errors.fields().collect::<Vec<_>>(), vec!["logs"]);
}

#[test]
fn every_field_maps_back_to_the_step_that_asks_for_it() {
    assert_eq!(WizardStep::step_of("version"), WizardStep::Product);
    assert_eq!(
        WizardStep::step_of("steps_to_reproduce"),
        WizardStep::Describe
    );
    assert_eq!(WizardStep::step_of("logs"), WizardStep::Environment);
    assert_eq!(WizardStep::step_of("contact_phone"), WizardStep::Contact);
    assert_eq!(WizardStep::step_of(CONTACT_EMAIL), WizardStep::Contact);
    assert_eq!(WizardStep::step_of("something_else"), WizardStep::Review);
}

#[test]
fn an_old_major_version_warns_but_is_valid() {
    let policy = policy();
    let mut draft = complete_draft("question");
    draft.version = "6.9.5".into();
    assert!(validate_draft(&policy, &draft, None).is_empty());
    let warning = version_warning(&policy, &draft).expect("6.x is unsupported");
    assert!(warning.contains("8 and 7"), "{warning}");
    draft.version = "7.3.0".into();
    assert_eq!(version_warning(&policy, &draft), None);
}

#[test]
fn a_partial_draft_deserialises_with_defaults() {
    let draft: TicketDraft =
        serde_json::from_str(r#"{"product":"relay-sync","contact":{"name":"Alice"}}"#).unwrap();
    assert_eq!(draft.product, "relay-sync");
    assert_eq!(draft.contact.name, "Alice");
    assert!(draft.attachments.is_empty());
}

#[test]
fn ticket_numbers_are_padded() {
    assert_eq!(ticket_number(123), "LAN-000123");
    assert_eq!(ticket_number(1_234_567), "LAN-1234567");
}

#[test]
fn ticket_numbers_read_in_any_case() {
    assert_eq!(canonical_ticket_number(" lan-000001 "), "LAN-000001");
    assert_eq!(canonical_ticket_number("LAN-000001"), ticket_number(1));
}

#[test]
fn case_folding_covers_more_than_ascii() {
    assert_eq!(fold_case("Überwachung"), fold_case("überwachung"));
    assert_eq!(fold_case("ÉCHEC de SAUVEGARDE"), "échec de sauvegarde");
}

#[test]
fn a_subject_of_a_character_or_two_is_refused_but_a_few_words_pass() {
    let policy = policy();
    let mut draft = complete_draft("question");
    for short in ["x", "  help  ", &"s".repeat(MIN_SUBJECT_LENGTH - 1)] {
        draft.subject = short.to_owned();
        let errors = validate_draft(&policy, &draft, Some(WizardStep::Describe));
        assert!(
            errors["subject"].contains(&MIN_SUBJECT_LENGTH.to_string()),
            "{short:?}: {errors:?}"
        );
    }
    draft.subject = "s".repeat(MIN_SUBJECT_LENGTH);
    assert_eq!(validate_draft(&policy, &draft, None), FieldErrors::new());
}

#[test]
fn a_server_error_stands_until_its_own_field_changes() {
    let before = complete_draft("product_error");
    let mut after = before.clone();
    after.operating_system = "macOS 15".into();
    assert!(changed(&before, &after, "operating_system"));
    assert!(!changed(&before, &after, "subject"));
    assert!(!changed(&before, &after, "a key of no field"));

    after.attachments[0].id = "another-upload".into();
    assert!(changed(&before, &after, "attachments[0].id"));
    assert!(!changed(&before, &after, "attachments[0].name"));
    after.attachments.pop();
    for key in [ATTACHMENTS, "logs", "screenshots"] {
        assert!(changed(&before, &after, key), "{key}");
    }
    after.contact.phone = "+44 20 7946 0000".into();
    assert!(changed(&before, &after, CONTACT_PHONE));
    assert!(changed(&before, &after, TicketField::ContactPhone.key()));
    after.contact.email = "someone.else@example.com".into();
    assert!(changed(&before, &after, CONTACT_EMAIL));
    assert!(!changed(&before, &after, CONTACT_NAME));
    after.cc.clear();
    assert!(changed(&before, &after, CC));
}

#[test]
fn clearing_any_field_a_case_type_asks_for_changes_the_part_its_errors_name() {
    let policy = policy();
    let mut checked = 0;
    for case_type in policy.case_types.iter() {
        for field in case_type.required.iter().chain(&case_type.optional) {
            let before = complete_draft(&case_type.id);
            let mut after = before.clone();
            clear(&mut after, *field);
            for key in [error_key(*field), field.key()] {
                assert!(changed(&before, &after, key), "{}: {key}", case_type.id);
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} fields checked");
}

#[test]
fn only_the_highest_severity_offers_its_phone_line() {
    let policy = policy();
    let highest = policy.highest_severity().expect("severities").id.clone();
    let lines = emergency_phone_lines(&policy, &highest);
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|line| line.kind == ChannelKind::Phone));
    // Critical lists the phone channel too, but it is not the emergency severity.
    assert_eq!(
        emergency_phone_lines(&policy, "critical"),
        Vec::<&ContactChannel>::new()
    );
    assert_eq!(
        emergency_phone_lines(&policy, ""),
        Vec::<&ContactChannel>::new()
    );
}

#[test]
fn subjects_with_the_same_words_are_the_same() {
    assert!(same_subject("Restore fails!", "restore  FAILS"));
    assert!(!same_subject("Restore fails", "Restore fails at 40%"));
    assert!(!same_subject("", "  "));
}

fn listed(number: &str, subject: &str, created_at: DateTime<Utc>) -> TicketListItem {
    TicketListItem {
        number: number.into(),
        subject: subject.into(),
        status: TicketStatus::New,
        severity: "major".into(),
        product: "harbor-backup".into(),
        created_at,
        updated_at: created_at,
        response_due_at: None,
        first_response_at: None,
        response_state: ResponseState::NoTarget,
        update_due_at: None,
        waiting_for_customer: false,
        requester_name: "Alice Andersen".into(),
        escalated: false,
        defect: None,
        roadmap: None,
    }
}

#[test]
fn the_newest_ticket_with_the_same_subject_in_the_last_days_is_similar() {
    let now = "2026-12-01T12:00:00Z"
        .parse::<DateTime<Utc>>()
        .expect("a time");
    let minutes = |count| now - chrono::Duration::minutes(count);
    let tickets = [
        listed("LAN-000001", "Restore fails", minutes(10)),
        listed("LAN-000002", "Restore fails.", minutes(2)),
        listed("LAN-000003", "Something else entirely", minutes(1)),
        listed(
            "LAN-000004",
            "restore fails",
            now - chrono::Duration::days(SIMILAR_TICKET_DAYS + 1),
        ),
    ];
    let found = similar_recent_ticket("restore FAILS", &tickets, now).map(|t| t.number.as_str());
    assert_eq!(found, Some("LAN-000002"));
    assert_eq!(similar_recent_ticket("Backup is slow", &tickets, now), None);
    assert_eq!(
        similar_recent_ticket("restore fails", &tickets[3..], now),
        None
    );
}

#[test]
fn sizes_read_as_people_say_them() {
    assert_eq!(size_text(820), "820 bytes");
    assert_eq!(size_text(14_540), "14.2 KB");
    assert_eq!(size_text(512 * 1024), "512 KB");
    assert_eq!(size_text(25 * 1024 * 1024), "25 MB");
    assert_eq!(size_text(1024 * 1024 * 3 / 2), "1.5 MB");
}
