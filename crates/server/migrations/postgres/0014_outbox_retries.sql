-- PostgreSQL twin of sqlite/0014_outbox_retries.sql: retries with a growing wait, mails given
-- up on kept for an operator to resend, and a lease on the mails a server is sending.
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
ALTER TABLE outbox ADD COLUMN retry_until BIGINT NOT NULL DEFAULT 0;
UPDATE outbox SET retry_until = created_at + 259200;
UPDATE outbox SET failed_at = created_at WHERE sent_at IS NULL AND attempts >= 10;
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
