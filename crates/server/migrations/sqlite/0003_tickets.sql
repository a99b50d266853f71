-- Tickets filed through the new-ticket wizard, their CCs and attachments, the idempotency keys
-- that make submission safe to retry, and knowledge-base deflections.
-- Instants are Unix seconds (INTEGER), as in 0001.

CREATE TABLE tickets (
    -- The ticket number is derived from the id (`LAN-000123`); AUTOINCREMENT never reuses one.
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT UNIQUE,
    organisation_id    INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    requester_id       INTEGER NOT NULL REFERENCES users (id),
    -- Ids from the support policy.
    product            TEXT NOT NULL,
    component          TEXT NOT NULL DEFAULT '',
    version            TEXT NOT NULL DEFAULT '',
    case_type          TEXT NOT NULL,
    severity           TEXT NOT NULL,
    subject            TEXT NOT NULL,
    description        TEXT NOT NULL,
    steps_to_reproduce TEXT NOT NULL DEFAULT '',
    expected_result    TEXT NOT NULL DEFAULT '',
    actual_result      TEXT NOT NULL DEFAULT '',
    operating_system   TEXT NOT NULL DEFAULT '',
    computer_id        TEXT NOT NULL DEFAULT '',
    username           TEXT NOT NULL DEFAULT '',
    recent_changes     TEXT NOT NULL DEFAULT '',
    integrations       TEXT NOT NULL DEFAULT '',
    contact_name       TEXT NOT NULL,
    contact_email      TEXT NOT NULL,
    contact_phone      TEXT NOT NULL DEFAULT '',
    preferred_channel  TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'new'
                       CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
    -- Id of a support level of the policy (Aveksa's Level 1/2/3).
    support_level      TEXT NOT NULL DEFAULT 'l1',
    created_at         INTEGER NOT NULL,
    -- NULL when the organisation's plan has no target for the severity.
    response_due_at    INTEGER,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX tickets_by_organisation ON tickets (organisation_id, created_at);
CREATE INDEX tickets_by_requester ON tickets (requester_id, created_at);

-- Contacts of the same organisation who get copies of a ticket's messages.
CREATE TABLE ticket_cc (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, user_id)
);

-- Uploaded files. The content lives once on disk under `<attachments>/sha256/ab/cdef...`;
-- rows are uploads, attached to a ticket when it is submitted.
CREATE TABLE attachments (
    -- Random, unguessable id.
    id              TEXT PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    uploader_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    -- Sanitised base name as the customer's computer called it.
    name            TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('log', 'screenshot', 'other')),
    ticket_id       INTEGER REFERENCES tickets (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX attachments_by_ticket ON attachments (ticket_id);
CREATE INDEX attachments_by_sha256 ON attachments (sha256);

-- One row per (person, Idempotency-Key): a retried submission finds its ticket here.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    -- SHA-256 of the request body as understood, so a different body under the same key is
    -- recognised.
    request_hash TEXT NOT NULL,
    ticket_id    INTEGER REFERENCES tickets (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- "This solved my problem" on an article the wizard suggested.
CREATE TABLE deflections (
    id           INTEGER PRIMARY KEY,
    article_slug TEXT NOT NULL,
    -- NULL for an anonymous reader.
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX deflections_by_article ON deflections (article_slug);
