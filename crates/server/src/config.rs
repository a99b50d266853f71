//! Configuration: an optional TOML file (`--config` or `LANTERN_CONFIG`) whose keys are the
//! lower-case names below, overridden by `LANTERN_*` environment variables, overridden by
//! command-line flags. Every value is checked at start-up; a bad one stops the server with a
//! message that names the key.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::Duration;
use ipnet::IpNet;

/// A setting's name in the environment and in the configuration file.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub env: &'static str,
    pub file: &'static str,
}

const fn key(env: &'static str, file: &'static str) -> Key {
    Key { env, file }
}

pub const ADDR: Key = key("LANTERN_ADDR", "addr");
pub const METRICS_ADDR: Key = key("LANTERN_METRICS_ADDR", "metrics_addr");
pub const DATABASE_URL: Key = key("LANTERN_DATABASE_URL", "database_url");
pub const DIST: Key = key("LANTERN_DIST", "dist");
pub const POLICY: Key = key("LANTERN_POLICY", "policy");
pub const CONTENT: Key = key("LANTERN_CONTENT", "content");
pub const IMPORT_KB_AT_START: Key = key("LANTERN_IMPORT_KB_AT_START", "import_kb_at_start");
pub const DATABASE_POOL_SIZE: Key = key("LANTERN_DATABASE_POOL_SIZE", "database_pool_size");
pub const DEMO: Key = key("LANTERN_DEMO", "demo");
pub const DEMO_AGENT_TOKEN: Key = key("LANTERN_DEMO_AGENT_TOKEN", "demo_agent_token");
pub const LOG: Key = key("LANTERN_LOG", "log");
pub const LOG_FORMAT: Key = key("LANTERN_LOG_FORMAT", "log_format");
pub const SECURE_COOKIES: Key = key("LANTERN_SECURE_COOKIES", "secure_cookies");
pub const PUBLIC_URL: Key = key("LANTERN_PUBLIC_URL", "public_url");
pub const SMTP_URL: Key = key("LANTERN_SMTP_URL", "smtp_url");
pub const MAIL_FROM: Key = key("LANTERN_MAIL_FROM", "mail_from");
pub const SESSION_IDLE_MINUTES: Key = key("LANTERN_SESSION_IDLE_MINUTES", "session_idle_minutes");
pub const SESSION_MAX_HOURS: Key = key("LANTERN_SESSION_MAX_HOURS", "session_max_hours");
pub const SIGN_IN_LIMIT_PER_ACCOUNT: Key = key(
    "LANTERN_SIGN_IN_LIMIT_PER_ACCOUNT",
    "sign_in_limit_per_account",
);
pub const SIGN_IN_LIMIT_PER_ADDRESS: Key = key(
    "LANTERN_SIGN_IN_LIMIT_PER_ADDRESS",
    "sign_in_limit_per_address",
);
pub const SIGN_IN_WINDOW_MINUTES: Key =
    key("LANTERN_SIGN_IN_WINDOW_MINUTES", "sign_in_window_minutes");
pub const REGISTRATION_LIMIT_PER_ADDRESS: Key = key(
    "LANTERN_REGISTRATION_LIMIT_PER_ADDRESS",
    "registration_limit_per_address",
);
pub const REGISTRATION_LIMIT_PER_MAILBOX: Key = key(
    "LANTERN_REGISTRATION_LIMIT_PER_MAILBOX",
    "registration_limit_per_mailbox",
);
pub const UNCONFIRMED_ACCOUNT_DAYS: Key = key(
    "LANTERN_UNCONFIRMED_ACCOUNT_DAYS",
    "unconfirmed_account_days",
);
pub const TRUSTED_PROXIES: Key = key("LANTERN_TRUSTED_PROXIES", "trusted_proxies");
pub const ATTACHMENTS: Key = key("LANTERN_ATTACHMENTS", "attachments");
pub const ATTACHMENT_STORE: Key = key("LANTERN_ATTACHMENT_STORE", "attachment_store");
pub const ATTACHMENT_GRACE_MINUTES: Key = key(
    "LANTERN_ATTACHMENT_GRACE_MINUTES",
    "attachment_grace_minutes",
);
pub const ATTACHMENT_MAX_BYTES: Key = key("LANTERN_ATTACHMENT_MAX_BYTES", "attachment_max_bytes");
pub const ATTACHMENT_TYPES: Key = key("LANTERN_ATTACHMENT_TYPES", "attachment_types");
pub const ANALYTICS_RETENTION_DAYS: Key = key(
    "LANTERN_ANALYTICS_RETENTION_DAYS",
    "analytics_retention_days",
);
pub const SENT_MAIL_RETENTION_DAYS: Key = key(
    "LANTERN_SENT_MAIL_RETENTION_DAYS",
    "sent_mail_retention_days",
);
pub const UPLOAD_QUOTA_PER_USER_BYTES: Key = key(
    "LANTERN_UPLOAD_QUOTA_PER_USER_BYTES",
    "upload_quota_per_user_bytes",
);
pub const UPLOAD_QUOTA_PER_ORGANISATION_BYTES: Key = key(
    "LANTERN_UPLOAD_QUOTA_PER_ORGANISATION_BYTES",
    "upload_quota_per_organisation_bytes",
);
pub const UNUSED_UPLOAD_HOURS: Key = key("LANTERN_UNUSED_UPLOAD_HOURS", "unused_upload_hours");
pub const MAX_CONNECTIONS: Key = key("LANTERN_MAX_CONNECTIONS", "max_connections");
pub const HEADER_READ_TIMEOUT_SECONDS: Key = key(
    "LANTERN_HEADER_READ_TIMEOUT_SECONDS",
    "header_read_timeout_seconds",
);
pub const BODY_READ_TIMEOUT_SECONDS: Key = key(
    "LANTERN_BODY_READ_TIMEOUT_SECONDS",
    "body_read_timeout_seconds",
);
pub const REQUEST_TIMEOUT_SECONDS: Key =
    key("LANTERN_REQUEST_TIMEOUT_SECONDS", "request_timeout_seconds");
