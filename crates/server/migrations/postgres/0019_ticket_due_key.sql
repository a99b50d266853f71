-- PostgreSQL twin of sqlite/0019_ticket_due_key.sql: the agent queue's order, when support's
-- next answer is due, as an indexed generated column (PostgreSQL 15 generates STORED only).
ALTER TABLE tickets ADD COLUMN due_key BIGINT NOT NULL GENERATED ALWAYS AS (
    CASE WHEN status IN ('new', 'open') THEN COALESCE(
        CASE WHEN first_response_at IS NULL THEN response_due_at END,
        update_due_at,
        9223372036854775807)
    ELSE 9223372036854775807 END
) STORED;
CREATE INDEX tickets_by_organisation_due ON tickets (organisation_id, due_key, id);
CREATE INDEX tickets_by_due ON tickets (due_key, id);
