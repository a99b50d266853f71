//! Organisations, their e-mail domains, and the people who sign in.

use lantern_core::api::Role;
use lantern_core::ticket::OrganisationContact;
use sqlx::FromRow;

use super::{Executor, on_either};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub plan: String,
    pub allow_self_registration: bool,
}

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub name: String,
    role: String,
    pub password_hash: Option<String>,
    pub activated_at: Option<i64>,
}

impl User {
    pub fn role(&self) -> Role {
        role_from_db(&self.role)
    }

    pub fn is_active(&self) -> bool {
        self.activated_at.is_some()
    }
}

/// People are contacts or organisation admins; agents use agent tokens, not accounts.
pub fn role_to_db(role: Role) -> &'static str {
    match role {
        Role::OrgAdmin => "org_admin",
        Role::Contact | Role::Agent => "contact",
    }
}

pub(super) fn role_from_db(role: &str) -> Role {
    match role {
        "org_admin" => Role::OrgAdmin,
        _ => Role::Contact,
    }
}

pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub plan: &'a str,
    pub domains: &'a [String],
    pub allow_self_registration: bool,
}

/// Creates an organisation with its e-mail domains. Several statements: callers pass a write
/// transaction, so a domain another organisation owns leaves nothing behind.
pub async fn create_organisation(
    db: impl Into<Executor<'_>>,
    organisation: &NewOrganisation<'_>,
    now: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        let id = sqlx::query_scalar(
            "INSERT INTO organisations (name, plan, allow_self_registration, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(organisation.name)
        .bind(organisation.plan)
        .bind(organisation.allow_self_registration)
        .bind(now)
        .fetch_one(executor.reborrow())
        .await?;
        for domain in organisation.domains {
            sqlx::query(
                "INSERT INTO organisation_domains (domain, organisation_id) VALUES ($1, $2)",
            )
            .bind(domain.trim().to_lowercase())
            .bind(id)
            .execute(executor.reborrow())
            .await?;
        }
        Ok(id)
    })
}

pub async fn organisation_count(db: impl Into<Executor<'_>>) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
            .fetch_one(executor)
            .await
    })
}

const ORGANISATION_COLUMNS: &str = "o.id, o.name, o.plan, o.allow_self_registration";

pub async fn organisation(
    db: impl Into<Executor<'_>>,
    id: i64,
) -> sqlx::Result<Option<Organisation>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE o.id = $1"
        ))
        .bind(id)
        .fetch_optional(executor)
        .await
    })
}

pub async fn organisation_by_name(
    db: impl Into<Executor<'_>>,
    name: &str,
) -> sqlx::Result<Option<Organisation>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE o.name = $1"
        ))
        .bind(name)
        .fetch_optional(executor)
        .await
    })
}

/// The organisation that owns an e-mail domain, if any, whatever the domain's case (the
/// column is case-insensitive on both backends; see DEVELOPERS.md on `CITEXT`).
pub async fn organisation_for_domain(
    db: impl Into<Executor<'_>>,
    domain: &str,
) -> sqlx::Result<Option<Organisation>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations o
             JOIN organisation_domains d ON d.organisation_id = o.id
             WHERE d.domain = CAST($1 AS CITEXT)"
        ))
        .bind(domain)
        .fetch_optional(executor)
        .await
    })
}

pub struct NewUser<'a> {
    pub organisation_id: i64,
    /// Already normalised (trimmed, lower-case).
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub active: bool,
}

pub async fn create_user(
    db: impl Into<Executor<'_>>,
    user: &NewUser<'_>,
    now: i64,
) -> sqlx::Result<i64> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "INSERT INTO users
                 (organisation_id, email, name, role, password_hash, activated_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(user.organisation_id)
        .bind(user.email)
        .bind(user.name.trim())
        .bind(role_to_db(user.role))
        .bind(user.password_hash)
        .bind(user.active.then_some(now))
        .bind(now)
        .fetch_one(executor)
        .await
    })
}

