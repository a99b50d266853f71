-- Escalation requests (issue 7): a customer asks for more attention on a ticket, a support
-- manager acknowledges, then resolves or declines it. Instants are Unix seconds (INTEGER), as
-- in 0001.

CREATE TABLE escalations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id             INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    state                 TEXT NOT NULL DEFAULT 'requested'
                          CHECK (state IN ('requested', 'acknowledged', 'resolved', 'declined')),
    -- lantern_core::escalation::EscalationReason
    reason                TEXT NOT NULL,
    details               TEXT NOT NULL,
    -- Severity id of the policy the customer asked for; NULL when they kept the severity.
    requested_severity    TEXT,
    callback_phone        TEXT NOT NULL DEFAULT '',
    callback_availability TEXT NOT NULL DEFAULT '',
    requester_id          INTEGER NOT NULL REFERENCES users (id),
    -- The requester's name as shown when they asked.
    requested_by          TEXT NOT NULL,
    requested_at          INTEGER NOT NULL,
    -- requested_at + the policy's review target.
    review_due_at         INTEGER NOT NULL,
    acknowledged_at       INTEGER,
    -- When it was resolved or declined (a decline starts the policy's cool-down).
    closed_at             INTEGER,
    -- The agent's last answer and its author.
    answer                TEXT NOT NULL DEFAULT '',
    answered_by           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalations_by_ticket ON escalations (ticket_id, id);
-- At most one open request per ticket, even when two arrive at once; also what the ticket
-- lists' "escalated" EXISTS looks up.
CREATE UNIQUE INDEX escalations_open_per_ticket ON escalations (ticket_id)
    WHERE state IN ('requested', 'acknowledged');
-- The agents' queue: open requests, oldest review target first.
CREATE INDEX escalations_open_by_review_due ON escalations (review_due_at)
    WHERE state IN ('requested', 'acknowledged');

-- The request a timeline step (escalation_requested, _acknowledged, _resolved, _declined)
-- belongs to; NULL for every other event.
ALTER TABLE ticket_events ADD COLUMN escalation_id INTEGER REFERENCES escalations (id);
