//! Uploads: streamed to a temporary file with the size limit enforced while the bytes arrive,
//! then stored once per content under `<dir>/sha256/ab/cdef...` (a rename, so a reader never
//! sees half a file). Those who can see its ticket download it (its uploader alone until it is on
//! a ticket), always as a download.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use lantern_core::ticket::{AttachmentKind, AttachmentLimits, AttachmentUploaded, size_text};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::auth::CurrentUser;
use crate::config::AttachmentSettings;
use crate::db::attachments::{Attachment, ContentRemoval};
use crate::db::{self, Db, Executor};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tickets;

/// Longest stored file name, in characters.
const MAX_NAME_LENGTH: usize = 120;
/// Longest value of the `kind` part.
const MAX_KIND_LENGTH: usize = 32;
const FILE_PART: &str = "file";
const KIND_PART: &str = "kind";

pub fn limits(settings: &AttachmentSettings) -> AttachmentLimits {
    AttachmentLimits {
        max_bytes: settings.max_bytes,
        allowed_extensions: settings.allowed_extensions.clone(),
    }
}

/// Stores the `file` part of a multipart upload with its `kind`.
pub async fn upload(
    state: &AppState,
    user: &CurrentUser,
    mut multipart: Multipart,
) -> AppResult<AttachmentUploaded> {
    let settings = &state.config.attachments;
    // Someone with no room left is told before the file streams in: the smallest file taken
    // is one byte.
    check_quotas(&state.database, settings, user, 1, state.now_seconds()).await?;
    let mut kind = None;
    let mut received = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some(KIND_PART) => kind = Some(read_kind(field).await?),
            Some(FILE_PART) if received.is_none() => {
                received = Some(receive_file(settings, field).await?);
            }
            Some(FILE_PART) => {
                return Err(AppError::field(FILE_PART, "Upload one file at a time."));
            }
            _ => {
                return Err(AppError::field(
                    FILE_PART,
                    "Send only the parts `file` and `kind`.",
                ));
            }
        }
    }
    let received =
        received.ok_or_else(|| AppError::field(FILE_PART, "Choose a file to upload."))?;
    let record = db::attachments::NewAttachment {
        id: &new_attachment_id(),
        organisation_id: user.organisation_id,
        uploader_id: user.id,
        sha256: &received.sha256,
        size: received.size,
        name: &received.name,
        content_type: content_type_of(&received.name),
        kind: kind.unwrap_or_default(),
    };
    persist(state, user, &received, &record).await?;
    Ok(AttachmentUploaded {
        id: record.id.to_owned(),
        name: received.name.clone(),
        size: received.size,
        kind: record.kind,
        content_type: record.content_type.to_owned(),
    })
}

async fn read_kind(mut field: Field<'_>) -> AppResult<AttachmentKind> {
    let mut text = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        text.extend_from_slice(&chunk);
        if text.len() > MAX_KIND_LENGTH {
            break;
        }
    }
    std::str::from_utf8(&text)
        .ok()
        .and_then(|text| AttachmentKind::parse(text.trim()))
        .ok_or_else(|| AppError::field(KIND_PART, "Choose log, screenshot or other."))
}

/// A file received into a temporary file, not yet stored.
struct ReceivedFile {
    temp: TempFile,
    name: String,
    sha256: String,
    size: u64,
}

async fn receive_file(
    settings: &AttachmentSettings,
    mut field: Field<'_>,
) -> AppResult<ReceivedFile> {
    let name = field
        .file_name()
        .and_then(sanitise_file_name)
        .ok_or_else(|| AppError::field(FILE_PART, "The file needs a name."))?;
    check_type(settings, &name)?;
    let temp = TempFile::create_in(&temp_dir(settings)).await?;
    let mut file = tokio::fs::File::create(&temp.path)
        .await
        .map_err(anyhow::Error::from)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        size += chunk.len() as u64;
        if size > settings.max_bytes {
            // Dropping `temp` removes what arrived so far.
            return Err(too_large(settings.max_bytes));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(anyhow::Error::from)?;
    }
    if size == 0 {
        return Err(AppError::field(FILE_PART, "The file is empty."));
    }
    file.sync_all().await.map_err(anyhow::Error::from)?;
    Ok(ReceivedFile {
        temp,
        name,
        sha256: hex::encode(hasher.finalize()),
        size,
    })
}

fn too_large(max_bytes: u64) -> AppError {
    AppError::payload_too_large(format!(
        "The file is larger than {}. Compress it, or split it into smaller files.",
        size_text(max_bytes)
    ))
}

