//! Everything Lantern holds about the signed-in person, as one ZIP (GDPR articles 15 and 20):
//! her account, the tickets she filed or is copied on as she reads them (internal notes never
//! are), the files on them, and her article votes. JSON, so another system can read it.
//!
//! Built in memory, so its files are capped ([`MAX_FILE_BYTES`]; the ones beyond are named in
//! README.txt and stay downloadable from their tickets), a server puts a few together at once
//! (`rate_limits::EXPORTS_AT_ONCE`), and each person may export a few times an hour
//! (`LANTERN_EXPORTS_PER_HOUR`): a download reads every ticket and file she has.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use futures_util::StreamExt;
use lantern_core::api::{Me, SessionSummary};
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::accounts;
use crate::attachments;
use crate::auth::CurrentUser;
use crate::db::{self, instant, tickets::TicketRow};
use crate::error::{AppError, AppResult};
use crate::kb::Voter;
use crate::state::AppState;
use crate::tickets::{access, detail};

/// The most bytes of attached files one export holds.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A finished export: the ZIP and the name to save it under.
pub struct Export {
    pub file_name: String,
    pub zip: Vec<u8>,
}

/// `account.json`: the person, her organisation and where she is signed in.
#[derive(Serialize)]
struct AccountFile {
    #[serde(flatten)]
    me: Me,
    created_at: DateTime<Utc>,
    /// When the invitation or registration was confirmed.
    activated_at: Option<DateTime<Utc>>,
    sessions: Vec<SessionSummary>,
    /// Browsers that signed in with the password, by when each was last used.
    known_browsers: Vec<KnownBrowser>,
}

#[derive(Serialize)]
struct KnownBrowser {
    last_used_at: DateTime<Utc>,
}

/// One line of `votes.json`.
#[derive(Serialize)]
struct VoteLine {
    article: String,
    title: String,
    helpful: bool,
    voted_at: DateTime<Utc>,
}

/// The person's data as one ZIP; `rate_limited` beyond the hour's allowance, `overloaded`
/// while the server is putting as many others together as it takes at once.
pub async fn export(state: &AppState, user: &CurrentUser) -> AppResult<Export> {
    let _place = state.rate_limits.export(user.id)?;
    let mut archive = Archive::default();
    archive.json("account.json".to_owned(), &account(state, user).await?)?;
    let mut files = FileBudget::default();
    for ticket_id in db::tickets::filed_or_copied(&state.database, user.id).await? {
        let Some(row) = db::tickets::find(&state.database, ticket_id).await? else {
            continue;
        };
        if !access::can_see(state, user, &row).await? {
            continue;
        }
        let path = format!("tickets/{}.json", row.number);
        archive.json(path, &detail::for_customer(state, &row).await?)?;
        add_files(state, user, &row, &mut archive, &mut files).await?;
    }
    archive.json("votes.json".to_owned(), &votes(state, user).await?)?;
    archive.add(
        "README.txt".to_owned(),
        readme(&files.left_out).into_bytes(),
    );
    let now = state.clock.now();
    let zip = tokio::task::spawn_blocking(move || archive.into_zip(now))
        .await
        .map_err(anyhow::Error::from)??;
    Ok(Export {
        file_name: format!("lantern-data-{}.zip", now.format("%Y-%m-%d")),
        zip,
    })
}

async fn account(state: &AppState, user: &CurrentUser) -> AppResult<AccountFile> {
    let (created_at, activated_at) = db::accounts::account_dates(&state.database, user.id)
        .await?
        .ok_or_else(|| AppError::unauthorized("Please sign in."))?;
    let known_browsers = db::known_devices::last_used_by(&state.database, user.id)
        .await?
        .into_iter()
        .map(|last_used_at| KnownBrowser {
            last_used_at: instant(last_used_at),
        })
        .collect();
    Ok(AccountFile {
        me: accounts::me(state, user.id).await?,
        created_at: instant(created_at),
        activated_at: activated_at.map(instant),
        sessions: accounts::sessions(state, user).await?,
        known_browsers,
    })
}

async fn votes(state: &AppState, user: &CurrentUser) -> AppResult<Vec<VoteLine>> {
    let votes = db::kb::votes_of(&state.database, &Voter::User(user.id).key()).await?;
    Ok(votes
        .into_iter()
        .map(|vote| VoteLine {
            article: vote.slug,
            title: vote.title,
            helpful: vote.helpful,
            voted_at: instant(vote.voted_at),
        })
        .collect())
}

/// What is left of [`MAX_FILE_BYTES`], and the files that did not fit.
struct FileBudget {
    left: u64,
    left_out: Vec<String>,
}

impl Default for FileBudget {
    fn default() -> Self {
        Self {
            left: MAX_FILE_BYTES,
            left_out: Vec::new(),
        }
    }
}

