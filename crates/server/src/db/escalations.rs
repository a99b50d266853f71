//! Escalation requests of tickets. The partial UNIQUE index of migration 0005 keeps one open
//! request per ticket; the conditional update (`WHERE state = $2`) decides when two agents race.

use sqlx::FromRow;

use super::{Executor, on_either};

/// One stored escalation request.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EscalationRow {
    pub id: i64,
    pub ticket_id: i64,
    pub state: String,
    pub reason: String,
    pub details: String,
    pub requested_severity: Option<String>,
    pub callback_phone: String,
    pub callback_availability: String,
    pub requested_by: String,
    pub requested_at: i64,
    pub review_due_at: i64,
    pub acknowledged_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub answer: String,
    pub answered_by: String,
}

const COLUMNS: &str = "e.id, e.ticket_id, e.state, e.reason, e.details, e.requested_severity,
    e.callback_phone, e.callback_availability, e.requested_by, e.requested_at, e.review_due_at,
    e.acknowledged_at, e.closed_at, e.answer, e.answered_by";

/// The open states, as the partial indexes spell them (SQLite uses a partial index only for a
/// query that repeats its condition).
pub const OPEN: &str = "e.state IN ('requested', 'acknowledged')";

/// A ticket's requests, oldest first.
pub async fn of_ticket(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
) -> sqlx::Result<Vec<EscalationRow>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM escalations e WHERE e.ticket_id = $1 ORDER BY e.id"
        ))
        .bind(ticket_id)
        .fetch_all(executor)
        .await
    })
}

/// The request `id` when it belongs to the ticket.
pub async fn find(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    id: i64,
) -> sqlx::Result<Option<EscalationRow>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM escalations e WHERE e.id = $1 AND e.ticket_id = $2"
        ))
        .bind(id)
        .bind(ticket_id)
        .fetch_optional(executor)
        .await
    })
}

/// A new request as the customer sent it.
pub struct NewEscalation<'a> {
    pub ticket_id: i64,
    pub reason: &'a str,
    pub details: &'a str,
    pub requested_severity: Option<&'a str>,
    pub callback_phone: &'a str,
    pub callback_availability: &'a str,
    pub requester_id: i64,
    pub requested_by: &'a str,
    pub requested_at: i64,
    pub review_due_at: i64,
}

/// Stores a request in state `requested`; a unique violation means one is open already.
pub async fn insert(
    db: impl Into<Executor<'_>>,
    escalation: &NewEscalation<'_>,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
        "INSERT INTO escalations (ticket_id, reason, details, requested_severity, callback_phone,
                 callback_availability, requester_id, requested_by, requested_at, review_due_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(escalation.ticket_id)
    .bind(escalation.reason)
    .bind(escalation.details)
    .bind(escalation.requested_severity)
    .bind(escalation.callback_phone)
    .bind(escalation.callback_availability)
    .bind(escalation.requester_id)
    .bind(escalation.requested_by)
    .bind(escalation.requested_at)
    .bind(escalation.review_due_at)
    .fetch_one(executor)
    .await
    })
}

/// The ticket's open request, if any (at most one: see the partial UNIQUE index).
pub async fn open_of_ticket(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
) -> sqlx::Result<Option<EscalationRow>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM escalations e WHERE e.ticket_id = $1 AND {OPEN}"
        ))
        .bind(ticket_id)
        .fetch_optional(executor)
        .await
    })
}

/// An agent's step from one state to another.
pub struct Transition<'a> {
    pub id: i64,
    pub from: &'a str,
    pub to: &'a str,
    /// `to` is resolved or declined.
    pub closes: bool,
    pub answer: &'a str,
    pub answered_by: &'a str,
    pub now: i64,
}

/// Moves the request on when it is still in `from`; false when another change came first.
pub async fn transition(db: impl Into<Executor<'_>>, step: &Transition<'_>) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE escalations SET state = $3, answer = $4, answered_by = $5,
                 acknowledged_at = CASE WHEN $3 = 'acknowledged' THEN $6 ELSE acknowledged_at END,
                 closed_at = CASE WHEN $7 THEN $6 ELSE closed_at END
             WHERE id = $1 AND state = $2",
        )
        .bind(step.id)
        .bind(step.from)
        .bind(step.to)
        .bind(step.answer)
        .bind(step.answered_by)
        .bind(step.now)
        .bind(step.closes)
        .execute(executor)
        .await
        .map(|result| result.rows_affected() == 1)
    })
}

/// An open request with its ticket, for the agents' queue.
#[derive(Debug, Clone, FromRow)]
pub struct OpenRow {
    pub ticket_number: String,
    pub ticket_subject: String,
    pub organisation_name: String,
    #[sqlx(flatten)]
    pub escalation: EscalationRow,
}

/// Every open request, oldest review target first.
pub async fn open(
    db: impl Into<Executor<'_>>,
    organisation_id: Option<i64>,
) -> sqlx::Result<Vec<OpenRow>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT t.number AS ticket_number, t.subject AS ticket_subject,
                 o.name AS organisation_name, {COLUMNS}
             FROM escalations e
             JOIN tickets t ON t.id = e.ticket_id
             JOIN organisations o ON o.id = t.organisation_id
             WHERE {OPEN} AND ($1 IS NULL OR t.organisation_id = $1)
             ORDER BY e.review_due_at, e.id"
        ))
        .bind(organisation_id)
        .fetch_all(executor)
        .await
    })
}

