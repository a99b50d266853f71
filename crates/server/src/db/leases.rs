//! Leases on work that one server of several does at a time: a row per kind of work naming its
//! holder until an instant. The holder renews it each time it works; another server takes it
//! over once it runs out, so a server that dies hands the work on within one lease.

use super::{Executor, on_either};

/// Takes the lease `name` for `holder` until `until`, or renews it when `holder` has it;
/// false while another holder's lease runs (until its `expires_at` is past `now`). One
/// statement, so two servers asking at once cannot both get it.
pub async fn take(
    db: impl Into<Executor<'_>>,
    name: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let taken: Option<String> = sqlx::query_scalar(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                                              expires_at = excluded.expires_at
             WHERE leases.holder = excluded.holder OR leases.expires_at <= $4
             RETURNING holder",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .fetch_optional(executor)
        .await?;
        Ok(taken.is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDatabases;

    #[tokio::test]
    async fn a_lease_has_one_holder_until_it_runs_out() {
        TestDatabases::each(async |db| {
            assert!(take(db, "auto-close", "one", 100, 280).await.unwrap());
            assert!(!take(db, "auto-close", "two", 150, 330).await.unwrap());
            assert!(
                take(db, "mail", "two", 150, 330).await.unwrap(),
                "another lease"
            );
            assert!(
                take(db, "auto-close", "one", 200, 380).await.unwrap(),
                "renewed"
            );
            assert!(!take(db, "auto-close", "two", 379, 560).await.unwrap());
            assert!(
                take(db, "auto-close", "two", 380, 560).await.unwrap(),
                "ran out"
            );
            assert!(!take(db, "auto-close", "one", 400, 580).await.unwrap());
        })
        .await;
    }

    #[tokio::test]
    async fn servers_asking_at_once_get_one_lease() {
        TestDatabases::each(async |db| {
            let asking = (0..8).map(|server| {
                let db = db.clone();
                tokio::spawn(async move {
                    take(&db, "auto-close", &format!("server {server}"), 100, 280).await
                })
            });
            let mut holders = 0;
            for asked in asking {
                holders += usize::from(asked.await.unwrap().unwrap());
            }
            assert_eq!(holders, 1);
        })
        .await;
    }
}