/// Adds the ticket's files under `attachments/<ticket>/<name>`, through the same rule and
/// store as a download from the ticket page. A file whose content is gone is named as left out.
async fn add_files(
    state: &AppState,
    user: &CurrentUser,
    row: &TicketRow,
    archive: &mut Archive,
    files: &mut FileBudget,
) -> AppResult<()> {
    for attachment in db::attachments::of_ticket(&state.database, row.id).await? {
        let path = archive.free_path(&row.number, &attachment.id, &attachment.name);
        let size = u64::try_from(attachment.size).unwrap_or(u64::MAX);
        if size > files.left {
            files.left_out.push(path);
            continue;
        }
        match read_file(state, user, &attachment.id).await {
            Ok(bytes) => {
                files.left -= size;
                archive.add(path, bytes);
            }
            Err(error) if error.code() == "not_found" => files.left_out.push(path),
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

async fn read_file(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Vec<u8>> {
    let (_, mut content) = attachments::open_for_download(state, user, id).await?;
    let mut bytes = Vec::new();
    while let Some(chunk) = content.next().await {
        let chunk = chunk
            .map_err(|error| anyhow::Error::from(error).context(format!("attachment {id}")))?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The files of the ZIP, in order, before it is written.
#[derive(Default)]
struct Archive {
    entries: Vec<(String, Vec<u8>)>,
    paths: HashSet<String>,
}

impl Archive {
    fn add(&mut self, path: String, bytes: Vec<u8>) {
        self.paths.insert(path.clone());
        self.entries.push((path, bytes));
    }

    fn json(&mut self, path: String, value: &impl Serialize) -> AppResult<()> {
        let bytes = serde_json::to_vec_pretty(value).map_err(anyhow::Error::from)?;
        self.add(path, bytes);
        Ok(())
    }

    /// `attachments/<ticket>/<name>`, or with the upload's id in front when two files of the
    /// ticket have the same name.
    fn free_path(&self, ticket: &str, id: &str, name: &str) -> String {
        let path = format!("attachments/{ticket}/{name}");
        if self.paths.contains(&path) {
            format!("attachments/{ticket}/{id}-{name}")
        } else {
            path
        }
    }

    /// Writes the ZIP (deflated, each file dated `now`): CPU work, run off the async threads.
    fn into_zip(self, now: DateTime<Utc>) -> anyhow::Result<Vec<u8>> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(zip_time(now));
        for (path, bytes) in self.entries {
            writer.start_file(path, options)?;
            writer.write_all(&bytes)?;
        }
        Ok(writer.finish()?.into_inner())
    }
}

/// `now` as a ZIP's MS-DOS time; its default (1980) when out of that range.
fn zip_time(now: DateTime<Utc>) -> zip::DateTime {
    let part = |value: u32| u8::try_from(value).unwrap_or_default();
    u16::try_from(now.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                part(now.month()),
                part(now.day()),
                part(now.hour()),
                part(now.minute()),
                part(now.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}

/// README.txt: what each file is, and the files left out.
fn readme(left_out: &[String]) -> String {
    let mut text = String::from(
        "Your data in Lantern, the support portal\n\
         \n\
         account.json         Your account: name, e-mail address, role, organisation and its\n\
         \x20                    plan, when the account was created and confirmed, the sessions\n\
         \x20                    you are signed in with, and when each browser that signed in\n\
         \x20                    with your password was last used.\n\
         tickets/LAN-....json Each ticket you filed or are copied on, as you see it: what was\n\
         \x20                    submitted, the conversation with support, escalation requests\n\
         \x20                    and your satisfaction survey answer. Support's internal notes\n\
         \x20                    are not yours to see and are not included.\n\
         attachments/LAN-.../ The files on those tickets.\n\
         votes.json           Your \"Was this helpful?\" votes on knowledge-base articles.\n\
         \n\
         Search analytics: Lantern keeps what was searched without naming anyone (no account,\n\
         address or browser), so none of it is tied to you and none is included.\n\
         \n\
         Times are UTC (ISO 8601). Passwords and session tokens are stored only as hashes and\n\
         are never exported.\n",
    );
    if !left_out.is_empty() {
        text.push_str(&format!(
            "\nNot included: beyond the export's {} MiB of files, or unavailable while it was \
             made (download them from their ticket's page):\n",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
        for path in left_out {
            text.push_str(&format!("  {path}\n"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_files_of_a_ticket_with_one_name_both_get_a_path() {
        let mut archive = Archive::default();
        let first = archive.free_path("LAN-000001", "a1", "agent.log");
        archive.add(first.clone(), b"first".to_vec());
        let second = archive.free_path("LAN-000001", "b2", "agent.log");
        assert_eq!(first, "attachments/LAN-000001/agent.log");
        assert_eq!(second, "attachments/LAN-000001/b2-agent.log");
        assert_eq!(
            archive.free_path("LAN-000002", "c3", "agent.log"),
            "attachments/LAN-000002/agent.log"
        );
    }

    #[test]
    fn the_readme_names_the_files_left_out() {
        assert!(!readme(&[]).contains("Not included"));
        let text = readme(&["attachments/LAN-000001/huge.log".to_owned()]);
        assert!(
            text.contains("Not included: beyond the export's 64 MiB"),
            "{text}"
        );
        assert!(
            text.contains("  attachments/LAN-000001/huge.log\n"),
            "{text}"
        );
    }

    #[test]
    fn the_zip_holds_each_file_as_written() {
        let mut archive = Archive::default();
        archive.add("README.txt".to_owned(), b"hello".to_vec());
        archive.add("attachments/LAN-000001/a.log".to_owned(), vec![7; 10_000]);
        let bytes = archive
            .into_zip(chrono::DateTime::UNIX_EPOCH)
            .expect("a ZIP");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("it reads");
        assert_eq!(zip.len(), 2);
        let mut log = Vec::new();
        std::io::Read::read_to_end(
            &mut zip
                .by_name("attachments/LAN-000001/a.log")
                .expect("the log"),
            &mut log,
        )
        .expect("its bytes");
        assert_eq!(log, vec![7; 10_000]);
    }
}
