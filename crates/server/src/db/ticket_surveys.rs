//! The `ticket_surveys` table: one satisfaction survey per ticket.

use sqlx::FromRow;

use super::{Executor, on_either};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SurveyRow {
    pub rating: i64,
    pub comment: String,
    pub given_at: i64,
}

pub async fn of_ticket(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
) -> sqlx::Result<Option<SurveyRow>> {
    on_either!(db, |executor| {
        sqlx::query_as("SELECT rating, comment, given_at FROM ticket_surveys WHERE ticket_id = $1")
            .bind(ticket_id)
            .fetch_optional(executor)
            .await
    })
}

/// Stores the survey; a unique violation means one was given already.
pub async fn insert(
    db: impl Into<Executor<'_>>,
    ticket_id: i64,
    user_id: i64,
    rating: u8,
    comment: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "INSERT INTO ticket_surveys (ticket_id, user_id, rating, comment, given_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(ticket_id)
        .bind(user_id)
        // PostgreSQL has no unsigned types, so no driver binds a u8 for both.
        .bind(i64::from(rating))
        .bind(comment)
        .bind(now)
        .execute(executor)
        .await
        .map(drop)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::is_unique_violation;
    use crate::test_support::{TestDatabases, test_person, test_ticket};

    #[tokio::test]
    async fn a_ticket_takes_one_survey() {
        TestDatabases::each(async |db| {
            let alice = test_person(db, "alice@example.com").await.unwrap();
            let ticket = test_ticket(db, alice).await.unwrap();
            let unsurveyed = test_ticket(db, alice).await.unwrap();

            insert(db, ticket, alice, 4, "Quick and kind.", 50)
                .await
                .unwrap();
            let again = insert(db, ticket, alice, 1, "", 60).await.unwrap_err();
            assert!(is_unique_violation(&again), "{again}");

            assert_eq!(
                of_ticket(db, ticket).await.unwrap(),
                Some(SurveyRow {
                    rating: 4,
                    comment: "Quick and kind.".to_owned(),
                    given_at: 50,
                })
            );
            assert_eq!(of_ticket(db, unsurveyed).await.unwrap(), None);
        })
        .await;
    }
}