fn check_type(settings: &AttachmentSettings, name: &str) -> AppResult<()> {
    let extension = extension_of(name);
    if settings
        .allowed_extensions
        .iter()
        .any(|allowed| Some(allowed.as_str()) == extension.as_deref())
    {
        return Ok(());
    }
    Err(AppError::unsupported_media_type(format!(
        "Files of this type cannot be attached. Allowed types: {}.",
        settings.allowed_extensions.join(" ")
    )))
}

/// Moves the file to its content address and records the upload. The row is written first so
/// the transaction holds SQLite's write lock (on PostgreSQL the content's lock) while the file
/// moves: a concurrent delete of the last upload with the same content cannot remove it in
/// between.
async fn persist(
    state: &AppState,
    user: &CurrentUser,
    received: &ReceivedFile,
    record: &db::attachments::NewAttachment<'_>,
) -> AppResult<()> {
    let target = blob_path(&state.config.attachments.dir, &received.sha256);
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(anyhow::Error::from)?;
    }
    let mut tx = state.begin_write().await?;
    let now = state.now_seconds();
    // Within the write transaction, so uploads finishing together cannot both slip under.
    check_quotas(&mut tx, &state.config.attachments, user, record.size, now).await?;
    db::attachments::lock_content_for_upload(&mut tx, record.sha256).await?;
    db::attachments::insert(&mut tx, record, now).await?;
    tokio::fs::rename(&received.temp.path, &target)
        .await
        .map_err(anyhow::Error::from)?;
    tx.commit().await?;
    Ok(())
}

/// Refuses `size` more bytes that would take `user`, or their organisation, past the bytes
/// allowed within a day.
async fn check_quotas(
    db: impl Into<Executor<'_>>,
    settings: &AttachmentSettings,
    user: &CurrentUser,
    size: u64,
    now: i64,
) -> AppResult<()> {
    const DAY: i64 = 24 * 60 * 60;
    let since = now - DAY;
    let mut db = db.into();
    let by_person = db::attachments::bytes_uploaded_by(db.reborrow(), user.id, since).await?;
    if exceeds(by_person, size, settings.quota_per_user_bytes) {
        return Err(over_quota(format!(
            "You can upload {} a day and have used {} of it. Remove files you no longer need, \
             or try again tomorrow.",
            size_text(settings.quota_per_user_bytes),
            size_text(u64::try_from(by_person).unwrap_or_default()),
        )));
    }
    let in_organisation =
        db::attachments::bytes_uploaded_in(db, user.organisation_id, since).await?;
    if exceeds(in_organisation, size, settings.quota_per_organisation_bytes) {
        return Err(over_quota(format!(
            "Your organisation can upload {} a day and has used {} of it. Try again tomorrow.",
            size_text(settings.quota_per_organisation_bytes),
            size_text(u64::try_from(in_organisation).unwrap_or_default()),
        )));
    }
    Ok(())
}

fn exceeds(used: i64, size: u64, quota: u64) -> bool {
    u64::try_from(used).unwrap_or_default().saturating_add(size) > quota
}

fn over_quota(message: String) -> AppError {
    AppError::coded(
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_quota_exceeded",
        message,
    )
}

/// Removes the uploads never put on a ticket within the configured time, and their content
/// when no other upload uses it (after the commit, as in [`delete`]). Returns how many went.
pub async fn remove_unused(state: &AppState) -> AppResult<usize> {
    let before = db::seconds(state.clock.now() - state.config.attachments.unused_upload_lifetime);
    let mut tx = state.begin_write().await?;
    let removed = db::attachments::delete_unused_before(&mut tx, before).await?;
    let contents: Vec<&str> = removed.iter().map(String::as_str).collect();
    let removal = ContentRemoval::lock(&state.database, &contents).await?;
    let mut unused_content = Vec::new();
    for sha256 in contents.into_iter().collect::<HashSet<_>>() {
        if db::attachments::count_with_sha256(&mut tx, sha256).await? == 0 {
            unused_content.push(sha256);
        }
    }
    let _turn = tx.commit_keeping_turn().await?;
    for sha256 in unused_content {
        remove_if_present(&blob_path(&state.config.attachments.dir, sha256)).await?;
    }
    removal.release().await?;
    Ok(removed.len())
}

