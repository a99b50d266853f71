-- Limits against a hostile visitor (issue 15): the daily upload quotas sum a person's and an
-- organisation's recent uploads, the clean-up finds uploads never put on a ticket, and a vote
-- of a reader without an account is a first vote when no vote carries the same voter key.
CREATE INDEX attachments_by_uploader ON attachments (uploader_id, created_at);
CREATE INDEX attachments_by_organisation ON attachments (organisation_id, created_at);
CREATE INDEX attachments_unused ON attachments (created_at) WHERE ticket_id IS NULL;
CREATE INDEX kb_votes_by_voter ON kb_votes (voter);

-- Agent tokens expire (NULL: never, as the demo's), can be revoked, and may be limited to the
-- tickets of one organisation (NULL: every organisation).
ALTER TABLE agent_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE agent_tokens ADD COLUMN revoked_at INTEGER;
ALTER TABLE agent_tokens ADD COLUMN organisation_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE;
