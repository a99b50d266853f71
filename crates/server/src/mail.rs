//! Delivers the outbox: over SMTP when `LANTERN_SMTP_URL` is set, otherwise by logging each
//! message (recipient and subject) and marking it delivered, which suits development and demos.

use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::Db;
use crate::db::outbox::{self, Mail};
use crate::state::AppState;

/// How often the outbox is looked at.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
const BATCH: i64 = 20;

pub enum Mailer {
    Log,
    Smtp(Box<Smtp>),
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer the configuration asks for; a bad SMTP URL or sender names its key.
    pub fn from_config(smtp_url: Option<&str>, mail_from: &str) -> anyhow::Result<Self> {
        let Some(url) = smtp_url else {
            return Ok(Self::Log);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("invalid configuration: LANTERN_SMTP_URL is not an SMTP URL such as smtps://user:password@mail.example.com")?
            .build();
        let from = mail_from.parse().with_context(|| {
            format!(
                "invalid configuration: LANTERN_MAIL_FROM = {mail_from:?} is not a mail address"
            )
        })?;
        Ok(Self::Smtp(Box::new(Smtp { transport, from })))
    }

    async fn deliver(&self, mail: &Mail) -> anyhow::Result<()> {
        match self {
            Self::Log => {
                tracing::info!(to = ?mail.recipient, subject = ?mail.subject, "mail (no SMTP configured, not sent)");
                Ok(())
            }
            Self::Smtp(smtp) => {
                let Smtp { transport, from } = smtp.as_ref();
                let message = Message::builder()
                    .from(from.clone())
                    .to(mail.recipient.parse().context("invalid recipient")?)
                    .subject(&mail.subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .context("cannot build the message")?;
                transport
                    .send(message)
                    .await
                    .context("SMTP delivery failed")?;
                Ok(())
            }
        }
    }
}

/// Delivers what is pending now; returns how many messages went out.
pub async fn deliver_pending(db: &Db, mailer: &Mailer, now: i64) -> anyhow::Result<usize> {
    let mut delivered = 0;
    for mail in outbox::pending(db, BATCH).await? {
        match mailer.deliver(&mail).await {
            Ok(()) => {
                outbox::mark_sent(db, mail.id, now).await?;
                delivered += 1;
            }
            Err(error) => {
                tracing::warn!(
                    mail = mail.id,
                    error = format!("{error:#}"),
                    "mail delivery failed; will retry"
                );
                outbox::mark_failed(db, mail.id, &format!("{error:#}")).await?;
            }
        }
    }
    Ok(delivered)
}

/// Runs delivery in the background for as long as the server runs.
pub fn spawn_delivery(state: AppState, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(POLL_INTERVAL);
        loop {
            ticks.tick().await;
            if let Err(error) = deliver_pending(&state.database, &mailer, state.now_seconds()).await
            {
                tracing::error!(error = format!("{error:#}"), "cannot read the outbox");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_smtp_url_names_its_key() {
        let Err(error) = Mailer::from_config(Some("not a url"), "a@b.example") else {
            panic!("a bad URL was accepted");
        };
        assert!(format!("{error:#}").contains("LANTERN_SMTP_URL"));
    }

    #[test]
    fn without_smtp_mail_is_logged() {
        let mailer = Mailer::from_config(None, "whatever").unwrap();
        assert!(matches!(mailer, Mailer::Log));
    }
}