pub const UPLOAD_TIMEOUT_SECONDS: Key =
    key("LANTERN_UPLOAD_TIMEOUT_SECONDS", "upload_timeout_seconds");
pub const TICKETS_PER_HOUR: Key = key("LANTERN_TICKETS_PER_HOUR", "tickets_per_hour");
pub const REPLIES_PER_HOUR: Key = key("LANTERN_REPLIES_PER_HOUR", "replies_per_hour");
pub const ESCALATIONS_PER_HOUR: Key = key("LANTERN_ESCALATIONS_PER_HOUR", "escalations_per_hour");
pub const CC_MAILS_PER_HOUR: Key = key("LANTERN_CC_MAILS_PER_HOUR", "cc_mails_per_hour");
pub const COOKIELESS_VOTES_PER_HOUR: Key = key(
    "LANTERN_COOKIELESS_VOTES_PER_HOUR",
    "cookieless_votes_per_hour",
);
pub const EXPORTS_PER_HOUR: Key = key("LANTERN_EXPORTS_PER_HOUR", "exports_per_hour");

/// The environment variable naming the configuration file.
pub const CONFIG_FILE_ENV: &str = "LANTERN_CONFIG";

const ALL_KEYS: &[Key] = &[
    ADDR,
    METRICS_ADDR,
    DATABASE_URL,
    DIST,
    POLICY,
    CONTENT,
    IMPORT_KB_AT_START,
    DATABASE_POOL_SIZE,
    DEMO,
    DEMO_AGENT_TOKEN,
    LOG,
    LOG_FORMAT,
    SECURE_COOKIES,
    PUBLIC_URL,
    SMTP_URL,
    MAIL_FROM,
    SESSION_IDLE_MINUTES,
    SESSION_MAX_HOURS,
    SIGN_IN_LIMIT_PER_ACCOUNT,
    SIGN_IN_LIMIT_PER_ADDRESS,
    SIGN_IN_WINDOW_MINUTES,
    REGISTRATION_LIMIT_PER_ADDRESS,
    REGISTRATION_LIMIT_PER_MAILBOX,
    UNCONFIRMED_ACCOUNT_DAYS,
    TRUSTED_PROXIES,
    ATTACHMENTS,
    ATTACHMENT_STORE,
    ATTACHMENT_GRACE_MINUTES,
    ATTACHMENT_MAX_BYTES,
    UPLOAD_QUOTA_PER_USER_BYTES,
    UPLOAD_QUOTA_PER_ORGANISATION_BYTES,
    UNUSED_UPLOAD_HOURS,
    MAX_CONNECTIONS,
    HEADER_READ_TIMEOUT_SECONDS,
    BODY_READ_TIMEOUT_SECONDS,
    REQUEST_TIMEOUT_SECONDS,
    UPLOAD_TIMEOUT_SECONDS,
    TICKETS_PER_HOUR,
    REPLIES_PER_HOUR,
    ESCALATIONS_PER_HOUR,
    CC_MAILS_PER_HOUR,
    COOKIELESS_VOTES_PER_HOUR,
    EXPORTS_PER_HOUR,
    ATTACHMENT_TYPES,
    ANALYTICS_RETENTION_DAYS,
    SENT_MAIL_RETENTION_DAYS,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// How many failed sign-ins are tolerated within a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

/// How many registrations are accepted per hour ([`crate::throttle::REGISTRATION_WINDOW`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationLimits {
    /// From one client address.
    pub per_address: u32,
    /// Of one e-mail address, so the form cannot flood a mailbox.
    pub per_mailbox: u32,
}

/// The database engines Lantern knows; `LANTERN_DATABASE_URL`'s scheme chooses one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `LANTERN_DATABASE_URL`, with the backend its scheme names.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub backend: Backend,
    /// As given; it may carry a password, so it is printed only through [`DatabaseUrl::redacted`].
    pub url: String,
}

