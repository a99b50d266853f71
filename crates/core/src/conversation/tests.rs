use chrono::TimeZone;

use super::*;
use crate::policy::Minutes;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
}

fn lifecycle() -> Lifecycle {
    Lifecycle {
        pending_auto_close: Some(Minutes(7 * 24 * 60)),
        contact_attempts: None,
        solved_auto_close: Minutes(2 * 24 * 60),
        reopen_window: Minutes(2 * 60),
    }
}

fn facts(status: TicketStatus) -> ActionFacts {
    ActionFacts {
        status,
        solved_at: None,
        solved_by: None,
        support_replied: true,
        survey_given: false,
    }
}

fn solved_by(by: ActorKind) -> ActionFacts {
    ActionFacts {
        solved_at: Some(at(8)),
        solved_by: Some(by),
        ..facts(TicketStatus::Solved)
    }
}

#[test]
fn a_solved_ticket_reopens_only_within_the_window() {
    let solved = ticket_actions(&lifecycle(), &solved_by(ActorKind::Agent), at(9));
    assert!(solved.can_reopen && solved.can_reply && solved.can_rate);
    assert_eq!(solved.reopen_until, Some(at(10)));
    let late = ticket_actions(&lifecycle(), &solved_by(ActorKind::Agent), at(10));
    assert!(!late.can_reopen && !late.can_reply && late.can_accept_solution);
}

#[test]
fn one_resolution_action_per_state() {
    for status in [TicketStatus::New, TicketStatus::Open, TicketStatus::Pending] {
        let actions = ticket_actions(&lifecycle(), &facts(status), at(9));
        assert!(actions.can_mark_solved && !actions.can_accept_solution);
    }
    // Support proposed a solution: the customer confirms it (or reopens).
    let by_support = ticket_actions(&lifecycle(), &solved_by(ActorKind::Agent), at(9));
    assert!(by_support.can_accept_solution && !by_support.can_mark_solved);
    // The customer said it is solved: nothing to confirm a second time, only reopen.
    let by_customer = ticket_actions(&lifecycle(), &solved_by(ActorKind::Customer), at(9));
    assert!(!by_customer.can_accept_solution && !by_customer.can_mark_solved);
    assert!(by_customer.can_reopen);
    let closed = ticket_actions(&lifecycle(), &facts(TicketStatus::Closed), at(9));
    assert!(!closed.can_accept_solution && !closed.can_mark_solved);
}

#[test]
fn closed_tickets_take_only_a_survey_once() {
    let closed = ActionFacts {
        solved_at: Some(at(8)),
        ..facts(TicketStatus::Closed)
    };
    let actions = ticket_actions(&lifecycle(), &closed, at(9));
    assert!(!actions.can_reply && !actions.can_reopen);
    assert_eq!(actions.reopen_until, None);
    assert!(actions.can_rate);
    let rated = ActionFacts {
        survey_given: true,
        ..closed
    };
    assert!(!ticket_actions(&lifecycle(), &rated, at(9)).can_rate);
    let open = ticket_actions(&lifecycle(), &facts(TicketStatus::Pending), at(9));
    assert!(open.can_reply && !open.can_rate);
}

#[test]
fn support_is_rated_only_once_it_answered_and_the_ticket_is_solved() {
    let unanswered = ActionFacts {
        support_replied: false,
        ..solved_by(ActorKind::Customer)
    };
    assert!(!ticket_actions(&lifecycle(), &unanswered, at(9)).can_rate);
    assert_eq!(
        rating_refusal(TicketStatus::Closed, false),
        Some("Support has not answered this ticket, so there is nothing to rate.")
    );
    assert!(rating_refusal(TicketStatus::Open, true).is_some());
    assert_eq!(rating_refusal(TicketStatus::Solved, true), None);
}

#[test]
fn replies_need_text_within_the_limit() {
    let reply = |body: &str| ReplyRequest {
        body: body.to_owned(),
        attachments: Vec::new(),
    };
    assert!(validate_reply(&reply("  ")).contains("body"));
    assert!(validate_reply(&reply(&"x".repeat(MAX_REPLY_LENGTH + 1))).contains("body"));
    assert!(validate_reply(&reply(&"x".repeat(MAX_REPLY_LENGTH))).is_empty());
    let many = ReplyRequest {
        body: "Logs attached".into(),
        attachments: vec!["a".into(); MAX_ATTACHMENTS + 1],
    };
    assert!(validate_reply(&many).contains("attachments"));
}

#[test]
fn ratings_run_from_one_to_five() {
    let survey = |rating| SurveyRequest {
        rating,
        comment: String::new(),
    };
    assert!(validate_survey(&survey(0)).contains("rating"));
    assert!(validate_survey(&survey(6)).contains("rating"));
    assert!(validate_survey(&survey(1)).is_empty());
    assert!(validate_survey(&survey(5)).is_empty());
    let long = SurveyRequest {
        rating: 4,
        comment: "x".repeat(MAX_SURVEY_COMMENT_LENGTH + 1),
    };
    assert!(validate_survey(&long).contains("comment"));
}

#[test]
fn query_pairs_leave_out_defaults() {
    assert!(TicketListQuery::default().to_pairs().is_empty());
    let query = TicketListQuery {
        status: Some(StatusFilter::All),
        q: Some("backup".into()),
        sort: Some(TicketSort::Severity),
        scope: Some(TicketScope::Organisation),
        ..TicketListQuery::default()
    };
    assert_eq!(
        query.to_pairs(),
        vec![
            ("status", "all".to_owned()),
            ("q", "backup".to_owned()),
            ("sort", "severity".to_owned()),
            ("scope", "organisation".to_owned()),
        ]
    );
    assert_eq!(query.page_size(), DEFAULT_PAGE_SIZE);
    let huge = TicketListQuery {
        limit: Some(1000),
        ..TicketListQuery::default()
    };
    assert_eq!(huge.page_size(), MAX_PAGE_SIZE);
}

#[test]
fn timeline_kinds_read_as_tagged_json() {
    let entry = TimelineEntry {
        id: 7,
        at: at(9),
        kind: TimelineKind::StatusChanged {
            from: TicketStatus::Pending,
            to: TicketStatus::Open,
            by: Actor {
                kind: ActorKind::Customer,
                name: "Alice".into(),
            },
            reason: String::new(),
        },
    };
    let json = serde_json::to_value(&entry).unwrap();
    assert_eq!(json["kind"]["type"], "status_changed");
    assert_eq!(json["kind"]["to"], "open");
    let future: TimelineKind =
        serde_json::from_str(r#"{"type":"escalation_requested","reason":"x"}"#).unwrap();
    assert_eq!(future, TimelineKind::Unknown);
}

#[test]
fn pending_says_whose_turn_it_is() {
    assert_eq!(status_label(TicketStatus::Pending), "Waiting for you");
    assert_eq!(status_label(TicketStatus::Open), "Open");
}
