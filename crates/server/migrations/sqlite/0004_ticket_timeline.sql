-- "My Tickets": the conversation of a ticket (public replies, internal notes, status, severity
-- and support-level changes), the satisfaction survey, the instants the life-cycle rules need,
-- and the indexes of the ticket lists. Instants are Unix seconds (INTEGER), as in 0001.

-- First public agent reply (the response target is met or missed by it).
ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
-- When the ticket last became Pending / Solved; the auto-close rules count from these.
ALTER TABLE tickets ADD COLUMN pending_since INTEGER;
ALTER TABLE tickets ADD COLUMN solved_at INTEGER;

-- One row per event of a ticket's timeline, oldest first by id.
CREATE TABLE ticket_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    -- customer_reply, agent_reply, internal_note, status_changed, severity_changed,
    -- support_level_changed, auto_closed (crate::conversation). No CHECK: SQLite cannot alter
    -- one, and later kinds (escalations) must not need a table rebuild.
    kind         TEXT NOT NULL,
    -- Internal notes are for agents only: every customer query filters on this.
    internal     INTEGER NOT NULL DEFAULT 0,
    actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('customer', 'agent', 'system')),
    actor_name   TEXT NOT NULL,
    -- The message of a reply or note, or the reason of a change.
    body         TEXT NOT NULL DEFAULT '',
    -- Old and new value of a change (status, severity or support level id).
    from_value   TEXT NOT NULL DEFAULT '',
    to_value     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, internal, id);

-- Files sent with a reply; NULL for the files submitted with the ticket.
ALTER TABLE attachments ADD COLUMN event_id INTEGER REFERENCES ticket_events (id);

-- One satisfaction survey per ticket (the primary key makes "once" hold under races).
CREATE TABLE ticket_surveys (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment   TEXT NOT NULL DEFAULT '',
    given_at  INTEGER NOT NULL
);

-- The lists: newest-updated first within an organisation, a requester, or everything (agents);
-- SQLite appends the rowid to every index, so (x, updated_at) also orders ties by id.
CREATE INDEX tickets_by_organisation_updated ON tickets (organisation_id, updated_at);
CREATE INDEX tickets_by_requester_updated ON tickets (requester_id, updated_at);
CREATE INDEX tickets_by_updated ON tickets (updated_at);
CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX ticket_cc_by_user ON ticket_cc (user_id);
-- The auto-close rules look for quiet Pending and Solved tickets.
CREATE INDEX tickets_pending ON tickets (pending_since) WHERE status = 'pending';
CREATE INDEX tickets_solved ON tickets (solved_at) WHERE status = 'solved';