impl DatabaseUrl {
    /// The URL with the password of its user part (`user:password@`) replaced by `***`, for
    /// messages and logs.
    pub fn redacted(&self) -> String {
        redact_password(&self.url)
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("backend", &self.backend)
            .field("url", &self.redacted())
            .finish()
    }
}

fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Cannot fail: a URL with a password has a host.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        // Where a URL that does not parse keeps its password cannot be told, so all of it goes.
        Err(_) => match url.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://***"),
            None => "***".to_owned(),
        },
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub addr: SocketAddr,
    /// Where Prometheus scrapes `/metrics`; none without it. Keep it off the public network.
    pub metrics_addr: Option<SocketAddr>,
    pub database: DatabaseUrl,
    /// Connections this server keeps to PostgreSQL at most (SQLite's pool is fixed).
    pub database_pool_size: u32,
    pub dist: PathBuf,
    pub policy: PathBuf,
    /// Folder of knowledge-base articles (Markdown), imported at start.
    pub content: PathBuf,
    /// Import `content` at start (the default); with several servers, off, and `lantern-server
    /// admin import-kb` at deploy, so a server restarting with older articles cannot bring
    /// them back.
    pub import_kb_at_start: bool,
    /// Seed demo organisations and accounts into an empty database.
    pub demo: bool,
    pub demo_agent_token: Option<String>,
    /// A `tracing` filter such as `info,sqlx=warn`.
    pub log: String,
    pub log_format: LogFormat,
    /// Mark cookies `Secure`; by default when the public URL is https.
    pub secure_cookies: bool,
    /// Where people reach Lantern; links in mails start with it.
    pub public_url: String,
    /// Deliver mail over SMTP (e.g. `smtps://user:pass@mail.example.com`); without it mail is logged.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// A session ends after this long without a request ...
    pub session_idle: Duration,
    /// ... and at the latest this long after sign-in.
    pub session_max: Duration,
    pub sign_in_limits: SignInLimits,
    pub registration_limits: RegistrationLimits,
    /// Accounts never confirmed (registration or invitation) are removed this long after they
    /// were created, once no link of theirs works any more.
    pub unconfirmed_account_max: Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client; other peers are the client.
    pub trusted_proxies: Vec<IpNet>,
    pub attachments: AttachmentSettings,
    /// Recorded searches and events older than this many days are purged.
    pub analytics_retention_days: u32,
    /// The outbox's copy of a delivered mail is deleted this long after it was sent.
    pub sent_mail_retention: Duration,
    pub connections: ConnectionLimits,
    pub rate_limits: RateLimits,
}

/// What one connection and one request may take, so slow or idle clients cannot hold the
/// server's connections and files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once; further ones wait to be accepted.
    pub max_connections: usize,
    /// A request's headers must arrive within this; it is also how long an idle kept-alive
    /// connection stays open.
    pub header_read_timeout: std::time::Duration,
    /// A request body that sends nothing for this long is cut off.
    pub body_read_timeout: std::time::Duration,
    /// The longest an answer may take, reading the request's body included (uploads excepted).
    pub request_timeout: std::time::Duration,
    /// The longest an upload may take.
    pub upload_timeout: std::time::Duration,
}

/// What one person (or, for cookie-less votes, one client address) may do per hour. A burst of
/// the whole hour's allowance is allowed; after it one more comes back every hour / limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub tickets_per_hour: u32,
    pub replies_per_hour: u32,
    pub escalations_per_hour: u32,
    /// Mails to people in CC caused by one person's tickets and replies.
    pub cc_mails_per_hour: u32,
    /// Votes on articles from browsers without a `lantern_browser` cookie, per client address.
    pub cookieless_votes_per_hour: u32,
    /// Downloads of one's own data: each reads every ticket and file of the person.
    pub exports_per_hour: u32,
}

/// Where uploads are stored and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentSettings {
    /// Folder of uploads as they arrive (`tmp/`), and of the content when it is stored in a
    /// folder.
    pub dir: PathBuf,
    /// Where the content is stored.
    pub storage: AttachmentStorage,
    /// Content no upload refers to is removed once it is this old, so an upload storing it
    /// just now, not yet committed, keeps it (`crate::attachments::collect_garbage`).
    pub garbage_grace: Duration,
    /// Largest file accepted, enforced while the upload streams.
    pub max_bytes: u64,
    /// Lower-case extensions with the dot, e.g. `.log`.
    pub allowed_extensions: Vec<String>,
    /// Bytes one person may upload within a day ...
    pub quota_per_user_bytes: u64,
    /// ... and all people of one organisation together.
    pub quota_per_organisation_bytes: u64,
    /// An upload not put on a ticket within this long is removed.
    pub unused_upload_lifetime: Duration,
}

