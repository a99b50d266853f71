//! `lantern-server admin backup` and `admin restore` (issue 20): a consistent copy of a portal
//! on SQLite taken while it serves, in one tar file an operator can also read with `tar`:
//! `lantern.db` (SQLite's `VACUUM INTO`, one transaction's view), the content of every upload
//! that copy refers to under `attachments/sha256/`, and `manifest.json` saying what is in it.
//! Content kept in a bucket is listed, not copied: the bucket is backed up by its own means
//! (versioning, replication). On PostgreSQL the database is `pg_dump`'s (README).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail, ensure};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::config::{AttachmentStorage, Backend, Config};
use crate::content_store::ContentStore;
use crate::db::Db;
use crate::state::AppState;

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "lantern.db";
const CONTENT_FOLDER: &str = "attachments/sha256/";
const FORMAT: u32 = 1;

/// What a backup holds.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    lantern_version: String,
    created_at: String,
    tickets: i64,
    /// Whether the content is in the file or only listed (kept in a bucket).
    content_included: bool,
    /// Every content the database refers to.
    contents: Vec<StoredContent>,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
struct StoredContent {
    sha256: String,
    size: i64,
}

/// Writes a backup of the running portal to `to` (replacing nothing: a file already there is
/// an error). The database is copied first, then the content it refers to, so every upload of
/// the copy has its file: content goes only when no upload refers to it and it is older than
/// the garbage collection's grace period.
pub async fn backup(state: &AppState, to: &Path) -> anyhow::Result<String> {
    let Db::Sqlite(pool) = &state.database else {
        bail!(
            "the database is PostgreSQL: back it up with pg_dump (README \"Back up and restore\"); \
             this command backs up SQLite portals"
        );
    };
    ensure!(
        !to.exists(),
        "{} exists already: name a new file",
        to.display()
    );
    let snapshot = Removed(sibling(to, "db")?);
    sqlx::query("VACUUM INTO $1")
        .bind(snapshot.0.display().to_string())
        .execute(pool)
        .await
        .context("SQLite could not copy the database (VACUUM INTO)")?;
    let mut copy = open_checked(&snapshot.0).await?;
    let contents: Vec<StoredContent> = sqlx::query_as(
        "SELECT sha256, MAX(size) AS size FROM attachments GROUP BY sha256 ORDER BY sha256",
    )
    .fetch_all(&mut copy)
    .await?;
    let tickets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(&mut copy)
        .await?;
    copy.close().await?;

    let store = state.attachment_store.clone();
    let content_included = matches!(state.config.attachments.storage, AttachmentStorage::Folder);
    let manifest = Manifest {
        format: FORMAT,
        lantern_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: state.clock.now().to_rfc3339(),
        tickets,
        content_included,
        contents,
    };
    let partial = Removed(sibling(to, "partial")?);
    let (partial_path, snapshot_path) = (partial.0.clone(), snapshot.0.clone());
    let manifest = tokio::task::spawn_blocking(move || {
        write_archive(&partial_path, &snapshot_path, &store, &manifest).map(|()| manifest)
    })
    .await??;
    std::fs::rename(&partial.0, to)?;
    Ok(format!(
        "Backed up {} tickets and {} stored files ({}) to {}.",
        manifest.tickets,
        manifest.contents.len(),
        if manifest.content_included {
            "included"
        } else {
            "listed; their bucket is backed up on its own"
        },
        to.display()
    ))
}