/// Deletes one's own upload that is not on a ticket; the content goes when no upload uses it.
/// The content is removed after the commit, so a failed commit never leaves an upload without
/// it, but before the next writer's turn (on PostgreSQL, under the content's lock), so an
/// upload of the same content cannot slip in between.
pub async fn delete(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<()> {
    let mut tx = state.begin_write().await?;
    let sha256 = db::attachments::delete_unattached(&mut tx, id, user.id)
        .await?
        .ok_or_else(not_found)?;
    let removal = ContentRemoval::lock(&state.database, &[&sha256]).await?;
    let content_unused = db::attachments::count_with_sha256(&mut tx, &sha256).await? == 0;
    let _turn = tx.commit_keeping_turn().await?;
    if content_unused {
        remove_if_present(&blob_path(&state.config.attachments.dir, &sha256)).await?;
    }
    removal.release().await?;
    Ok(())
}

async fn remove_if_present(path: &Path) -> AppResult<()> {
    match tokio::fs::remove_file(path).await {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(anyhow::Error::from(error).into())
        }
        _ => Ok(()),
    }
}

fn not_found() -> AppError {
    AppError::not_found("There is no such file.")
}

/// An upload that `user` may download, opened: one on a ticket by those who can see the
/// ticket, one not on a ticket yet by its uploader alone. One deleted a moment ago (its row
/// read, its content gone) is not found, as it would be a moment later.
pub async fn open_for_download(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(Attachment, tokio::fs::File)> {
    let attachment =
        db::attachments::find_in_organisation(&state.database, id, user.organisation_id)
            .await?
            .ok_or_else(not_found)?;
    if !may_see(state, user, &attachment).await? {
        return Err(not_found());
    }
    let path = blob_path(&state.config.attachments.dir, &attachment.sha256);
    match tokio::fs::File::open(&path).await {
        Ok(file) => Ok((attachment, file)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(not_found()),
        Err(error) => Err(anyhow::anyhow!("attachment {id} at {}: {error}", path.display()).into()),
    }
}

async fn may_see(state: &AppState, user: &CurrentUser, attachment: &Attachment) -> AppResult<bool> {
    let Some(ticket_id) = attachment.ticket_id else {
        return Ok(attachment.uploader_id == user.id);
    };
    match db::tickets::find(&state.database, ticket_id).await? {
        Some(ticket) => tickets::access::can_see(state, user, &ticket).await,
        None => Ok(false),
    }
}

fn blob_path(dir: &Path, sha256: &str) -> PathBuf {
    let (prefix, rest) = sha256.split_at(2.min(sha256.len()));
    dir.join("sha256").join(prefix).join(rest)
}

fn new_attachment_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn multipart_error(error: MultipartError) -> AppError {
    let status = error.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::body_too_large();
    }
    AppError::for_status(status, error.body_text())
}

/// The base name only (no folders, so no path traversal), without control characters or
/// leading dots, at most [`MAX_NAME_LENGTH`] characters with the extension kept.
pub fn sanitise_file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.chars().count() <= MAX_NAME_LENGTH {
        return Some(cleaned.to_owned());
    }
    let extension = extension_of(cleaned).unwrap_or_default();
    let keep = MAX_NAME_LENGTH.saturating_sub(extension.chars().count());
    let stem: String = cleaned.chars().take(keep).collect();
    Some(format!("{stem}{extension}"))
}

/// `.log` of `server.LOG`; `None` without an extension.
fn extension_of(name: &str) -> Option<String> {
    let (stem, extension) = name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| format!(".{}", extension.to_lowercase()))
}

/// The content type stored for a file, from its extension (never from what the client claims).
fn content_type_of(name: &str) -> &'static str {
    match extension_of(name).as_deref() {
        Some(".log" | ".txt") => "text/plain",
        Some(".csv") => "text/csv",
        Some(".json") => "application/json",
        Some(".xml") => "application/xml",
        Some(".zip") => "application/zip",
        Some(".gz") => "application/gzip",
        Some(".pdf") => "application/pdf",
        Some(".png") => "image/png",
        Some(".jpg" | ".jpeg") => "image/jpeg",
        Some(".gif") => "image/gif",
        _ => "application/octet-stream",
    }
}

/// The content type a download is served with: images that browsers never execute keep
/// theirs, everything else is opaque bytes.
pub fn download_content_type(stored: &str) -> &'static str {
    match stored {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/gif" => "image/gif",
        _ => "application/octet-stream",
    }
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 8187).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Where uploads arrive before they are stored.
fn temp_dir(settings: &AttachmentSettings) -> PathBuf {
    settings.dir.join("tmp")
}

