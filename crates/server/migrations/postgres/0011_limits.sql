-- PostgreSQL twin of sqlite/0011_limits.sql: the upload quotas, the clean-up of uploads never
-- put on a ticket, first votes of readers without an account, and agent tokens that expire,
-- can be revoked and may be limited to one organisation.
CREATE INDEX attachments_by_uploader ON attachments (uploader_id, created_at);
CREATE INDEX attachments_by_organisation ON attachments (organisation_id, created_at);
CREATE INDEX attachments_unused ON attachments (created_at) WHERE ticket_id IS NULL;
CREATE INDEX kb_votes_by_voter ON kb_votes (voter);

ALTER TABLE agent_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE agent_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE agent_tokens ADD COLUMN organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE;
