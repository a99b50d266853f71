//! `lantern-server admin ...`: what an operator does from the command line. Each command
//! returns the text to print.

use anyhow::Context;
use clap::Subcommand;
use lantern_core::api::Role;

use crate::accounts;
use crate::db::{self, accounts::NewOrganisation};
use crate::error::{AppError, Refusal};
use crate::state::AppState;
use crate::tokens::{hash_token, new_token};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an organisation with its support plan and e-mail domains.
    CreateOrg {
        #[arg(long)]
        name: String,
        /// Id of a plan in the support policy, e.g. `enterprise`.
        #[arg(long)]
        plan: String,
        /// An e-mail domain of the organisation (repeatable).
        #[arg(long = "domain")]
        domains: Vec<String>,
        /// Let people with an e-mail address at these domains register themselves.
        #[arg(long)]
        allow_self_registration: bool,
    },
    /// Create a contact with a password, or invite them by mail.
    CreateContact {
        /// The organisation's name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, conflicts_with = "invite", required_unless_present = "invite")]
        password: Option<String>,
        /// Mail an invitation link instead of setting a password.
        #[arg(long)]
        invite: bool,
        /// Make the contact an organisation admin (sees all tickets of the organisation).
        #[arg(long)]
        org_admin: bool,
    },
    /// Mail a password-reset link to an account.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
    /// Create a bearer token for the agent API; it is printed once and stored hashed.
    CreateAgentToken {
        #[arg(long)]
        name: String,
        /// Days until the token expires.
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..))]
        expires_in_days: u32,
        /// Limit the token to the tickets of this organisation (its name).
        #[arg(long)]
        org: Option<String>,
    },
    /// Revoke an agent token: it stops working at once.
    RevokeAgentToken {
        #[arg(long)]
        name: String,
    },
    /// Import the knowledge-base articles (Markdown files) into the database.
    ImportKb {
        /// Folder of article files [default: LANTERN_CONTENT, else content/kb].
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
    },
    /// Write a synthetic knowledge base for benchmarks.
    GenerateKb {
        /// How many articles, e.g. 1000, 10000 or 50000.
        #[arg(long)]
        count: usize,
        /// The folder to write them to (created when missing).
        #[arg(long)]
        out: std::path::PathBuf,
        /// The same seed gives the same articles.
        #[arg(long, default_value_t = crate::kb::generate::DEFAULT_SEED)]
        seed: u64,
    },
    /// List the mails given up on: refused by the mail server, or undelivered for three days.
    FailedMail,
    /// Queue mails given up on again (after the mail server is fixed): each is tried at once.
    #[command(group = clap::ArgGroup::new("which").required(true))]
    ResendMail {
        /// The id of a failed mail, as `failed-mail` lists it (repeatable).
        #[arg(long, group = "which")]
        id: Vec<i64>,
        /// Every failed mail.
        #[arg(long, group = "which")]
        all: bool,
    },
    /// Write a backup of the portal (SQLite) to a new tar file while it serves: the database,
    /// the stored files it refers to (or their listing, when they are in a bucket) and a
    /// manifest.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Check a backup and restore it into LANTERN_DATABASE_URL (a file that must not exist
    /// yet) and the attachment store. Run it with the server stopped.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Add generated tickets filed by an existing contact, for benchmarks.
    GenerateTickets {
        /// The contact who files them, e.g. olivia@northwind.example.
        #[arg(long)]
        email: String,
        /// How many, e.g. 100000.
        #[arg(long)]
        count: u32,
    },
}

pub async fn run(state: &AppState, command: AdminCommand) -> anyhow::Result<String> {
    match command {
        AdminCommand::CreateOrg {
            name,
            plan,
            domains,
            allow_self_registration,
        } => create_org(state, &name, &plan, &domains, allow_self_registration).await,
        AdminCommand::CreateContact {
            org,
            email,
            name,
            password,
            invite: _,
            org_admin,
        } => {
            let role = if org_admin {
                Role::OrgAdmin
            } else {
                Role::Contact
            };
            create_contact(state, &org, &email, &name, password.as_deref(), role).await
        }
        AdminCommand::ResetPassword { email } => {
            accounts::request_password_reset(state, &email)
                .await
                .map_err(explain)?;
            Ok(format!(
                "If {email} has an account, a reset link is in the outbox now."
            ))
        }
        AdminCommand::CreateAgentToken {
            name,
            expires_in_days,
            org,
        } => create_agent_token(state, &name, expires_in_days, org.as_deref()).await,
        AdminCommand::RevokeAgentToken { name } => {
            let revoked =
                db::agent_tokens::revoke(&state.database, &name, state.now_seconds()).await?;
            anyhow::ensure!(revoked, "there is no agent token named {name:?} in use");
            Ok(format!("Revoked the agent token {name:?}."))
        }
        AdminCommand::ImportKb { dir } => {
            let dir = dir.as_deref().unwrap_or(&state.config.content);
            crate::kb::import::import_command(&state.database, &state.writes, dir).await
        }
        AdminCommand::GenerateKb { .. } => {
            anyhow::bail!("`admin generate-kb` writes files and needs no database")
        }
        AdminCommand::FailedMail => failed_mail(state).await,
        AdminCommand::Backup { to } => crate::backup::backup(state, &to).await,
        // It must not find the database open: `main` runs it before building a state.
        AdminCommand::Restore { .. } => {
            anyhow::bail!("`admin restore` runs with the server and its database closed")
        }
        AdminCommand::ResendMail { id, all: _ } => {
            let queued =
                db::outbox::resend_failed(&state.database, &id, state.now_seconds()).await?;
            anyhow::ensure!(
                queued > 0 || id.is_empty(),
                "No failed mail has the id {}: `lantern-server admin failed-mail` lists them.",
                id.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            );
            Ok(format!(
                "Failed mails queued again: {queued}; a running server sends them within seconds."
            ))
        }
        AdminCommand::GenerateTickets { email, count } => {
            let inserted = crate::seed::generate_tickets(
                &state.database,
                &state.writes,
                &email,
                count,
                state.now_seconds(),
            )
            .await
            .map_err(explain)?;
            anyhow::ensure!(inserted > 0, "There is no account {email}.");
            Ok(format!("Added {inserted} tickets filed by {email}."))
        }
    }
}

