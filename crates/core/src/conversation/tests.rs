use chrono::TimeZone;

use super::*;
use crate::policy::Minutes;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
}

fn lifecycle() -> Lifecycle {
    Lifecycle {
        pending_auto_close: Minutes(7 * 24 * 60),
        solved_auto_close: Minutes(2 * 24 * 60),
        reopen_window: Minutes(2 * 60),
    }
}

#[test]
fn response_state_follows_the_target() {
    assert_eq!(response_state(None, None, at(9)), ResponseState::NoTarget);
    assert_eq!(
        response_state(Some(at(10)), None, at(9)),
        ResponseState::Due { due_at: at(10) }
    );
    assert_eq!(
        response_state(Some(at(10)), None, at(10)),
        ResponseState::Missed { due_at: at(10) }
    );
    assert_eq!(
        response_state(Some(at(10)), Some(at(10)), at(12)),
        ResponseState::Met {
            responded_at: at(10)
        }
    );
    assert_eq!(
        response_state(Some(at(10)), Some(at(11)), at(12)),
        ResponseState::Missed { due_at: at(10) }
    );
}

#[test]
fn a_solved_ticket_reopens_only_within_the_window() {
    let solved = ticket_actions(
        &lifecycle(),
        TicketStatus::Solved,
        Some(at(8)),
        false,
        at(9),
    );
    assert!(solved.can_reopen && solved.can_reply && solved.can_rate);
    assert_eq!(solved.reopen_until, Some(at(10)));
    let late = ticket_actions(
        &lifecycle(),
        TicketStatus::Solved,
        Some(at(8)),
        false,
        at(10),
    );
    assert!(!late.can_reopen && !late.can_reply && late.can_confirm_resolved);
}

#[test]
fn closed_tickets_take_only_a_survey_once() {
    let closed = ticket_actions(
        &lifecycle(),
        TicketStatus::Closed,
        Some(at(8)),
        false,
        at(9),
    );
    assert!(!closed.can_reply && !closed.can_confirm_resolved && !closed.can_reopen);
    assert_eq!(closed.reopen_until, None);
    assert!(closed.can_rate);
    let rated = ticket_actions(&lifecycle(), TicketStatus::Closed, Some(at(8)), true, at(9));
    assert!(!rated.can_rate);
    let open = ticket_actions(&lifecycle(), TicketStatus::Pending, None, false, at(9));
    assert!(open.can_reply && open.can_confirm_resolved && !open.can_rate);
}

#[test]
fn replies_need_text_within_the_limit() {
    let reply = |body: &str| ReplyRequest {
        body: body.to_owned(),
        attachments: Vec::new(),
    };
    assert!(validate_reply(&reply("  ")).contains_key("body"));
    assert!(validate_reply(&reply(&"x".repeat(MAX_REPLY_LENGTH + 1))).contains_key("body"));
    assert!(validate_reply(&reply(&"x".repeat(MAX_REPLY_LENGTH))).is_empty());
    let many = ReplyRequest {
        body: "Logs attached".into(),
        attachments: vec!["a".into(); MAX_ATTACHMENTS + 1],
    };
    assert!(validate_reply(&many).contains_key("attachments"));
}

#[test]
fn ratings_run_from_one_to_five() {
    let survey = |rating| SurveyRequest {
        rating,
        comment: String::new(),
    };
    assert!(validate_survey(&survey(0)).contains_key("rating"));
    assert!(validate_survey(&survey(6)).contains_key("rating"));
    assert!(validate_survey(&survey(1)).is_empty());
    assert!(validate_survey(&survey(5)).is_empty());
    let long = SurveyRequest {
        rating: 4,
        comment: "x".repeat(MAX_SURVEY_COMMENT_LENGTH + 1),
    };
    assert!(validate_survey(&long).contains_key("comment"));
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
