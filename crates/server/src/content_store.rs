//! Where attachments' content lives, through `object_store`: a folder by default, an
//! S3-compatible bucket by configuration (`LANTERN_ATTACHMENT_STORE`). Content is addressed by
//! its SHA-256 as `sha256/ab/cdef...`, the folder layout from before object storage, so an
//! existing folder keeps working. Every write replaces the whole object at once (a folder's
//! files are written beside and renamed), so no reader sees half a file.

use std::path::{Path as FilePath, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use axum::body::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{BoxStream, StreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::buffered::BufWriter;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt};
use tokio::io::AsyncWriteExt;

use crate::config::{AttachmentSettings, AttachmentStorage};

/// Beyond this many bytes a file is sent in parts (S3 needs at least 5 MiB a part).
const PART_BYTES: usize = 8 * 1024 * 1024;
const CONTENT_FOLDER: &str = "sha256";

#[derive(Clone, Debug)]
pub struct ContentStore {
    objects: Arc<dyn ObjectStore>,
    /// The folder of a folder store.
    folder: Option<PathBuf>,
}

/// A stored content and when it was last written, by the store's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredContent {
    pub sha256: String,
    pub written: DateTime<Utc>,
}

impl ContentStore {
    pub fn open(settings: &AttachmentSettings) -> anyhow::Result<Self> {
        let objects: Arc<dyn ObjectStore> = match &settings.storage {
            AttachmentStorage::Folder => {
                std::fs::create_dir_all(&settings.dir).with_context(|| {
                    format!(
                        "cannot create the attachments' folder {} (LANTERN_ATTACHMENTS)",
                        settings.dir.display()
                    )
                })?;
                // Synced like the database, so a stored upload survives a power cut too.
                let folder = LocalFileSystem::new_with_prefix(&settings.dir)?
                    .with_fsync(true)
                    .with_automatic_cleanup(true);
                Arc::new(folder)
            }
            AttachmentStorage::S3 { url, options } => open_s3(url, options)
                .with_context(|| format!("cannot use LANTERN_ATTACHMENT_STORE={url}"))?,
        };
        let folder = (settings.storage == AttachmentStorage::Folder).then(|| settings.dir.clone());
        Ok(Self { objects, folder })
    }

    /// Stores the file at `file` as the content `sha256`, replacing a copy already there:
    /// that makes it young again for [`crate::attachments::collect_garbage`].
    pub async fn put_file(&self, sha256: &str, file: &FilePath) -> anyhow::Result<()> {
        let mut source = tokio::fs::File::open(file).await?;
        let mut writer =
            BufWriter::with_capacity(self.objects.clone(), content_path(sha256), PART_BYTES);
        let written = async {
            tokio::io::copy(&mut source, &mut writer).await?;
            writer.shutdown().await
        }
        .await;
        if let Err(error) = written {
            // Parts already sent would otherwise stay in the bucket, unseen and billed.
            let _ = writer.abort().await;
            return Err(anyhow::Error::from(error).context(format!("cannot store {sha256}")));
        }
        Ok(())
    }