async fn failed_mail(state: &AppState) -> anyhow::Result<String> {
    let failed = db::outbox::failed(&state.database).await?;
    if failed.is_empty() {
        return Ok("No mail has been given up on.".to_owned());
    }
    let mut listing = format!(
        "Mails given up on: {} (resend with `admin resend-mail`)",
        failed.len()
    );
    for mail in failed {
        let queued = db::instant(mail.created_at).format("%Y-%m-%d %H:%M UTC");
        listing.push_str(&format!(
            "\n{:>8}  {queued}  to {}  {:?}  after {} attempts: {}",
            mail.id,
            mail.recipient,
            mail.subject,
            mail.attempts,
            mail.last_error.as_deref().unwrap_or("no error recorded"),
        ));
    }
    Ok(listing)
}

async fn create_org(
    state: &AppState,
    name: &str,
    plan: &str,
    domains: &[String],
    allow_self_registration: bool,
) -> anyhow::Result<String> {
    if state.policy.plan(plan).is_none() {
        let known: Vec<&str> = state
            .policy
            .plans
            .iter()
            .map(|plan| plan.id.as_str())
            .collect();
        anyhow::bail!(
            "the support policy has no plan {plan:?} (its plans: {})",
            known.join(", ")
        );
    }
    let organisation = NewOrganisation {
        name,
        plan,
        domains,
        allow_self_registration,
    };
    let mut transaction = state.begin_write().await?;
    let id =
        db::accounts::create_organisation(&mut transaction, &organisation, state.now_seconds())
            .await
            .map_err(|error| {
                if db::is_unique_violation(&error) {
                    anyhow::anyhow!(
                        "an organisation named {name:?} or one of the domains exists already"
                    )
                } else {
                    error.into()
                }
            })?;
    transaction.commit().await?;
    Ok(format!(
        "Created organisation {name:?} (id {id}, plan {plan})."
    ))
}

async fn create_contact(
    state: &AppState,
    org: &str,
    email: &str,
    name: &str,
    password: Option<&str>,
    role: Role,
) -> anyhow::Result<String> {
    let organisation = db::accounts::organisation_by_name(&state.database, org)
        .await?
        .with_context(|| format!("there is no organisation named {org:?}"))?;
    match password {
        Some(password) => {
            accounts::create_account(state, organisation.id, email, name, role, password)
                .await
                .map_err(explain)?;
            Ok(format!("Created {email} in {org}; they can sign in now."))
        }
        None => {
            let link = accounts::invite(state, organisation.id, email, name, role)
                .await
                .map_err(explain)?;
            Ok(format!(
                "Invited {email} to {org}; the mail is in the outbox. Link: {link}"
            ))
        }
    }
}

async fn create_agent_token(
    state: &AppState,
    name: &str,
    expires_in_days: u32,
    org: Option<&str>,
) -> anyhow::Result<String> {
    let organisation = match org {
        Some(org) => Some(
            db::accounts::organisation_by_name(&state.database, org)
                .await?
                .with_context(|| format!("there is no organisation named {org:?}"))?,
        ),
        None => None,
    };
    let token = new_token();
    let now = state.clock.now();
    let expires = now + chrono::Duration::days(expires_in_days.into());
    let record = db::agent_tokens::NewAgentToken {
        name,
        token_hash: &hash_token(&token),
        expires_at: Some(db::seconds(expires)),
        organisation_id: organisation.as_ref().map(|organisation| organisation.id),
    };
    db::agent_tokens::create(&state.database, &record, db::seconds(now))
        .await
        .map_err(|error| {
            if db::is_unique_violation(&error) {
                anyhow::anyhow!("an agent token named {name:?} exists already")
            } else {
                error.into()
            }
        })?;
    let reach = organisation.map_or_else(
        || "every organisation".to_owned(),
        |organisation| format!("the tickets of {:?}", organisation.name),
    );
    Ok(format!(
        "Agent token for {name:?}, reaching {reach}, valid until {} (shown once, keep it \
         safe):\n{token}",
        crate::clock::readable_utc(expires)
    ))
}

/// Turns an API error into a sentence for the terminal, with the per-field messages.
fn explain(error: AppError) -> anyhow::Error {
    match error {
        AppError::Refused(Refusal {
            message, fields, ..
        }) if !fields.is_empty() => {
            let details: Vec<String> = fields
                .iter()
                .map(|(field, text)| format!("{field}: {text}"))
                .collect();
            anyhow::anyhow!("{message} {}", details.join("; "))
        }
        AppError::Internal(cause) => cause,
        other => anyhow::anyhow!("{other}"),
    }
}
