//! The `ticket_events` table: a ticket's timeline, internal notes included.

use sqlx::FromRow;

use super::{Executor, on_either};

/// One stored timeline event.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub at: i64,
    pub kind: String,
    pub internal: bool,
    pub actor_kind: String,
    pub actor_name: String,
    pub body: String,
    pub from_value: String,
    pub to_value: String,
    /// The escalation request a step of one belongs to.
    pub escalation_id: Option<i64>,
}
/// The ticket's events, oldest first; internal notes only when asked for.
pub async fn of_ticket(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    with_internal: bool,
) -> sqlx::Result<Vec<EventRow>> {
    // `NOT internal`, not `internal = 0`: PostgreSQL's flag is a BOOLEAN, SQLite's a 0/1 integer,
    // and both read NOT of theirs.
    on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT id, at, kind, internal, actor_kind, actor_name, body, from_value, to_value,
                 escalation_id
             FROM ticket_events WHERE ticket_id = $1 AND (NOT internal OR $2) ORDER BY id",
        )
        .bind(ticket_id)
        .bind(with_internal)
        .fetch_all(executor)
        .await
    })
}

/// A new timeline event; `escalation_id` links a step of an escalation request to it.
pub struct NewEvent<'a> {
    pub ticket_id: i64,
    pub at: i64,
    pub kind: &'a str,
    pub internal: bool,
    pub actor_kind: &'a str,
    pub actor_name: &'a str,
    /// The customer account that wrote it; `None` for agents and the system.
    pub actor_user_id: Option<i64>,
    pub body: &'a str,
    pub from_value: &'a str,
    pub to_value: &'a str,
    pub escalation_id: Option<i64>,
}

pub async fn insert(db: impl Into<Executor<'_>>, event: &NewEvent<'_>) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO ticket_events (ticket_id, at, kind, internal, actor_kind, actor_name,
                 actor_user_id, body, from_value, to_value, escalation_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(event.ticket_id)
        .bind(event.at)
        .bind(event.kind)
        .bind(event.internal)
        .bind(event.actor_kind)
        .bind(event.actor_name)
        .bind(event.actor_user_id)
        .bind(event.body)
        .bind(event.from_value)
        .bind(event.to_value)
        .bind(event.escalation_id)
        .fetch_one(executor)
        .await
    })
}

/// Replaces a customer's name as the author of her events (her account is deleted): those
/// stored with her account, and those of her organisation's tickets stored before events named
/// their account that carry her name as a customer's (a colleague of the very same name among
/// them is renamed too). What anyone wrote stays as written.
pub async fn anonymise_customer(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    organisation_id: i64,
    name: &str,
    placeholder_name: &str,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE ticket_events SET actor_name = $1
             WHERE actor_user_id = $2
                OR (actor_user_id IS NULL AND actor_kind = 'customer' AND actor_name = $3
                    AND ticket_id IN (SELECT id FROM tickets WHERE organisation_id = $4))",
        )
        .bind(placeholder_name)
        .bind(user_id)
        .bind(name)
        .bind(organisation_id)
        .execute(executor)
        .await
        .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    fn event<'a>(ticket_id: i64, at: i64, internal: bool, body: &'a str) -> NewEvent<'a> {
        NewEvent {
            ticket_id,
            at,
            kind: "comment",
            internal,
            actor_kind: "agent",
            actor_name: "Olivia",
            actor_user_id: None,
            body,
            from_value: "",
            to_value: "",
            escalation_id: None,
        }
    }

    fn bodies(events: &[EventRow]) -> Vec<&str> {
        events.iter().map(|event| event.body.as_str()).collect()
    }

    #[tokio::test]
    async fn internal_notes_are_listed_only_when_asked_for() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let ticket = test_ticket(db, alice).await.unwrap();
            let other = test_ticket(db, alice).await.unwrap();
            let reply = insert(db, &event(ticket, 10, false, "A reply"))
                .await
                .unwrap();
            insert(db, &event(ticket, 20, true, "A note"))
                .await
                .unwrap();
            insert(db, &event(ticket, 30, false, "Another reply"))
                .await
                .unwrap();
            insert(db, &event(other, 40, false, "Elsewhere"))
                .await
                .unwrap();

            let public = of_ticket(db, ticket, false).await.unwrap();
            assert_eq!(bodies(&public), ["A reply", "Another reply"]);
            assert_eq!(
                public[0],
                EventRow {
                    id: reply,
                    at: 10,
                    kind: "comment".to_owned(),
                    internal: false,
                    actor_kind: "agent".to_owned(),
                    actor_name: "Olivia".to_owned(),
                    body: "A reply".to_owned(),
                    from_value: String::new(),
                    to_value: String::new(),
                    escalation_id: None,
                }
            );
            let everything = of_ticket(db, ticket, true).await.unwrap();
            assert_eq!(bodies(&everything), ["A reply", "A note", "Another reply"]);
            assert!(everything[1].internal);
        })
        .await;
    }
}
