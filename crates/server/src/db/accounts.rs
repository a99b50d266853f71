//! Organisations, their e-mail domains, and the people who sign in.

use lantern_core::api::Role;
use lantern_core::ticket::OrganisationContact;
use sqlx::{FromRow, SqliteExecutor, SqlitePool};

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

fn role_from_db(role: &str) -> Role {
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

pub async fn create_organisation(
    db: &SqlitePool,
    organisation: &NewOrganisation<'_>,
    now: i64,
) -> sqlx::Result<i64> {
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO organisations (name, plan, allow_self_registration, created_at)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(organisation.name)
    .bind(organisation.plan)
    .bind(organisation.allow_self_registration)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for domain in organisation.domains {
        sqlx::query("INSERT INTO organisation_domains (domain, organisation_id) VALUES (?, ?)")
            .bind(domain.trim().to_lowercase())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn organisation_count(db: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(db)
        .await
}

const ORGANISATION_COLUMNS: &str = "o.id, o.name, o.plan, o.allow_self_registration";

pub async fn organisation(db: &SqlitePool, id: i64) -> sqlx::Result<Option<Organisation>> {
    sqlx::query_as(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE o.id = ?"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn organisation_by_name(
    db: &SqlitePool,
    name: &str,
) -> sqlx::Result<Option<Organisation>> {
    sqlx::query_as(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o WHERE o.name = ?"
    ))
    .bind(name)
    .fetch_optional(db)
    .await
}

/// The organisation that owns an e-mail domain, if any.
pub async fn organisation_for_domain(
    db: &SqlitePool,
    domain: &str,
) -> sqlx::Result<Option<Organisation>> {
    sqlx::query_as(&format!(
        "SELECT {ORGANISATION_COLUMNS} FROM organisations o
         JOIN organisation_domains d ON d.organisation_id = o.id WHERE d.domain = ?"
    ))
    .bind(domain)
    .fetch_optional(db)
    .await
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

pub async fn create_user(db: &SqlitePool, user: &NewUser<'_>, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (organisation_id, email, name, role, password_hash, activated_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(user.organisation_id)
    .bind(user.email)
    .bind(user.name.trim())
    .bind(role_to_db(user.role))
    .bind(user.password_hash)
    .bind(user.active.then_some(now))
    .bind(now)
    .fetch_one(db)
    .await
}

const USER_COLUMNS: &str = "id, organisation_id, email, name, role, password_hash, activated_at";

pub async fn user(db: &SqlitePool, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn user_by_email(db: &SqlitePool, email: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?"))
        .bind(email)
        .fetch_optional(db)
        .await
}

/// Sets a new password and activates the account when it was not yet.
pub async fn set_password(
    db: &SqlitePool,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = ?, activated_at = COALESCE(activated_at, ?) WHERE id = ?",
    )
    .bind(password_hash)
    .bind(now)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Confirms an account (registration confirmed) without touching its password.
pub async fn activate(db: &SqlitePool, user_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET activated_at = COALESCE(activated_at, ?) WHERE id = ?")
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Gives an unconfirmed account a new name and password; false when it is confirmed by now.
pub async fn replace_unconfirmed(
    db: &SqlitePool,
    user_id: i64,
    name: &str,
    password_hash: &str,
) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET name = ?, password_hash = ? WHERE id = ? AND activated_at IS NULL",
    )
    .bind(name.trim())
    .bind(password_hash)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes accounts never confirmed that were created before `created_before` and have no
/// link left that works at `now`; returns how many.
pub async fn delete_unconfirmed(
    db: &SqlitePool,
    created_before: i64,
    now: i64,
) -> sqlx::Result<u64> {
    let result = sqlx::query(
        "DELETE FROM users WHERE activated_at IS NULL AND created_at < ?
         AND NOT EXISTS (SELECT 1 FROM account_tokens t
                         WHERE t.user_id = users.id AND t.used_at IS NULL AND t.expires_at > ?)",
    )
    .bind(created_before)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub async fn set_name(db: &SqlitePool, user_id: i64, name: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET name = ? WHERE id = ?")
        .bind(name.trim())
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Active accounts of an organisation, by name (the CC picker).
pub async fn organisation_contacts(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
) -> sqlx::Result<Vec<OrganisationContact>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, email FROM users
         WHERE organisation_id = ? AND activated_at IS NOT NULL ORDER BY name, email",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, email)| OrganisationContact { name, email })
        .collect())
}

/// The id of an active account of the organisation with this e-mail.
pub async fn contact_id(
    db: impl SqliteExecutor<'_>,
    organisation_id: i64,
    email: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM users
         WHERE organisation_id = ? AND email = ? AND activated_at IS NOT NULL",
    )
    .bind(organisation_id)
    .bind(email)
    .fetch_optional(db)
    .await
}