/// Removes what uploads left in the temporary folder when the server died mid-upload (a kill
/// runs no `Drop`). Only for start-up: no upload is in flight then. Returns how many went.
pub async fn remove_partial_uploads(settings: &AttachmentSettings) -> anyhow::Result<usize> {
    let mut entries = match tokio::fs::read_dir(temp_dir(settings)).await {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    };
    let mut removed = 0;
    while let Some(entry) = entries.next_entry().await? {
        if entry
            .path()
            .extension()
            .is_some_and(|extension| extension == PART_EXTENSION)
        {
            tokio::fs::remove_file(entry.path()).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

const PART_EXTENSION: &str = "part";

/// Removes stored content that no upload refers to: what a kill between an upload's move into
/// the store and its commit leaves behind. For start-up, like [`remove_partial_uploads`]; each
/// file is counted again under its content's lock, as another server may be storing it.
/// Returns how many files went.
pub async fn remove_unreferenced_content(
    db: &Db,
    settings: &AttachmentSettings,
) -> anyhow::Result<usize> {
    let referenced: HashSet<String> = db::attachments::referenced_sha256(db)
        .await?
        .into_iter()
        .collect();
    let mut prefixes = match tokio::fs::read_dir(settings.dir.join("sha256")).await {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    };
    let mut removed = 0;
    while let Some(prefix) = prefixes.next_entry().await? {
        if !prefix.file_type().await?.is_dir() {
            continue;
        }
        let mut files = tokio::fs::read_dir(prefix.path()).await?;
        while let Some(file) = files.next_entry().await? {
            let sha256 = format!(
                "{}{}",
                prefix.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            );
            if referenced.contains(&sha256) {
                continue;
            }
            let removal = ContentRemoval::lock(db, &[&sha256]).await?;
            if db::attachments::count_with_sha256(db, &sha256).await? == 0 {
                remove_if_present(&file.path()).await?;
                removed += 1;
            }
            removal.release().await?;
        }
    }
    Ok(removed)
}

/// A temporary file that removes itself unless it was moved away.
struct TempFile {
    path: PathBuf,
}

impl TempFile {
    async fn create_in(dir: &Path) -> AppResult<TempFile> {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(anyhow::Error::from)?;
        Ok(TempFile {
            path: dir.join(format!("{}.{PART_EXTENSION}", new_attachment_id())),
        })
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // After a successful rename the file is gone and this does nothing.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn partial_uploads_are_removed_and_stored_files_kept() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let settings = AttachmentSettings {
            dir: dir.path().to_owned(),
            max_bytes: 1024,
            allowed_extensions: vec![".log".to_owned()],
            ..crate::test_support::config_in(dir.path()).attachments
        };
        assert_eq!(remove_partial_uploads(&settings).await.ok(), Some(0));
        let temp = temp_dir(&settings);
        std::fs::create_dir_all(&temp).expect("the temporary folder");
        std::fs::write(temp.join("abc.part"), b"half").expect("a partial upload");
        let stored = blob_path(dir.path(), "ab12");
        std::fs::create_dir_all(stored.parent().expect("a parent")).expect("the store");
        std::fs::write(&stored, b"whole").expect("a stored file");
        assert_eq!(remove_partial_uploads(&settings).await.ok(), Some(1));
        assert!(!temp.join("abc.part").exists());
        assert!(stored.exists());
    }

    #[test]
    fn file_names_lose_folders_and_control_characters() {
        assert_eq!(
            sanitise_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            sanitise_file_name("C:\\Users\\al\\server.log").as_deref(),
            Some("server.log")
        );
        assert_eq!(
            sanitise_file_name("bad\u{0}\nname.txt").as_deref(),
            Some("badname.txt")
        );
        assert_eq!(sanitise_file_name(".."), None);
        assert_eq!(sanitise_file_name("   "), None);
    }

    #[test]
    fn long_file_names_keep_their_extension() {
        let name = sanitise_file_name(&format!("{}.log", "a".repeat(500))).unwrap();
        assert_eq!(name.chars().count(), MAX_NAME_LENGTH);
        assert!(name.ends_with(".log"));
    }

    #[test]
    fn only_safe_images_keep_their_type_on_download() {
        assert_eq!(download_content_type("image/png"), "image/png");
        assert_eq!(
            download_content_type("text/plain"),
            "application/octet-stream"
        );
        assert_eq!(
            download_content_type("image/svg+xml"),
            "application/octet-stream"
        );
    }

    #[test]
    fn content_disposition_is_always_an_attachment_and_encoded() {
        assert_eq!(
            content_disposition("résumé \"x\".txt"),
            "attachment; filename=\"r_sum_ _x_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.txt"
        );
    }

    #[test]
    fn content_is_addressed_by_its_hash() {
        assert_eq!(
            blob_path(Path::new("/data"), "abcdef"),
            PathBuf::from("/data/sha256/ab/cdef")
        );
    }
}
