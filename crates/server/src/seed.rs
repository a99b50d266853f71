//! Demo data for an empty database (`LANTERN_DEMO=1`); the README lists the accounts.

use lantern_core::api::Role;

use crate::accounts::create_account;
use crate::db::{self, Db, Executor, WriteGate, accounts::NewOrganisation, on_either};
use crate::error::AppResult;
use crate::state::AppState;
use crate::tokens::hash_token;

pub const DEMO_PASSWORD: &str = "bright-lantern-demo";
pub const DEMO_AGENT_NAME: &str = "demo-agent";

struct DemoOrganisation {
    name: &'static str,
    plan: &'static str,
    domain: &'static str,
    allow_self_registration: bool,
    people: &'static [(&'static str, &'static str, Role)],
}

const DEMO: [DemoOrganisation; 2] = [
    DemoOrganisation {
        name: "Northwind Traders",
        plan: "enterprise",
        domain: "northwind.example",
        allow_self_registration: true,
        people: &[
            ("Alice Andersen", "alice@northwind.example", Role::Contact),
            ("Olivia Ortiz", "olivia@northwind.example", Role::OrgAdmin),
        ],
    },
    DemoOrganisation {
        name: "Contoso",
        plan: "professional",
        domain: "contoso.example",
        allow_self_registration: false,
        people: &[("Carl Carter", "carl@contoso.example", Role::Contact)],
    },
];

/// Seeds the demo organisations, people and agent token when the database has no organisation
/// yet; returns whether it did.
pub async fn seed_demo(state: &AppState) -> AppResult<bool> {
    if db::accounts::organisation_count(&state.database).await? > 0 {
        return Ok(false);
    }
    let now = state.now_seconds();
    for demo in &DEMO {
        let domains = [demo.domain.to_owned()];
        let organisation = NewOrganisation {
            name: demo.name,
            plan: demo.plan,
            domains: &domains,
            allow_self_registration: demo.allow_self_registration,
        };
        let mut transaction = state.begin_write().await?;
        let id = db::accounts::create_organisation(&mut transaction, &organisation, now).await?;
        transaction.commit().await?;
        for (name, email, role) in demo.people {
            create_account(state, id, email, name, *role, DEMO_PASSWORD).await?;
        }
    }
    if let Some(token) = &state.config.demo_agent_token {
        let token = db::agent_tokens::NewAgentToken {
            name: DEMO_AGENT_NAME,
            token_hash: &hash_token(token),
            expires_at: None,
            organisation_id: None,
        };
        db::agent_tokens::create(&state.database, &token, now).await?;
    }
    Ok(true)
}

/// Adds `count` generated tickets filed by `requester_email`, spread over every status and
/// severity of the default policy, for benchmarks (`admin generate-tickets`, the ticket-list
/// bench). One statement, so 100,000 take a second or two; numbers follow the ids as usual.
pub async fn generate_tickets(
    db: &Db,
    writes: &WriteGate,
    requester_email: &str,
    count: u32,
    now: i64,
) -> AppResult<u64> {
    let mut tx = writes.begin(db).await?;
    let inserted = on_either!(&mut tx, |executor| {
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
             INSERT INTO tickets (organisation_id, requester_id, product, case_type, severity,
                 subject, subject_folded, description, contact_name, contact_email, status,
                 created_at, updated_at, response_due_at, first_response_at, update_due_at)
             SELECT u.organisation_id, u.id, 'harbor-backup', 'problem',
                 CASE i % 4 WHEN 0 THEN 'emergency' WHEN 1 THEN 'critical' WHEN 2 THEN 'major'
                     ELSE 'minor' END,
                 -- The subject is ASCII, so its folded form is written out here.
                 'Generated ticket ' || i, 'generated ticket ' || i, 'Generated for a benchmark.',
                 u.name, u.email,
                 CASE i % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending'
                     WHEN 3 THEN 'solved' ELSE 'closed' END,
                 $2 - ($1 - i) * 60, $2 - ($1 - i) * 60 + (i % 7) * 60,
                 -- Due four hours after filing; answered after ten minutes unless New; an
                 -- Open one owes an update two hours after its last change.
                 $2 - ($1 - i) * 60 + 14400,
                 CASE WHEN i % 5 <> 0 THEN $2 - ($1 - i) * 60 + 600 END,
                 CASE WHEN i % 5 = 1 THEN $2 - ($1 - i) * 60 + (i % 7) * 60 + 7200 END
             FROM n, users u WHERE u.email = CAST($3 AS CITEXT)",
        )
        .bind(i64::from(count))
        .bind(now)
        .bind(requester_email.trim().to_lowercase())
        .execute(executor)
        .await?
        .rows_affected()
    });
    // `lantern_core::ticket::number` in SQL: at least six digits, more when the id has them.
    let numbered = match Executor::from(&mut tx) {
        Executor::Sqlite(executor) => {
            sqlx::query("UPDATE tickets SET number = printf('LAN-%06d', id) WHERE number IS NULL")
                .execute(executor)
                .await
                .map(|_| ())
        }
        Executor::Postgres(executor) => sqlx::query(
            "UPDATE tickets SET number = 'LAN-' || CASE WHEN id < 1000000
                     THEN lpad(CAST(id AS TEXT), 6, '0') ELSE CAST(id AS TEXT) END
                 WHERE number IS NULL",
        )
        .execute(executor)
        .await
        .map(|_| ()),
    };
    numbered?;
    tx.commit().await?;
    on_either!(db, |executor| {
        sqlx::query("ANALYZE").execute(executor).await?;
    });
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use lantern_core::ticket::ticket_number;

    use super::*;
    use crate::passwords::check_strength;
    use crate::test_support::{TestDatabases, test_person};

    #[tokio::test]
    async fn generated_tickets_are_numbered_as_filed_ones_and_spread_over_statuses() {
        TestDatabases::each(async |db| {
            test_person(db, "nina@example.com").await.unwrap();
            let generated =
                generate_tickets(db, &WriteGate::default(), "Nina@example.com", 10, 6000)
                    .await
                    .unwrap();
            assert_eq!(generated, 10);
            let rows: Vec<(i64, String, String, i64)> = on_either!(db, |executor| {
                sqlx::query_as("SELECT id, number, status, created_at FROM tickets ORDER BY id")
                    .fetch_all(executor)
                    .await
                    .unwrap()
            });
            for (id, number, _, _) in &rows {
                assert_eq!(number, &ticket_number(*id));
            }
            let statuses: std::collections::BTreeSet<&str> =
                rows.iter().map(|row| row.2.as_str()).collect();
            assert_eq!(statuses.len(), 5);
            assert_eq!(
                rows.last().map(|row| row.3),
                Some(6000),
                "the last one filed now"
            );
        })
        .await;
    }

    #[test]
    fn the_passwords_of_the_demo_and_the_tests_are_strong_enough() {
        for (password, email) in [
            (DEMO_PASSWORD, "alice@northwind.example"),
            ("a-long-password", "nina@northwind.example"),
        ] {
            assert_eq!(check_strength(password, email), Ok(()), "{password}");
        }
    }
}