/// Where attachments' content is stored (`LANTERN_ATTACHMENT_STORE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentStorage {
    /// Under `sha256/` in [`AttachmentSettings::dir`] (unset).
    Folder,
    /// An S3 bucket, `s3://bucket` or `s3://bucket/prefix`. Credentials, region and endpoint
    /// come from the standard `AWS_*` variables; `options` (`aws_endpoint`, ...) override
    /// them, for the tests' own S3 server.
    S3 {
        url: String,
        options: Vec<(String, String)>,
    },
}

/// Default of `LANTERN_ATTACHMENT_TYPES`: logs, archives, structured text, images and PDF.
pub const DEFAULT_ATTACHMENT_TYPES: &str =
    ".log,.txt,.zip,.gz,.json,.xml,.csv,.png,.jpg,.jpeg,.gif,.pdf";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("invalid configuration: {key} = {value:?}: {reason}")]
    Invalid {
        key: String,
        value: String,
        reason: String,
    },
    #[error("invalid configuration: cannot read the configuration file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("invalid configuration: unknown key `{key}` in {path} (known keys: {known})")]
    UnknownKey {
        key: String,
        path: String,
        known: String,
    },
}

impl Config {
    /// Whether people reach Lantern over https: browsers are then told to keep to it (HSTS).
    pub fn serves_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Reads the configuration file (when given) and lets `lookup` (the environment, with
    /// command-line flags on top) override its values. Keys of `lookup` are the `LANTERN_*` names.
    pub fn load(
        file: Option<&Path>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let file_values = match file {
            Some(path) => read_file(path)?,
            None => BTreeMap::new(),
        };
        let sources = Sources {
            file: file_values,
            file_name: file.map(|p| p.display().to_string()),
            lookup: &lookup,
        };
        sources.build()
    }

    /// The configuration from the environment of this process and an optional file.
    pub fn from_env(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load(file, |name| std::env::var(name).ok())
    }
}

struct Sources<'a> {
    file: BTreeMap<String, String>,
    file_name: Option<String>,
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl Sources<'_> {
    fn build(&self) -> Result<Config, ConfigError> {
        let addr: SocketAddr = self.parsed(
            ADDR,
            "127.0.0.1:8080",
            "expected an address such as 127.0.0.1:8080",
        )?;
        let metrics_addr = match self.raw(METRICS_ADDR) {
            None => None,
            Some(value) => Some(value.parse().map_err(|_| {
                self.invalid(
                    METRICS_ADDR,
                    &value,
                    "expected an address such as 127.0.0.1:9464",
                )
            })?),
        };
        let log_format = match self.raw(LOG_FORMAT).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(self.invalid(LOG_FORMAT, other, "expected `text` or `json`"));
            }
        };
        let session_idle_minutes: u32 = self.positive(SESSION_IDLE_MINUTES, 120)?;
        let session_max_hours: u32 = self.positive(SESSION_MAX_HOURS, 24)?;
        let window_minutes: u32 = self.positive(SIGN_IN_WINDOW_MINUTES, 15)?;
        let public_url = self.public_url(addr)?;
        Ok(Config {
            addr,
            metrics_addr,
            database: self.database_url()?,
            database_pool_size: self.positive(DATABASE_POOL_SIZE, 8)?,
            dist: self.text(DIST, "dist")?.into(),
            policy: self.text(POLICY, "policies/default.toml")?.into(),
            content: self.text(CONTENT, "content/kb")?.into(),
            import_kb_at_start: self.optional_flag(IMPORT_KB_AT_START)?.unwrap_or(true),
            demo: self.flag(DEMO)?,
            demo_agent_token: self.optional_text(DEMO_AGENT_TOKEN),
            log: self.text(LOG, "info,sqlx=warn")?,
            log_format,
            secure_cookies: self
                .optional_flag(SECURE_COOKIES)?
                .unwrap_or(public_url.starts_with("https://")),
            public_url,
            smtp_url: self.optional_text(SMTP_URL),
            mail_from: self.text(MAIL_FROM, "Lantern Support <support@lantern.invalid>")?,
            session_idle: Duration::minutes(session_idle_minutes.into()),
            session_max: Duration::hours(session_max_hours.into()),
            sign_in_limits: SignInLimits {
                per_account: self.positive(SIGN_IN_LIMIT_PER_ACCOUNT, 5)?,
                per_address: self.positive(SIGN_IN_LIMIT_PER_ADDRESS, 20)?,
                window: Duration::minutes(window_minutes.into()),
            },
            registration_limits: RegistrationLimits {
                per_address: self.positive(REGISTRATION_LIMIT_PER_ADDRESS, 10)?,
                per_mailbox: self.positive(REGISTRATION_LIMIT_PER_MAILBOX, 3)?,
            },
            unconfirmed_account_max: Duration::days(
                self.positive(UNCONFIRMED_ACCOUNT_DAYS, 7)?.into(),
            ),
            trusted_proxies: self.networks(TRUSTED_PROXIES)?,
            attachments: AttachmentSettings {
                dir: self.text(ATTACHMENTS, "data/attachments")?.into(),
                storage: self.attachment_storage()?,
                garbage_grace: Duration::minutes(
                    self.positive(ATTACHMENT_GRACE_MINUTES, 60)?.into(),
                ),
                max_bytes: self.positive_u64(ATTACHMENT_MAX_BYTES, 25 * 1024 * 1024)?,
                allowed_extensions: self.extensions(ATTACHMENT_TYPES)?,
                quota_per_user_bytes: self
                    .positive_u64(UPLOAD_QUOTA_PER_USER_BYTES, 200 * 1024 * 1024)?,
                quota_per_organisation_bytes: self
                    .positive_u64(UPLOAD_QUOTA_PER_ORGANISATION_BYTES, 1024 * 1024 * 1024)?,
                unused_upload_lifetime: Duration::hours(
                    self.positive(UNUSED_UPLOAD_HOURS, 24)?.into(),
                ),
            },
            analytics_retention_days: self.positive(ANALYTICS_RETENTION_DAYS, 90)?,
            sent_mail_retention: Duration::days(
                self.positive(SENT_MAIL_RETENTION_DAYS, 30)?.into(),
            ),
            connections: ConnectionLimits {
                max_connections: self.positive(MAX_CONNECTIONS, 512)? as usize,
                header_read_timeout: self.seconds(HEADER_READ_TIMEOUT_SECONDS, 10)?,
                body_read_timeout: self.seconds(BODY_READ_TIMEOUT_SECONDS, 10)?,
                request_timeout: self.seconds(REQUEST_TIMEOUT_SECONDS, 30)?,
                upload_timeout: self.seconds(UPLOAD_TIMEOUT_SECONDS, 600)?,
            },
            rate_limits: RateLimits {
                tickets_per_hour: self.positive(TICKETS_PER_HOUR, 10)?,
                replies_per_hour: self.positive(REPLIES_PER_HOUR, 60)?,
                escalations_per_hour: self.positive(ESCALATIONS_PER_HOUR, 5)?,
                cc_mails_per_hour: self.positive(CC_MAILS_PER_HOUR, 50)?,
                cookieless_votes_per_hour: self.positive(COOKIELESS_VOTES_PER_HOUR, 10)?,
                exports_per_hour: self.positive(EXPORTS_PER_HOUR, 3)?,
            },
        })
    }

    /// `sqlite:` (a file, or `sqlite::memory:`) or `postgres://` / `postgresql://`. Anything
    /// else stops the server: SQLite's own parser would read it as a file name and start on an
    /// empty database in a folder named after the scheme.
    fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        let url = self.text(DATABASE_URL, "sqlite://data/lantern.db")?;
        // Exact and lower-case, as sqlx's SQLite parser strips only `sqlite:`.
        let backend = match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("sqlite") => Backend::Sqlite,
            Some("postgres" | "postgresql") => {
                sqlx::postgres::PgConnectOptions::from_str(&url).map_err(|error| {
                    self.invalid(
                        DATABASE_URL,
                        &redact_password(&url),
                        &format!("not a PostgreSQL URL ({error}); expected postgres://USER@HOST:PORT/DATABASE"),
                    )
                })?;
                Backend::Postgres
            }
            _ => {
                return Err(self.invalid(
                    DATABASE_URL,
                    &redact_password(&url),
                    "expected a sqlite: URL (the default is sqlite://data/lantern.db) or a \
                     postgres:// (postgresql://) URL",
                ));
            }
        };
        Ok(DatabaseUrl { backend, url })
    }

    fn seconds(&self, key: Key, default: u32) -> Result<std::time::Duration, ConfigError> {
        Ok(std::time::Duration::from_secs(
            self.positive(key, default)?.into(),
        ))
    }

    fn positive_u64(&self, key: Key, default: u64) -> Result<u64, ConfigError> {
        let reason = "expected a whole number of bytes greater than zero";
        let value: u64 = self.parsed(key, &default.to_string(), reason)?;
        if value == 0 {
            return Err(self.invalid(key, "0", reason));
        }
        Ok(value)
    }

    /// A comma-separated list of addresses (`10.0.0.1`) and networks (`10.0.0.0/8`, `fd00::/8`).
    fn networks(&self, key: Key) -> Result<Vec<IpNet>, ConfigError> {
        let Some(value) = self.raw(key) else {
            return Ok(Vec::new());
        };
        value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        self.invalid(
                            key,
                            &value,
                            "expected addresses or networks such as 10.0.0.1,10.0.0.0/8",
                        )
                    })
            })
            .collect()
    }

    fn attachment_storage(&self) -> Result<AttachmentStorage, ConfigError> {
        let Some(value) = self.optional_text(ATTACHMENT_STORE) else {
            return Ok(AttachmentStorage::Folder);
        };
        let bucket_named = url::Url::parse(&value)
            .ok()
            .filter(|url| url.scheme() == "s3")
            .is_some_and(|url| url.host_str().is_some_and(|bucket| !bucket.is_empty()));
        if !bucket_named {
            return Err(self.invalid(
                ATTACHMENT_STORE,
                &value,
                "expected s3://bucket or s3://bucket/prefix, or no value for the folder \
                 LANTERN_ATTACHMENTS",
            ));
        }
        Ok(AttachmentStorage::S3 {
            url: value,
            options: Vec::new(),
        })
    }

    /// A comma-separated list of file extensions such as `.log,.txt`.
    fn extensions(&self, key: Key) -> Result<Vec<String>, ConfigError> {
        let value = self.text(key, DEFAULT_ATTACHMENT_TYPES)?;
        value
            .split(',')
            .map(|extension| extension.trim().to_lowercase())
            .filter(|extension| !extension.is_empty())
            .map(|extension| {
                let valid = extension.len() > 1
                    && extension.starts_with('.')
                    && extension[1..].chars().all(|c| c.is_ascii_alphanumeric());
                if valid {
                    Ok(extension)
                } else {
                    Err(self.invalid(key, &value, "expected extensions such as .log,.txt,.png"))
                }
            })
            .collect()
    }

    /// The value from flags/environment, else from the file; empty counts as unset.
    fn raw(&self, key: Key) -> Option<String> {
        (self.lookup)(key.env)
            .or_else(|| self.file.get(key.file).cloned())
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }

    fn invalid(&self, key: Key, value: &str, reason: &str) -> ConfigError {
        let from_file = (self.lookup)(key.env).is_none() && self.file.contains_key(key.file);
        let key = match (&self.file_name, from_file) {
            (Some(path), true) => format!("{} (in {path})", key.file),
            _ => key.env.to_owned(),
        };
        ConfigError::Invalid {
            key,
            value: value.to_owned(),
            reason: reason.to_owned(),
        }
    }

    fn parsed<T: FromStr>(&self, key: Key, default: &str, reason: &str) -> Result<T, ConfigError> {
        let value = self.raw(key).unwrap_or_else(|| default.to_owned());
        value.parse().map_err(|_| self.invalid(key, &value, reason))
    }

    fn positive(&self, key: Key, default: u32) -> Result<u32, ConfigError> {
        let reason = "expected a whole number greater than zero";
        let value: u32 = self.parsed(key, &default.to_string(), reason)?;
        if value == 0 {
            return Err(self.invalid(key, "0", reason));
        }
        Ok(value)
    }

    fn text(&self, key: Key, default: &str) -> Result<String, ConfigError> {
        Ok(self.raw(key).unwrap_or_else(|| default.to_owned()))
    }

    fn optional_text(&self, key: Key) -> Option<String> {
        self.raw(key)
    }

    fn flag(&self, key: Key) -> Result<bool, ConfigError> {
        Ok(self.optional_flag(key)?.unwrap_or(false))
    }

    fn optional_flag(&self, key: Key) -> Result<Option<bool>, ConfigError> {
        match self.raw(key).as_deref() {
            None => Ok(None),
            Some("1" | "true" | "yes" | "on") => Ok(Some(true)),
            Some("0" | "false" | "no" | "off") => Ok(Some(false)),
            Some(other) => {
                Err(self.invalid(key, other, "expected 1/true/yes/on or 0/false/no/off"))
            }
        }
    }

    fn public_url(&self, addr: SocketAddr) -> Result<String, ConfigError> {
        match self.raw(PUBLIC_URL) {
            None => Ok(format!("http://{addr}")),
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                Ok(url.trim_end_matches('/').to_owned())
            }
            Some(url) => Err(self.invalid(
                PUBLIC_URL,
                &url,
                "expected a URL starting with http:// or https://",
            )),
        }
    }
}