/// The callback numbers a person gave with her escalation requests, each once.
pub async fn callback_phones_of(
    db: impl Into<Executor<'_>>,
    requester_id: i64,
) -> sqlx::Result<Vec<String>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT DISTINCT callback_phone FROM escalations
             WHERE requester_id = $1 AND callback_phone <> ''",
        )
        .bind(requester_id)
        .fetch_all(executor)
        .await
    })
}

/// Replaces the name and callback details of a person's escalation requests (her account is
/// deleted); the requests stay with their tickets.
pub async fn anonymise_requester(
    db: impl Into<Executor<'_>>,
    requester_id: i64,
    placeholder_name: &str,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE escalations SET requested_by = $1, callback_phone = '', callback_availability = ''
             WHERE requester_id = $2",
        )
        .bind(placeholder_name)
        .bind(requester_id)
        .execute(executor)
        .await
        .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, is_unique_violation};
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    fn request(ticket_id: i64, requester_id: i64, at: i64) -> NewEscalation<'static> {
        NewEscalation {
            ticket_id,
            reason: "business_impact",
            details: "Production is down.",
            requested_severity: None,
            callback_phone: "",
            callback_availability: "",
            requester_id,
            requested_by: "Alice",
            requested_at: at,
            review_due_at: at + 3600,
        }
    }

    fn step<'a>(id: i64, from: &'a str, to: &'a str, now: i64) -> Transition<'a> {
        Transition {
            id,
            from,
            to,
            closes: matches!(to, "resolved" | "declined"),
            answer: "",
            answered_by: "Olivia",
            now,
        }
    }

    /// A ticket of `requester_id` with a number, which the agents' queue shows.
    async fn numbered_ticket(db: &Db, requester_id: i64, number: &str) -> i64 {
        let ticket = test_ticket(db, requester_id).await.unwrap();
        on_either!(db, |executor| {
            sqlx::query("UPDATE tickets SET number = $1 WHERE id = $2")
                .bind(number)
                .bind(ticket)
                .execute(executor)
                .await
                .unwrap();
        });
        ticket
    }

    #[tokio::test]
    async fn one_request_is_open_per_ticket_and_moves_on_once() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let ticket = numbered_ticket(db, alice, "LAN-000001").await;
            let id = insert(db, &request(ticket, alice, 100)).await.unwrap();
            let second = insert(db, &request(ticket, alice, 110)).await.unwrap_err();
            assert!(is_unique_violation(&second), "{second}");

            assert!(
                transition(db, &step(id, "requested", "acknowledged", 120))
                    .await
                    .unwrap()
            );
            assert!(
                !transition(db, &step(id, "requested", "declined", 121))
                    .await
                    .unwrap(),
                "the request moved on already"
            );
            let acknowledged = open_of_ticket(db, ticket).await.unwrap().unwrap();
            assert_eq!(acknowledged.state, "acknowledged");
            assert_eq!(acknowledged.acknowledged_at, Some(120));
            assert_eq!(acknowledged.closed_at, None);

            assert!(
                transition(db, &step(id, "acknowledged", "resolved", 130))
                    .await
                    .unwrap()
            );
            assert_eq!(open_of_ticket(db, ticket).await.unwrap(), None);
            let resolved = find(db, ticket, id).await.unwrap().unwrap();
            assert_eq!(
                (resolved.acknowledged_at, resolved.closed_at),
                (Some(120), Some(130))
            );
            let again = insert(db, &request(ticket, alice, 140)).await.unwrap();
            let all = of_ticket(db, ticket).await.unwrap();
            assert_eq!(
                all.iter().map(|row| row.id).collect::<Vec<_>>(),
                [id, again]
            );
            assert_eq!(find(db, ticket + 1, id).await.unwrap(), None);
        })
        .await;
    }

    #[tokio::test]
    async fn the_queue_lists_open_requests_of_one_or_every_organisation() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let bob = test_person(db, "bob@example.com").await.unwrap();
            let alices = numbered_ticket(db, alice, "LAN-000001").await;
            let bobs = numbered_ticket(db, bob, "LAN-000002").await;
            let closed = numbered_ticket(db, bob, "LAN-000003").await;
            insert(db, &request(alices, alice, 200)).await.unwrap();
            insert(db, &request(bobs, bob, 100)).await.unwrap();
            let declined = insert(db, &request(closed, bob, 50)).await.unwrap();
            transition(db, &step(declined, "requested", "declined", 60))
                .await
                .unwrap();

            let everyone = open(db, None).await.unwrap();
            let numbers: Vec<&str> = everyone
                .iter()
                .map(|row| row.ticket_number.as_str())
                .collect();
            assert_eq!(numbers, ["LAN-000002", "LAN-000001"]);
            assert_eq!(
                everyone[1].organisation_name,
                "Organisation of alice@example.com"
            );
            let alices_organisation: i64 = on_either!(db, |executor| {
                sqlx::query_scalar("SELECT organisation_id FROM tickets WHERE id = $1")
                    .bind(alices)
                    .fetch_one(executor)
                    .await
                    .unwrap()
            });
            let hers = open(db, Some(alices_organisation)).await.unwrap();
            assert_eq!(hers.len(), 1);
            assert_eq!(hers[0].escalation.ticket_id, alices);
        })
        .await;
    }
}
