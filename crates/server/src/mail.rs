//! Delivers the outbox: over SMTP when `LANTERN_SMTP_URL` is set, otherwise by logging each
//! message (recipient and subject) and marking it delivered, which suits development and demos.
//! A mail the mail server did not take is tried again after a growing wait, for days
//! (`db::outbox::next_attempt`), so an outage of the mail server delays mail and loses none.

use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::outbox::{self, Mail};
use crate::metrics;
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

    async fn deliver(&self, mail: &Mail) -> Result<(), Undelivered> {
        match self {
            Self::Log => {
                tracing::info!(to = ?mail.recipient, subject = ?mail.subject, "mail (no SMTP configured, not sent)");
                Ok(())
            }
            Self::Smtp(smtp) => {
                let Smtp { transport, from } = smtp.as_ref();
                let message = Message::builder()
                    .from(from.clone())
                    .to(mail.recipient.parse().map_err(|error| {
                        Undelivered::Refused(format!("invalid recipient: {error}"))
                    })?)
                    .subject(&mail.subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .map_err(|error| {
                        Undelivered::Refused(format!("cannot build the message: {error}"))
                    })?;
                transport.send(message).await.map(drop).map_err(|error| {
                    let text = format!("SMTP delivery failed: {error}");
                    if error.is_permanent() {
                        Undelivered::Refused(text)
                    } else if error.is_transient() {
                        Undelivered::Deferred(text)
                    } else {
                        Undelivered::Unreachable(text)
                    }
                })
            }
        }
    }
}

/// Why a mail did not go out.
enum Undelivered {
    /// It never will as it is: an invalid address, or the mail server's permanent (5xx) no.
    Refused(String),
    /// The mail server answered "not now" (4xx): this mail is tried again later.
    Deferred(String),
    /// No answer from the mail server (refused connection, timeout, TLS): every other mail of
    /// the round would wait for the same failure, so they are left for the next round.
    Unreachable(String),
}

/// Deletes the outbox's copies of mails sent more than `LANTERN_SENT_MAIL_RETENTION_DAYS`
/// ago: a mail's body can hold a ticket's conversation and a link, and is needed only while an
/// operator may still be asked whether it went out. Returns how many went.
pub async fn remove_old_sent(state: &AppState) -> anyhow::Result<u64> {
    let before = state.now_seconds() - state.config.sent_mail_retention.num_seconds();
    Ok(outbox::remove_sent_before(&state.single_write().await, before).await?)
}

/// Delivers the mails that are due now; returns how many went out. Each write is one
/// statement in turn with the portal's writers (`AppState::single_write`).
pub async fn deliver_pending(state: &AppState, mailer: &Mailer) -> anyhow::Result<usize> {
    let now = state.now_seconds();
    let claimed = outbox::claim_due(&state.single_write().await, now, BATCH).await?;
    let mut delivered = 0;
    let mut mails = claimed.iter();
    for mail in mails.by_ref() {
        let outcome = mailer.deliver(mail).await;
        let (error, permanent) = match &outcome {
            Ok(()) => {
                let write = state.single_write().await;
                outbox::mark_sent(&write, mail.id, state.now_seconds()).await?;
                metrics::mail_attempted("sent");
                delivered += 1;
                continue;
            }
            Err(Undelivered::Refused(error)) => (error, true),
            Err(Undelivered::Deferred(error) | Undelivered::Unreachable(error)) => (error, false),
        };
        let write = state.single_write().await;
        let given_up =
            outbox::mark_failed(&write, mail, error, permanent, state.now_seconds()).await?;
        drop(write);
        metrics::mail_attempted(if given_up { "given_up" } else { "deferred" });
        if given_up {
            tracing::error!(mail = mail.id, error, "mail delivery failed; given up");
        } else {
            tracing::warn!(mail = mail.id, error, "mail delivery failed; will retry");
        }
        if matches!(outcome, Err(Undelivered::Unreachable(_))) {
            break;
        }
    }
    let left: Vec<i64> = mails.map(|mail| mail.id).collect();
    if !left.is_empty() {
        let mut tx = state.begin_write().await?;
        for id in left {
            outbox::release(&mut tx, id).await?;
        }
        tx.commit().await?;
    }
    Ok(delivered)
}

/// Runs delivery in the background for as long as the server runs.
pub fn spawn_delivery(state: AppState, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(POLL_INTERVAL);
        loop {
            ticks.tick().await;
            if let Err(error) = deliver_pending(&state, &mailer).await {
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