    /// When the content was last written; `None` when it is not stored.
    pub async fn written(&self, sha256: &str) -> anyhow::Result<Option<DateTime<Utc>>> {
        match self.objects.head(&content_path(sha256)).await {
            Ok(meta) => Ok(Some(meta.last_modified)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// The content's bytes as they stream in; `None` when it is not stored.
    pub async fn read(
        &self,
        sha256: &str,
    ) -> anyhow::Result<Option<BoxStream<'static, object_store::Result<Bytes>>>> {
        match self.objects.get(&content_path(sha256)).await {
            Ok(found) => Ok(Some(found.into_stream())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes the content; one already gone is no error.
    pub async fn remove(&self, sha256: &str) -> anyhow::Result<()> {
        match self.objects.delete(&content_path(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Every stored content. Objects that are not content (none should be) are left out.
    pub async fn list(&self) -> anyhow::Result<Vec<StoredContent>> {
        let mut listed = self.objects.list(Some(&Path::from(CONTENT_FOLDER)));
        let mut contents = Vec::new();
        while let Some(meta) = listed.next().await {
            let meta = meta?;
            if let Some(sha256) = sha256_of(&meta.location) {
                contents.push(StoredContent {
                    sha256,
                    written: meta.last_modified,
                });
            }
        }
        Ok(contents)
    }
}

/// Makes ring the crypto library of the process's TLS, which the bucket's HTTP client (reqwest
/// with rustls, built without a library of its own) needs before it is built. Again is no error.
pub fn use_ring_for_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl ContentStore {
    /// The file of the content in a folder store; `None` for a bucket.
    pub fn local_file(&self, sha256: &str) -> Option<PathBuf> {
        let path = content_path(sha256);
        self.folder.as_ref().map(|folder| {
            path.parts()
                .fold(folder.clone(), |file, part| file.join(part.as_ref()))
        })
    }

    /// Removes the files a folder store was writing when its server was killed, older than
    /// `older_than`, so none still being written goes. A folder store writes each file beside
    /// its place as `<name>#<number>` and renames it; it never reads or lists those. (A bucket
    /// keeps the parts of a cut-off upload until its lifecycle rule for incomplete multipart
    /// uploads removes them; README "Attachments in S3".) Returns how many went.
    pub async fn remove_interrupted_writes(&self, older_than: Duration) -> anyhow::Result<usize> {
        let Some(folder) = &self.folder else {
            return Ok(0);
        };
        let mut prefixes = match tokio::fs::read_dir(folder.join(CONTENT_FOLDER)).await {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            other => other?,
        };
        let cut_off = SystemTime::now() - older_than;
        let mut removed = 0;
        while let Some(prefix) = prefixes.next_entry().await? {
            if !prefix.file_type().await?.is_dir() {
                continue;
            }
            let mut files = tokio::fs::read_dir(prefix.path()).await?;
            while let Some(file) = files.next_entry().await? {
                let being_written = file.file_name().to_string_lossy().contains('#');
                if being_written && file.metadata().await?.modified()? < cut_off {
                    tokio::fs::remove_file(file.path()).await?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

fn open_s3(url: &str, options: &[(String, String)]) -> anyhow::Result<Arc<dyn ObjectStore>> {
    use_ring_for_tls();
    let mut builder = AmazonS3Builder::from_env().with_url(url);
    for (key, value) in options {
        let key: AmazonS3ConfigKey = key
            .parse()
            .with_context(|| format!("{key} is not an S3 option"))?;
        builder = builder.with_config(key, value);
    }
    let bucket = builder.build()?;
    // The URL names the bucket for the builder; the folder in it is the store's.
    let prefix = url::Url::parse(url)?.path().trim_matches('/').to_owned();
    Ok(if prefix.is_empty() {
        Arc::new(bucket)
    } else {
        Arc::new(PrefixStore::new(bucket, prefix.as_str()))
    })
}

fn content_path(sha256: &str) -> Path {
    let (first, rest) = sha256.split_at(2.min(sha256.len()));
    Path::from_iter([CONTENT_FOLDER, first, rest])
}

fn sha256_of(location: &Path) -> Option<String> {
    let mut parts = location.parts();
    if parts.next()?.as_ref() != CONTENT_FOLDER {
        return None;
    }
    let first = parts.next()?;
    let rest = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    Some(format!("{}{}", first.as_ref(), rest.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_addressed_by_its_hash_as_before_object_storage() {
        let path = content_path("abcdef");
        assert_eq!(path.as_ref(), "sha256/ab/cdef");
        assert_eq!(sha256_of(&path).as_deref(), Some("abcdef"));
        assert_eq!(sha256_of(&Path::from("tmp/ab/cdef")), None);
        assert_eq!(sha256_of(&Path::from("sha256/ab/cd/ef")), None);
    }

    /// What every store does: stores whole files, replaces them, lists, removes.
    async fn stores_lists_and_removes(store: &ContentStore, scratch: &FilePath) {
        let upload = scratch.join("upload.part");
        std::fs::write(&upload, b"2025-03-03 ERR E1042").expect("an upload");
        store.put_file("ab12", &upload).await.expect("stored");
        let first = store.written("ab12").await.expect("head").expect("stored");
        store.put_file("ab12", &upload).await.expect("stored again");
        let listed = store.list().await.expect("listed");
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].sha256, "ab12");
        assert!(listed[0].written >= first, "storing again makes it young");
        let mut read = Vec::new();
        let mut stream = store.read("ab12").await.expect("get").expect("stored");
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert_eq!(read, b"2025-03-03 ERR E1042");
        store.remove("ab12").await.expect("removed");
        store
            .remove("ab12")
            .await
            .expect("removing what is gone is fine");
        assert_eq!(store.written("ab12").await.expect("head"), None);
        assert!(store.read("ab12").await.expect("get").is_none());
        assert!(store.list().await.expect("listed").is_empty());
    }

    #[tokio::test]
    async fn a_folder_store_keeps_the_layout_and_its_interrupted_writes_go_when_old() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let settings = crate::test_support::config_in(dir.path()).attachments;
        let store = ContentStore::open(&settings).expect("a folder store");
        stores_lists_and_removes(&store, dir.path()).await;

        let upload = dir.path().join("upload.part");
        store.put_file("cd34", &upload).await.expect("stored");
        let prefix = settings.dir.join("sha256").join("cd");
        assert!(prefix.join("34").is_file(), "the layout of before");
        let old = prefix.join("56#1");
        crate::test_support::write_dated(&old, b"half", Duration::from_secs(601));
        let young = prefix.join("78#1");
        std::fs::write(&young, b"half").expect("a write going on");
        let timeout = Duration::from_secs(600);
        assert_eq!(store.remove_interrupted_writes(timeout).await.ok(), Some(1));
        assert!(!old.exists());
        assert!(young.exists());
        assert!(prefix.join("34").is_file());
    }

    /// A store in a new folder of the tests' S3 server; `None` without one
    /// (`test_support::s3_url`).
    async fn bucket_store(dir: &FilePath) -> Option<ContentStore> {
        let endpoint = crate::test_support::s3_url()?;
        let mut settings = crate::test_support::config_in(dir).attachments;
        settings.storage = crate::test_support::test_bucket(&endpoint)
            .await
            .expect("a bucket on the test server");
        Some(ContentStore::open(&settings).expect("a bucket store"))
    }

    #[tokio::test]
    async fn a_bucket_store_stores_lists_and_removes() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let Some(store) = bucket_store(dir.path()).await else {
            return;
        };
        stores_lists_and_removes(&store, dir.path()).await;
        assert_eq!(
            store.remove_interrupted_writes(Duration::ZERO).await.ok(),
            Some(0)
        );
    }

    #[tokio::test]
    async fn a_large_file_goes_to_a_bucket_in_parts_and_comes_back_whole() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let Some(store) = bucket_store(dir.path()).await else {
            return;
        };
        let content: Vec<u8> = (0..PART_BYTES * 2 + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        let upload = dir.path().join("large.part");
        std::fs::write(&upload, &content).expect("a large upload");
        store
            .put_file("ef90", &upload)
            .await
            .expect("stored in parts");
        let mut read = Vec::new();
        let mut stream = store.read("ef90").await.expect("get").expect("stored");
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert!(
            read == content,
            "{} bytes back of {}",
            read.len(),
            content.len()
        );
    }
}
