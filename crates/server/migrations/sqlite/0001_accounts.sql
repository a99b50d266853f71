-- Accounts, organisations, sessions, sign-in throttling, single-use tokens, agent tokens, mail.
-- Instants are Unix seconds (INTEGER) so they compare and index simply.

CREATE TABLE organisations (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT NOT NULL UNIQUE,
    -- Id of a plan in the support policy, e.g. `enterprise`.
    plan                    TEXT NOT NULL,
    allow_self_registration INTEGER NOT NULL DEFAULT 0 CHECK (allow_self_registration IN (0, 1)),
    created_at              INTEGER NOT NULL
);

-- E-mail domains that belong to an organisation (self-registration matches on them).
CREATE TABLE organisation_domains (
    domain          TEXT PRIMARY KEY COLLATE NOCASE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE
);
CREATE INDEX organisation_domains_by_organisation ON organisation_domains (organisation_id);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- Stored trimmed and lower-cased.
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('contact', 'org_admin')),
    -- argon2id PHC string; NULL until an invited person chooses a password.
    password_hash   TEXT,
    -- NULL until the invitation or registration is confirmed; such accounts cannot sign in.
    activated_at    INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX users_by_organisation ON users (organisation_id);

-- Server-side sessions; only the SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins, per account (`account`, the e-mail) and per client address (`address`).
CREATE TABLE sign_in_failures (
    id        INTEGER PRIMARY KEY,
    scope     TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    subject   TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (scope, subject, failed_at);

-- Single-use, expiring tokens sent by mail; only their SHA-256 is stored.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('invitation', 'registration', 'password_reset')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);

-- Bearer tokens of the agent API; only their SHA-256 is stored.
CREATE TABLE agent_tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- Mail waiting for (or done with) delivery.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, id);
