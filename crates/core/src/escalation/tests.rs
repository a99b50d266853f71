//! Escalation rules against the shipped default policy (review 4 h, cool-down 24 h; severities
//! emergency > critical > major > minor).

use chrono::TimeZone;

use super::*;

const DEFAULT: &str = include_str!("../../../../policies/default.toml");

fn policy() -> Policy {
    Policy::from_toml_str(DEFAULT).expect("policies/default.toml is valid")
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
}

fn request() -> EscalationRequest {
    EscalationRequest {
        reason: EscalationReason::BusinessImpactIncreased,
        details: "All 40 branch offices are without backups since Monday.".into(),
        ..EscalationRequest::default()
    }
}

fn escalation(id: i64, state: EscalationState, closed_at: Option<DateTime<Utc>>) -> Escalation {
    Escalation {
        id,
        state,
        reason: EscalationReason::Other,
        details: "details".into(),
        requested_severity: None,
        callback_phone: String::new(),
        callback_availability: String::new(),
        requested_by: "Alice".into(),
        requested_at: at(1),
        review_due_at: at(5),
        acknowledged_at: None,
        closed_at,
        answer: String::new(),
        answered_by: String::new(),
    }
}

#[test]
fn a_complete_request_passes() {
    assert!(
        validate_escalation(
            &policy(),
            "major",
            ReasonFacts::default(),
            at(9),
            &request()
        )
        .is_empty()
    );
}

#[test]
fn details_are_required_with_a_minimum_length() {
    let policy = policy();
    for (details, expected) in [("", "Describe"), ("   too short   ", "at least 30")] {
        let request = EscalationRequest {
            details: details.into(),
            ..request()
        };
        let errors = validate_escalation(&policy, "major", ReasonFacts::default(), at(9), &request);
        assert!(errors[DETAILS].contains(expected), "{errors:?}");
    }
    let exactly_minimum = EscalationRequest {
        details: "x".repeat(MIN_ESCALATION_DETAILS_LENGTH),
        ..request()
    };
    assert!(
        validate_escalation(
            &policy,
            "major",
            ReasonFacts::default(),
            at(9),
            &exactly_minimum
        )
        .is_empty()
    );
}

#[test]
fn a_requested_severity_must_be_above_the_current_one() {
    let policy = policy();
    let asking = |severity: &str| EscalationRequest {
        requested_severity: severity.into(),
        ..request()
    };
    assert!(
        validate_escalation(
            &policy,
            "major",
            ReasonFacts::default(),
            at(9),
            &asking("critical")
        )
        .is_empty()
    );
    assert!(
        validate_escalation(
            &policy,
            "major",
            ReasonFacts::default(),
            at(9),
            &asking("emergency")
        )
        .is_empty()
    );
    for same_or_lower in ["major", "minor"] {
        let errors = validate_escalation(
            &policy,
            "major",
            ReasonFacts::default(),
            at(9),
            &asking(same_or_lower),
        );
        assert!(errors[REQUESTED_SEVERITY].contains("above"), "{errors:?}");
    }
    let unknown = validate_escalation(
        &policy,
        "major",
        ReasonFacts::default(),
        at(9),
        &asking("apocalyptic"),
    );
    assert!(unknown[REQUESTED_SEVERITY].contains("severities of the support policy"));
    let highest: Vec<_> = higher_severities(&policy, "emergency").collect();
    assert!(highest.is_empty());
}

#[test]
fn callback_details_are_checked_when_given() {
    let request = EscalationRequest {
        callback_phone: "call me maybe".into(),
        callback_availability: "x".repeat(MAX_SHORT_TEXT_LENGTH + 1),
        ..request()
    };
    let errors = validate_escalation(&policy(), "major", ReasonFacts::default(), at(9), &request);
    assert!(errors.contains(CALLBACK_PHONE));
    assert!(errors.contains(CALLBACK_AVAILABILITY));
}

#[test]
fn only_unfinished_tickets_without_an_open_request_may_escalate() {
    let policy = policy();
    for status in [TicketStatus::New, TicketStatus::Open, TicketStatus::Pending] {
        assert_eq!(
            escalation_availability(&policy, status, &[], at(1)),
            EscalationAvailability::Available
        );
    }
    for status in [TicketStatus::Solved, TicketStatus::Closed] {
        assert_eq!(
            escalation_availability(&policy, status, &[], at(1)),
            EscalationAvailability::TicketFinished
        );
    }
    let open = [
        escalation(1, EscalationState::Resolved, Some(at(2))),
        escalation(2, EscalationState::Acknowledged, None),
    ];
    assert_eq!(
        escalation_availability(&policy, TicketStatus::Open, &open, at(3)),
        EscalationAvailability::AlreadyOpen { escalation_id: 2 }
    );
}