fn write_archive(
    to: &Path,
    database: &Path,
    store: &ContentStore,
    manifest: &Manifest,
) -> anyhow::Result<()> {
    let mut archive = tar::Builder::new(BufWriter::new(File::create(to)?));
    archive.append_path_with_name(database, DATABASE)?;
    if manifest.content_included {
        for content in &manifest.contents {
            let Some(path) = store
                .local_file(&content.sha256)
                .filter(|path| path.is_file())
            else {
                bail!(
                    "the stored file of {} is gone (its upload was deleted during the backup?): \
                     run the backup again",
                    content.sha256
                );
            };
            archive.append_path_with_name(path, format!("{CONTENT_FOLDER}{}", content.sha256))?;
        }
    }
    let text = serde_json::to_vec_pretty(manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    archive.append_data(&mut header, MANIFEST, text.as_slice())?;
    let file = archive
        .into_inner()?
        .into_inner()
        .map_err(|error| error.into_error())?;
    file.sync_all()?;
    Ok(())
}

/// Restores the backup `from` into the configured database file (which must not exist yet)
/// and attachment store, after checking it: the database passes `PRAGMA integrity_check`,
/// every included file hashes to its name, and every listed one is in the bucket.
pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<String> {
    ensure!(
        config.database.backend == Backend::Sqlite,
        "LANTERN_DATABASE_URL is PostgreSQL: restore its pg_dump with pg_restore (README)"
    );
    let target = SqliteConnectOptions::from_str(&config.database.url)?
        .get_filename()
        .to_owned();
    ensure!(
        !target.exists(),
        "{} exists: restore into a new place, or move the database away first",
        target.display()
    );
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let store = ContentStore::open(&config.attachments)?;
    let unpacked = Removed(sibling(&target, "restoring")?);
    let files_dir = Removed(sibling(&target, "restoring-files")?);
    std::fs::create_dir_all(&files_dir.0)?;
    let (database_path, files_path, archive_path) =
        (unpacked.0.clone(), files_dir.0.clone(), from.to_owned());
    let (manifest, files) =
        tokio::task::spawn_blocking(move || unpack(&archive_path, &database_path, &files_path))
            .await??;
    ensure!(
        manifest.format == FORMAT,
        "{} is a backup of format {}; this server reads format {FORMAT}",
        from.display(),
        manifest.format
    );
    open_checked(&unpacked.0).await?.close().await?;
    let mut missing = Vec::new();
    for content in &manifest.contents {
        match files.get(&content.sha256) {
            Some(file) => store.put_file(&content.sha256, file).await?,
            None if manifest.content_included => missing.push(content.sha256.clone()),
            None => {
                if store.written(&content.sha256).await?.is_none() {
                    missing.push(content.sha256.clone());
                }
            }
        }
    }
    ensure!(
        missing.is_empty(),
        "{} stored files the database refers to are neither in the backup nor in the store, \
         e.g. {}",
        missing.len(),
        missing[0]
    );
    std::fs::rename(&unpacked.0, &target)?;
    Ok(format!(
        "Restored {} tickets and {} stored files from {} (taken {}) into {}.",
        manifest.tickets,
        manifest.contents.len(),
        from.display(),
        manifest.created_at,
        target.display()
    ))
}

/// Reads the archive: the database to `database`, each content file into `files` once its
/// bytes hash to its name. Entries other than these are refused, so no path of the archive
/// can reach outside them.
fn unpack(
    archive: &Path,
    database: &Path,
    files: &Path,
) -> anyhow::Result<(Manifest, BTreeMap<String, PathBuf>)> {
    let file = File::open(archive).with_context(|| format!("cannot open {}", archive.display()))?;
    let mut entries = tar::Archive::new(file);
    let mut manifest = None;
    let mut database_found = false;
    let mut contents = BTreeMap::new();
    for entry in entries.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if name == DATABASE {
            entry.unpack(database)?;
            database_found = true;
        } else if name == MANIFEST {
            let mut text = Vec::new();
            entry.read_to_end(&mut text)?;
            manifest = Some(serde_json::from_slice::<Manifest>(&text)?);
        } else if let Some(sha256) = name
            .strip_prefix(CONTENT_FOLDER)
            .filter(|sha256| sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            let path = files.join(sha256);
            let mut out = File::create(&path)?;
            let mut hasher = Sha256::new();
            let mut buffer = vec![0; 64 * 1024];
            loop {
                let read = entry.read(&mut buffer)?;
                if read == 0 {
                    break;
                }
                hasher.update(&buffer[..read]);
                out.write_all(&buffer[..read])?;
            }
            ensure!(
                hex::encode(hasher.finalize()) == sha256,
                "the backup's file {name} does not hold its content: the backup is damaged"
            );
            contents.insert(sha256.to_owned(), path);
        } else {
            bail!(
                "{} holds {name:?}, which no Lantern backup holds",
                archive.display()
            );
        }
    }
    ensure!(database_found, "{} holds no {DATABASE}", archive.display());
    let manifest =
        manifest.with_context(|| format!("{} holds no {MANIFEST}", archive.display()))?;
    Ok((manifest, contents))
}

/// Opens a database copy read-only after `PRAGMA integrity_check` passes on it.
async fn open_checked(path: &Path) -> anyhow::Result<SqliteConnection> {
    let mut connection = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("cannot open the database copy {}", path.display()))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await?;
    ensure!(check == "ok", "the database copy is damaged: {check}");
    Ok(connection)
}

/// `dir/.name.suffix` beside `path`, for what is written before it takes its place.
fn sibling(path: &Path, suffix: &str) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let sibling = path.with_file_name(format!(".{}.{suffix}", name.to_string_lossy()));
    remove_any(&sibling)?;
    Ok(sibling)
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    let removed = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// A file or folder removed when dropped, whatever happened (moved away, it is gone already).
struct Removed(PathBuf);

impl Drop for Removed {
    fn drop(&mut self) {
        let _ = remove_any(&self.0);
    }
}