const USER_COLUMNS: &str = "id, organisation_id, email, name, role, password_hash, activated_at";

pub async fn user(db: impl Into<Executor<'_>>, id: i64) -> sqlx::Result<Option<User>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(executor)
            .await
    })
}

/// The account with this e-mail address, whatever its case.
pub async fn user_by_email(db: impl Into<Executor<'_>>, email: &str) -> sqlx::Result<Option<User>> {
    on_either!(db, |executor| {
        sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = CAST($1 AS CITEXT)"
        ))
        .bind(email)
        .fetch_optional(executor)
        .await
    })
}

/// Sets a new password and activates the account when it was not yet.
pub async fn set_password(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE users SET password_hash = $1, activated_at = COALESCE(activated_at, $2)
             WHERE id = $3",
        )
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// Confirms an account (registration confirmed) without touching its password.
pub async fn activate(db: impl Into<Executor<'_>>, user_id: i64, now: i64) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE users SET activated_at = COALESCE(activated_at, $1) WHERE id = $2")
            .bind(now)
            .bind(user_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Gives an unconfirmed account a new name and password; false when it is confirmed by now.
pub async fn replace_unconfirmed(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    name: &str,
    password_hash: &str,
) -> sqlx::Result<bool> {
    on_either!(db, |executor| {
        let result = sqlx::query(
            "UPDATE users SET name = $1, password_hash = $2
             WHERE id = $3 AND activated_at IS NULL",
        )
        .bind(name.trim())
        .bind(password_hash)
        .bind(user_id)
        .execute(executor)
        .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// Removes accounts never confirmed that were created before `created_before` and have no
/// link left that works at `now`; returns how many.
pub async fn delete_unconfirmed(
    db: impl Into<Executor<'_>>,
    created_before: i64,
    now: i64,
) -> sqlx::Result<u64> {
    on_either!(db, |executor| {
        let result = sqlx::query(
            "DELETE FROM users WHERE activated_at IS NULL AND deleted_at IS NULL AND created_at < $1
             AND NOT EXISTS (SELECT 1 FROM account_tokens t
                             WHERE t.user_id = users.id AND t.used_at IS NULL
                               AND t.expires_at > $2)",
        )
        .bind(created_before)
        .bind(now)
        .execute(executor)
        .await?;
        Ok(result.rows_affected())
    })
}

pub async fn set_name(db: impl Into<Executor<'_>>, user_id: i64, name: &str) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
            .bind(name.trim())
            .bind(user_id)
            .execute(executor)
            .await
            .map(drop)
    })
}

/// Active accounts of an organisation, by name (the CC picker).
pub async fn organisation_contacts(
    db: impl Into<Executor<'_>>,
    organisation_id: i64,
) -> sqlx::Result<Vec<OrganisationContact>> {
    let rows: Vec<(String, String)> = on_either!(db, |executor| {
        sqlx::query_as(
            "SELECT name, email FROM users
             WHERE organisation_id = $1 AND activated_at IS NOT NULL ORDER BY name, email",
        )
        .bind(organisation_id)
        .fetch_all(executor)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(name, email)| OrganisationContact { name, email })
        .collect())
}

/// The id of an active account of the organisation with this e-mail, whatever its case.
pub async fn contact_id(
    db: impl Into<Executor<'_>>,
    organisation_id: i64,
    email: &str,
) -> sqlx::Result<Option<i64>> {
    on_either!(db, |executor| {
        sqlx::query_scalar(
            "SELECT id FROM users
             WHERE organisation_id = $1 AND email = CAST($2 AS CITEXT)
               AND activated_at IS NOT NULL",
        )
        .bind(organisation_id)
        .bind(email)
        .fetch_optional(executor)
        .await
    })
}

/// Empties a deleted account's row of the person: the placeholder name and address, no
/// password, no role beyond contact, not active. The row stays for the foreign keys of the
/// organisation's tickets (DEVELOPERS.md "The customer's own data").
pub async fn anonymise(
    db: impl Into<Executor<'_>>,
    user_id: i64,
    placeholder_name: &str,
    placeholder_email: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_either!(db, |executor| {
        sqlx::query(
            "UPDATE users SET name = $1, email = $2, role = 'contact', password_hash = NULL,
                 activated_at = NULL, deleted_at = $3
             WHERE id = $4",
        )
        .bind(placeholder_name)
        .bind(placeholder_email)
        .bind(now)
        .bind(user_id)
        .execute(executor)
        .await
        .map(drop)
    })
}

/// When the account was created and confirmed, for the person's data export.
pub async fn account_dates(
    db: impl Into<Executor<'_>>,
    user_id: i64,
) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    on_either!(db, |executor| {
        sqlx::query_as("SELECT created_at, activated_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(executor)
            .await
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::WriteGate;
    use crate::test_support::TestDatabases;

    const NORTHWIND: NewOrganisation = NewOrganisation {
        name: "Northwind",
        plan: "standard",
        domains: &[],
        allow_self_registration: true,
    };

    fn contact<'a>(organisation_id: i64, email: &'a str, name: &'a str) -> NewUser<'a> {
        NewUser {
            organisation_id,
            email,
            name,
            role: Role::Contact,
            password_hash: Some("hash"),
            active: true,
        }
    }

    #[tokio::test]
    async fn organisations_are_found_by_any_case_of_their_domains() {
        TestDatabases::each(async |db| {
            let domains = ["Northwind.example".to_owned(), "nw.example".to_owned()];
            let northwind = NewOrganisation {
                domains: &domains,
                ..NORTHWIND
            };
            let mut transaction = WriteGate::default().begin(db).await.unwrap();
            let id = create_organisation(&mut transaction, &northwind, 10)
                .await
                .unwrap();
            transaction.commit().await.unwrap();

            let found = organisation_for_domain(db, "NORTHWIND.example")
                .await
                .unwrap();
            assert_eq!(found.map(|found| found.id), Some(id));
            assert!(
                organisation_for_domain(db, "example")
                    .await
                    .unwrap()
                    .is_none()
            );
            let by_name = organisation_by_name(db, "Northwind")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(by_name, organisation(db, id).await.unwrap().unwrap());
            assert!(by_name.allow_self_registration);
            assert_eq!(organisation_count(db).await.unwrap(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn an_organisation_whose_domain_is_taken_leaves_nothing_behind() {
        TestDatabases::each(async |db| {
            let gate = WriteGate::default();
            let domains = ["northwind.example".to_owned()];
            let first = NewOrganisation {
                domains: &domains,
                ..NORTHWIND
            };
            let mut transaction = gate.begin(db).await.unwrap();
            create_organisation(&mut transaction, &first, 10)
                .await
                .unwrap();
            transaction.commit().await.unwrap();

            let second = NewOrganisation {
                name: "Northwind again",
                ..first
            };
            let mut transaction = gate.begin(db).await.unwrap();
            let refused = create_organisation(&mut transaction, &second, 20).await;
            assert!(refused.is_err(), "the domain belongs to Northwind");
            drop(transaction);
            assert_eq!(organisation_count(db).await.unwrap(), 1);
        })
        .await;
    }

    #[tokio::test]
    async fn people_are_found_by_any_case_of_their_address_and_confirmed_once() {
        TestDatabases::each(async |db| {
            let mut transaction = WriteGate::default().begin(db).await.unwrap();
            let northwind = create_organisation(&mut transaction, &NORTHWIND, 10)
                .await
                .unwrap();
            transaction.commit().await.unwrap();
            let pending = NewUser {
                active: false,
                ..contact(northwind, "nancy@northwind.example", "  Nancy ")
            };
            let nancy = create_user(db, &pending, 10).await.unwrap();

            let found = user_by_email(db, "Nancy@Northwind.example")
                .await
                .unwrap()
                .unwrap();
            assert_eq!((found.id, found.name.as_str()), (nancy, "Nancy"));
            assert!(!found.is_active());
            assert_eq!(
                contact_id(db, northwind, "nancy@northwind.example")
                    .await
                    .unwrap(),
                None
            );

            assert!(
                replace_unconfirmed(db, nancy, "Nancy D", "other")
                    .await
                    .unwrap()
            );
            set_password(db, nancy, "new hash", 30).await.unwrap();
            activate(db, nancy, 40).await.unwrap();
            let confirmed = user(db, nancy).await.unwrap().unwrap();
            assert_eq!(
                confirmed.activated_at,
                Some(30),
                "confirmed when she set it"
            );
            assert_eq!(confirmed.password_hash.as_deref(), Some("new hash"));
            assert!(
                !replace_unconfirmed(db, nancy, "Someone", "x")
                    .await
                    .unwrap()
            );
            assert_eq!(
                contact_id(db, northwind, "NANCY@northwind.example")
                    .await
                    .unwrap(),
                Some(nancy)
            );
        })
        .await;
    }

    #[tokio::test]
    async fn only_old_unconfirmed_accounts_without_a_working_link_are_removed() {
        TestDatabases::each(async |db| {
            let mut transaction = WriteGate::default().begin(db).await.unwrap();
            let northwind = create_organisation(&mut transaction, &NORTHWIND, 10)
                .await
                .unwrap();
            transaction.commit().await.unwrap();
            let unconfirmed = |email| NewUser {
                active: false,
                ..contact(northwind, email, "Someone")
            };
            let old = create_user(db, &unconfirmed("old@northwind.example"), 10)
                .await
                .unwrap();
            let with_link = create_user(db, &unconfirmed("link@northwind.example"), 10)
                .await
                .unwrap();
            create_user(db, &unconfirmed("new@northwind.example"), 100)
                .await
                .unwrap();
            create_user(db, &contact(northwind, "ok@northwind.example", "Ok"), 10)
                .await
                .unwrap();
            crate::db::tokens::create(
                db,
                "link-hash",
                with_link,
                crate::db::tokens::Purpose::Registration,
                10,
                500,
            )
            .await
            .unwrap();

            assert_eq!(delete_unconfirmed(db, 50, 200).await.unwrap(), 1);
            assert!(user(db, old).await.unwrap().is_none());
            assert!(user(db, with_link).await.unwrap().is_some());
        })
        .await;
    }

    #[tokio::test]
    async fn the_cc_picker_lists_only_active_people_of_the_organisation() {
        TestDatabases::each(async |db| {
            let gate = WriteGate::default();
            let mut transaction = gate.begin(db).await.unwrap();
            let northwind = create_organisation(&mut transaction, &NORTHWIND, 10)
                .await
                .unwrap();
            let other = NewOrganisation {
                name: "Contoso",
                ..NORTHWIND
            };
            let contoso = create_organisation(&mut transaction, &other, 10)
                .await
                .unwrap();
            transaction.commit().await.unwrap();
            for (organisation, email, name) in [
                (northwind, "zoe@northwind.example", "Zoe"),
                (northwind, "anna@northwind.example", "Anna"),
                (contoso, "carl@contoso.example", "Carl"),
            ] {
                create_user(db, &contact(organisation, email, name), 10)
                    .await
                    .unwrap();
            }
            let pending = NewUser {
                active: false,
                ..contact(northwind, "bea@northwind.example", "Bea")
            };
            create_user(db, &pending, 10).await.unwrap();
            let anna = user_by_email(db, "anna@northwind.example")
                .await
                .unwrap()
                .unwrap();
            set_name(db, anna.id, " Anna B ").await.unwrap();

            let listed: Vec<_> = organisation_contacts(db, northwind)
                .await
                .unwrap()
                .into_iter()
                .map(|contact| contact.name)
                .collect();
            assert_eq!(listed, ["Anna B", "Zoe"]);
        })
        .await;
    }
}