#[test]
fn a_declined_request_starts_the_cool_down() {
    let policy = policy();
    let declined = [escalation(1, EscalationState::Declined, Some(at(2)))];
    let until = at(2) + chrono::Duration::hours(24);
    assert_eq!(
        escalation_availability(&policy, TicketStatus::Open, &declined, at(3)),
        EscalationAvailability::CoolingDown { until }
    );
    assert_eq!(
        escalation_availability(&policy, TicketStatus::Open, &declined, until),
        EscalationAvailability::Available
    );
}

#[test]
fn agents_move_requests_forward_only() {
    use EscalationState::*;
    assert!(Requested.can_become(Acknowledged));
    assert!(Requested.can_become(Resolved));
    assert!(Acknowledged.can_become(Declined));
    assert!(!Acknowledged.can_become(Acknowledged));
    assert!(!Resolved.can_become(Declined));
    assert!(!Declined.can_become(Acknowledged));
    assert!(!Acknowledged.can_become(Requested));
}

#[test]
fn reasons_and_states_round_trip_through_their_names() {
    for reason in EscalationReason::ALL {
        assert_eq!(EscalationReason::parse(reason.as_str()), Some(reason));
        let json = serde_json::to_string(&reason).unwrap();
        assert_eq!(json, format!("\"{}\"", reason.as_str()));
    }
    for state in EscalationState::ALL {
        assert_eq!(EscalationState::parse(state.as_str()), Some(state));
    }
}

fn answered_at(hour: u32) -> ReasonFacts {
    ReasonFacts {
        response_due_at: Some(at(10)),
        first_response_at: Some(at(hour)),
        update_due_at: None,
    }
}

fn unanswered() -> ReasonFacts {
    ReasonFacts {
        response_due_at: Some(at(10)),
        first_response_at: None,
        update_due_at: None,
    }
}

#[test]
fn no_response_is_a_reason_only_once_the_target_passed_without_an_answer() {
    let policy = policy();
    let no_response = EscalationRequest {
        reason: EscalationReason::NoResponse,
        ..request()
    };
    // Two minutes after filing, the target is hours away: neither offered nor accepted.
    let early = at(9) + chrono::Duration::minutes(2);
    assert!(!offered_reasons(unanswered(), early).contains(&EscalationReason::NoResponse));
    let errors = validate_escalation(&policy, "major", unanswered(), early, &no_response);
    assert!(errors[REASON].contains("has not passed yet"), "{errors:?}");
    // From the due instant on, it holds.
    assert!(offered_reasons(unanswered(), at(10)).contains(&EscalationReason::NoResponse));
    assert!(validate_escalation(&policy, "major", unanswered(), at(10), &no_response).is_empty());
    // Answered (even late), or without a target, it never applies.
    for facts in [answered_at(11), ReasonFacts::default()] {
        assert!(!offered_reasons(facts, at(12)).contains(&EscalationReason::NoResponse));
        let errors = validate_escalation(&policy, "major", facts, at(12), &no_response);
        assert!(errors.contains(REASON), "{errors:?}");
    }
}

#[test]
fn no_response_is_a_reason_again_once_an_owed_update_is_late() {
    let policy = policy();
    let no_response = EscalationRequest {
        reason: EscalationReason::NoResponse,
        ..request()
    };
    let update_owed = ReasonFacts {
        update_due_at: Some(at(13)),
        ..answered_at(9)
    };
    let errors = validate_escalation(&policy, "major", update_owed, at(12), &no_response);
    assert!(
        errors[REASON].contains("next update is not due yet"),
        "{errors:?}"
    );
    assert!(!offered_reasons(update_owed, at(12)).contains(&EscalationReason::NoResponse));
    assert!(offered_reasons(update_owed, at(13)).contains(&EscalationReason::NoResponse));
    assert!(validate_escalation(&policy, "major", update_owed, at(14), &no_response).is_empty());
}

#[test]
fn a_proposed_solution_must_exist_before_it_can_fail() {
    let does_not_work = EscalationRequest {
        reason: EscalationReason::SolutionDoesNotWork,
        ..request()
    };
    let errors = validate_escalation(&policy(), "major", unanswered(), at(9), &does_not_work);
    assert!(
        errors[REASON].contains("not proposed a solution"),
        "{errors:?}"
    );
    assert!(
        validate_escalation(&policy(), "major", answered_at(9), at(9), &does_not_work).is_empty()
    );
}

#[test]
fn reasons_of_the_customers_own_judgement_are_always_offered() {
    assert_eq!(
        offered_reasons(unanswered(), at(9)),
        vec![
            EscalationReason::BusinessImpactIncreased,
            EscalationReason::NeedsMoreExpertise,
            EscalationReason::Other,
        ]
    );
}