/// Reads a flat TOML file of known keys into strings.
fn read_file(path: &Path) -> Result<BTreeMap<String, String>, ConfigError> {
    let file_error = |reason: String| ConfigError::File {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| file_error(e.to_string()))?;
    table
        .into_iter()
        .map(|(name, value)| {
            if !ALL_KEYS.iter().any(|key| key.file == name) {
                return Err(ConfigError::UnknownKey {
                    key: name,
                    path: path.display().to_string(),
                    known: ALL_KEYS
                        .iter()
                        .map(|k| k.file)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            let value = match value {
                toml::Value::String(text) => text,
                toml::Value::Integer(number) => number.to_string(),
                toml::Value::Boolean(flag) => flag.to_string(),
                other => {
                    return Err(file_error(format!(
                        "`{name}` must be a string, number or boolean, not {}",
                        other.type_str()
                    )));
                }
            };
            Ok((name, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load_env(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::load(None, |name| env.get(name).cloned())
    }

    #[test]
    fn several_servers_set_the_pool_size_and_import_the_articles_at_deploy() {
        let config = load_env(&[
            ("LANTERN_DATABASE_POOL_SIZE", "20"),
            ("LANTERN_IMPORT_KB_AT_START", "false"),
        ])
        .unwrap();
        assert_eq!(config.database_pool_size, 20);
        assert!(!config.import_kb_at_start);
        let error = load_env(&[("LANTERN_DATABASE_POOL_SIZE", "0")]).unwrap_err();
        assert!(
            error.to_string().contains("LANTERN_DATABASE_POOL_SIZE"),
            "{error}"
        );
    }

    #[test]
    fn defaults_match_the_documented_names() {
        let config = load_env(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database.url, "sqlite://data/lantern.db");
        assert_eq!(config.database.backend, Backend::Sqlite);
        assert_eq!(config.database_pool_size, 8);
        assert!(config.import_kb_at_start);
        assert_eq!(config.dist, PathBuf::from("dist"));
        assert_eq!(config.policy, PathBuf::from("policies/default.toml"));
        assert!(!config.demo);
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert_eq!(config.sign_in_limits.per_account, 5);
        assert_eq!(config.attachments.dir, PathBuf::from("data/attachments"));
        assert_eq!(config.attachments.max_bytes, 25 * 1024 * 1024);
        assert!(
            config
                .attachments
                .allowed_extensions
                .contains(&".log".to_owned())
        );
    }

    #[test]
    fn the_database_url_chooses_the_backend() {
        let backend = |url: &str| load_env(&[("LANTERN_DATABASE_URL", url)]).map(|c| c.database);
        for url in ["sqlite://data/x.db", "sqlite:x.db", "sqlite::memory:"] {
            assert_eq!(backend(url).unwrap().backend, Backend::Sqlite, "{url}");
        }
        for url in [
            "postgres://lantern@db.example:5432/lantern",
            "postgresql://lantern:secret@localhost/lantern?sslmode=require",
            "postgres:///lantern",
        ] {
            assert_eq!(backend(url).unwrap().backend, Backend::Postgres, "{url}");
        }
    }

    #[test]
    fn a_database_url_of_another_kind_names_the_key_and_what_is_accepted() {
        for url in [
            "mysql://root@localhost/lantern",
            "data/lantern.db",
            "file:lantern.db",
            "SQLITE://lantern.db",
            "postgres://lantern@db.example:port/lantern",
        ] {
            let message = load_env(&[("LANTERN_DATABASE_URL", url)])
                .unwrap_err()
                .to_string();
            assert!(message.contains("LANTERN_DATABASE_URL"), "{message}");
            assert!(message.contains("postgres://"), "{message}");
        }
        let message = load_env(&[("LANTERN_DATABASE_URL", "mysql://root:hunter2@db/lantern")])
            .unwrap_err()
            .to_string();
        assert!(message.contains("sqlite:"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn a_database_password_is_never_printed() {
        let url = DatabaseUrl {
            backend: Backend::Postgres,
            url: "postgres://lantern:p@ss:w0rd@db.example:5432/lantern".to_owned(),
        };
        assert_eq!(
            url.redacted(),
            "postgres://lantern:***@db.example:5432/lantern"
        );
        assert!(!format!("{url:?}").contains("w0rd"));
        assert_eq!(
            redact_password("postgres://lantern@db/x"),
            "postgres://lantern@db/x"
        );
        assert_eq!(
            redact_password("sqlite://data/a@b.db"),
            "sqlite://data/a@b.db"
        );
        assert_eq!(
            redact_password("postgres://lantern:hunter2@db:port/x"),
            "postgres://***"
        );
    }

    #[test]
    fn attachment_settings_are_checked() {
        let config = load_env(&[("LANTERN_ATTACHMENT_TYPES", " .LOG, .txt ")]).unwrap();
        assert_eq!(config.attachments.allowed_extensions, [".log", ".txt"]);
        let error = load_env(&[("LANTERN_ATTACHMENT_TYPES", "log,../x")]).unwrap_err();
        assert!(error.to_string().contains("LANTERN_ATTACHMENT_TYPES"));
        let error = load_env(&[("LANTERN_ATTACHMENT_MAX_BYTES", "0")]).unwrap_err();
        assert!(error.to_string().contains("LANTERN_ATTACHMENT_MAX_BYTES"));
    }

    #[test]
    fn attachments_are_stored_in_the_folder_unless_an_s3_bucket_is_named() {
        let config = load_env(&[]).unwrap();
        assert_eq!(config.attachments.storage, AttachmentStorage::Folder);
        assert_eq!(config.attachments.garbage_grace, Duration::minutes(60));
        let config = load_env(&[("LANTERN_ATTACHMENT_STORE", "s3://files/lantern")]).unwrap();
        assert_eq!(
            config.attachments.storage,
            AttachmentStorage::S3 {
                url: "s3://files/lantern".to_owned(),
                options: Vec::new()
            }
        );
        for refused in ["/srv/files", "gs://files", "s3://", "files"] {
            let error = load_env(&[("LANTERN_ATTACHMENT_STORE", refused)]).unwrap_err();
            assert!(
                error.to_string().contains("LANTERN_ATTACHMENT_STORE"),
                "{refused}: {error}"
            );
        }
        let error = load_env(&[("LANTERN_ATTACHMENT_GRACE_MINUTES", "0")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("LANTERN_ATTACHMENT_GRACE_MINUTES")
        );
    }

    #[test]
    fn analytics_retention_defaults_to_90_days_and_is_checked() {
        assert_eq!(load_env(&[]).unwrap().analytics_retention_days, 90);
        let config = load_env(&[("LANTERN_ANALYTICS_RETENTION_DAYS", "30")]).unwrap();
        assert_eq!(config.analytics_retention_days, 30);
        let error = load_env(&[("LANTERN_ANALYTICS_RETENTION_DAYS", "0")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("LANTERN_ANALYTICS_RETENTION_DAYS")
        );
    }

    #[test]
    fn sent_mail_is_kept_30_days_unless_configured() {
        assert_eq!(
            load_env(&[]).unwrap().sent_mail_retention,
            Duration::days(30)
        );
        let config = load_env(&[("LANTERN_SENT_MAIL_RETENTION_DAYS", "7")]).unwrap();
        assert_eq!(config.sent_mail_retention, Duration::days(7));
        let error = load_env(&[("LANTERN_SENT_MAIL_RETENTION_DAYS", "0")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("LANTERN_SENT_MAIL_RETENTION_DAYS")
        );
    }

    #[test]
    fn registration_settings_have_defaults_and_are_checked() {
        let config = load_env(&[]).unwrap();
        assert_eq!(config.registration_limits.per_address, 10);
        assert_eq!(config.registration_limits.per_mailbox, 3);
        assert_eq!(config.unconfirmed_account_max, Duration::days(7));
        let error = load_env(&[("LANTERN_UNCONFIRMED_ACCOUNT_DAYS", "0")]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("LANTERN_UNCONFIRMED_ACCOUNT_DAYS")
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert!(load_env(&[]).unwrap().trusted_proxies.is_empty());
        let config =
            load_env(&[("LANTERN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,fd00::/8")]).unwrap();
        let proxies: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(proxies, ["127.0.0.1/32", "10.0.0.0/8", "fd00::/8"]);
        let error = load_env(&[("LANTERN_TRUSTED_PROXIES", "10.0.0.0/33")]).unwrap_err();
        assert!(error.to_string().contains("LANTERN_TRUSTED_PROXIES"));
    }

    #[test]
    fn cookies_are_secure_by_default_behind_an_https_public_url() {
        assert!(!load_env(&[]).unwrap().secure_cookies);
        let https = load_env(&[("LANTERN_PUBLIC_URL", "https://help.example.com")]).unwrap();
        assert!(https.secure_cookies && https.serves_https());
        let overridden = load_env(&[
            ("LANTERN_PUBLIC_URL", "https://help.example.com"),
            ("LANTERN_SECURE_COOKIES", "0"),
        ])
        .unwrap();
        assert!(!overridden.secure_cookies);
    }

    #[test]
    fn environment_values_are_used() {
        let config = load_env(&[
            ("LANTERN_ADDR", "0.0.0.0:9000"),
            ("LANTERN_DEMO", "1"),
            ("LANTERN_LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(config.addr.port(), 9000);
        assert!(config.demo);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn a_bad_environment_value_names_its_key() {
        let error = load_env(&[("LANTERN_ADDR", "not-an-address")]).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("LANTERN_ADDR"), "{message}");
        assert!(message.contains("not-an-address"), "{message}");

        let error = load_env(&[("LANTERN_DEMO", "maybe")]).unwrap_err();
        assert!(error.to_string().contains("LANTERN_DEMO"));

        let error = load_env(&[("LANTERN_SESSION_IDLE_MINUTES", "0")]).unwrap_err();
        assert!(error.to_string().contains("LANTERN_SESSION_IDLE_MINUTES"));
    }

    #[test]
    fn file_values_are_overridden_by_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lantern.toml");
        std::fs::write(
            &path,
            "addr = \"127.0.0.1:7000\"\ndist = \"web\"\nsession_idle_minutes = 30\n",
        )
        .unwrap();
        let config = Config::load(Some(&path), |name| {
            (name == "LANTERN_ADDR").then(|| "127.0.0.1:7001".to_owned())
        })
        .unwrap();
        assert_eq!(config.addr.port(), 7001);
        assert_eq!(config.dist, PathBuf::from("web"));
        assert_eq!(config.session_idle, Duration::minutes(30));
    }

    #[test]
    fn a_bad_file_value_names_the_file_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lantern.toml");
        std::fs::write(&path, "log_format = \"xml\"\n").unwrap();
        let message = Config::load(Some(&path), |_| None).unwrap_err().to_string();
        assert!(message.contains("log_format (in"), "{message}");
    }

    #[test]
    fn an_unknown_file_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lantern.toml");
        std::fs::write(&path, "adress = \"127.0.0.1:7000\"\n").unwrap();
        let message = Config::load(Some(&path), |_| None).unwrap_err().to_string();
        assert!(message.contains("`adress`"), "{message}");
    }
}
