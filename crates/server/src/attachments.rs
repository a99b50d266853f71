//! Uploads: streamed to a temporary file with the size limit enforced while the bytes arrive,
//! then stored once per content in the attachment store (`crate::content_store`: a folder or a
//! bucket). Those who can see its
//! ticket download it (its uploader alone until it is on a ticket), always as a download.
//! Content no upload refers to any more is removed later by [`collect_garbage`], not in the
//! turn of the request that let it go.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use lantern_core::ticket::{AttachmentKind, AttachmentLimits, AttachmentUploaded, size_text};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::auth::CurrentUser;
use crate::config::AttachmentSettings;
use crate::db::attachments::Attachment;
use crate::db::{self, Executor};
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

/// Stores the content and records the upload. The content is stored before the transaction,
/// so a slow bucket never holds up other writers; that it is still there is checked again
/// under the content's lock, after the row is written: the garbage collector may have taken
/// an old copy in between, and cannot once the row is committed.
async fn persist(
    state: &AppState,
    user: &CurrentUser,
    received: &ReceivedFile,
    record: &db::attachments::NewAttachment<'_>,
) -> AppResult<()> {
    let settings = &state.config.attachments;
    let store = &state.attachment_store;
    // Before the content is stored, so a refused upload leaves nothing behind ...
    check_quotas(
        &state.database,
        settings,
        user,
        record.size,
        state.now_seconds(),
    )
    .await?;
    store
        .put_file(&received.sha256, &received.temp.path)
        .await?;
    let mut tx = state.begin_write().await?;
    let now = state.now_seconds();
    // ... and again within the write transaction, so uploads finishing together cannot both
    // slip under (the content of the one refused then waits for the garbage collection).
    check_quotas(&mut tx, settings, user, record.size, now).await?;
    db::attachments::lock_content(&mut tx, record.sha256).await?;
    db::attachments::insert(&mut tx, record, now).await?;
    if store.written(&received.sha256).await?.is_none() {
        store
            .put_file(&received.sha256, &received.temp.path)
            .await?;
    }
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

/// Removes the uploads never put on a ticket within the configured time; their content goes
/// with the next [`collect_garbage`]. Returns how many went.
pub async fn remove_unused(state: &AppState) -> AppResult<usize> {
    let before = db::seconds(state.clock.now() - state.config.attachments.unused_upload_lifetime);
    let mut tx = state.begin_write().await?;
    let removed = db::attachments::delete_unused_before(&mut tx, before).await?;
    tx.commit().await?;
    Ok(removed.len())
}

/// Deletes one's own upload that is not on a ticket; its content goes with the next
/// [`collect_garbage`] when no other upload uses it.
pub async fn delete(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<()> {
    let mut tx = state.begin_write().await?;
    db::attachments::delete_unattached(&mut tx, id, user.id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(())
}

/// Removes stored content no upload refers to once it is older than the grace period
/// (`LANTERN_ATTACHMENT_GRACE_MINUTES`): what deleted and expired uploads let go, and what an
/// upload cut off between storing its content and committing its row left. Younger content
/// may belong to an upload about to commit. Each removal counts the uploads again under the
/// content's lock, which an upload takes before it checks its content is there, so the two
/// never cross, on one server or several. Returns how many went.
pub async fn collect_garbage(state: &AppState) -> AppResult<usize> {
    let store = &state.attachment_store;
    // The store's clock dates the content (the file system, or the bucket's server), so the
    // age is measured by the real clock, never the tests' manual one.
    let cut_off = chrono::Utc::now() - state.config.attachments.garbage_grace;
    let referenced: HashSet<String> = db::attachments::referenced_sha256(&state.database)
        .await?
        .into_iter()
        .collect();
    let mut removed = 0;
    for stored in store.list().await? {
        if referenced.contains(&stored.sha256) || stored.written >= cut_off {
            continue;
        }
        let mut tx = state.begin_write().await?;
        db::attachments::lock_content(&mut tx, &stored.sha256).await?;
        let unused = db::attachments::count_with_sha256(&mut tx, &stored.sha256).await? == 0;
        // Stored again since the listing, by an upload that has not committed yet?
        let old = store
            .written(&stored.sha256)
            .await?
            .is_some_and(|written| written < cut_off);
        if unused && old {
            store.remove(&stored.sha256).await?;
            removed += 1;
        }
        // Nothing was written; the commit ends the lock.
        tx.commit().await?;
    }
    Ok(removed)
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
) -> AppResult<(Attachment, ContentStream)> {
    let attachment =
        db::attachments::find_in_organisation(&state.database, id, user.organisation_id)
            .await?
            .ok_or_else(not_found)?;
    if !may_see(state, user, &attachment).await? {
        return Err(not_found());
    }
    let content = state
        .attachment_store
        .read(&attachment.sha256)
        .await
        .map_err(|error| error.context(format!("attachment {id}")))?
        .ok_or_else(not_found)?;
    Ok((attachment, content))
}

/// A stored file's bytes as they arrive from the store.
pub type ContentStream =
    futures_util::stream::BoxStream<'static, object_store::Result<axum::body::Bytes>>;

async fn may_see(state: &AppState, user: &CurrentUser, attachment: &Attachment) -> AppResult<bool> {
    let Some(ticket_id) = attachment.ticket_id else {
        return Ok(attachment.uploader_id == user.id);
    };
    match db::tickets::find(&state.database, ticket_id).await? {
        Some(ticket) => tickets::access::can_see(state, user, &ticket).await,
        None => Ok(false),
    }
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

/// Removes what uploads left when a server died mid-upload (a kill runs no `Drop`), in the
/// temporary folder and in a folder store: the files older than `upload_timeout`, as no upload
/// takes longer, so the uploads in flight of other servers sharing the folder are left alone.
/// Returns how many went.
pub async fn remove_partial_uploads(
    state: &AppState,
    upload_timeout: std::time::Duration,
) -> anyhow::Result<usize> {
    let interrupted = state
        .attachment_store
        .remove_interrupted_writes(upload_timeout)
        .await?;
    Ok(interrupted + remove_received_before(&state.config.attachments, upload_timeout).await?)
}

async fn remove_received_before(
    settings: &AttachmentSettings,
    upload_timeout: std::time::Duration,
) -> anyhow::Result<usize> {
    let mut entries = match tokio::fs::read_dir(temp_dir(settings)).await {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    };
    let cut_off = SystemTime::now() - upload_timeout;
    let mut removed = 0;
    while let Some(entry) = entries.next_entry().await? {
        let partial = entry
            .path()
            .extension()
            .is_some_and(|extension| extension == PART_EXTENSION);
        if partial && entry.metadata().await?.modified()? < cut_off {
            tokio::fs::remove_file(entry.path()).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

const PART_EXTENSION: &str = "part";

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
    async fn partial_uploads_older_than_an_upload_may_take_are_removed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let settings = crate::test_support::config_in(dir.path()).attachments;
        let timeout = std::time::Duration::from_secs(600);
        assert_eq!(
            remove_received_before(&settings, timeout).await.ok(),
            Some(0)
        );
        let temp = temp_dir(&settings);
        std::fs::create_dir_all(&temp).expect("the temporary folder");
        let left = temp.join("left.part");
        let age = std::time::Duration::from_secs(601);
        crate::test_support::write_dated(&left, b"half", age);
        let arriving = temp.join("arriving.part");
        std::fs::write(&arriving, b"half").expect("an upload in flight");
        let other = temp.join("notes.txt");
        std::fs::write(&other, b"not an upload").expect("another file");
        assert_eq!(
            remove_received_before(&settings, timeout).await.ok(),
            Some(1)
        );
        assert!(!left.exists());
        assert!(
            arriving.exists(),
            "another server's upload may still arrive"
        );
        assert!(other.exists());
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
}
