-- Mail that survives an outage of the mail server, sent once by one of several servers
-- (issues 18 and 20). A failed delivery is tried again after a wait that doubles each time
-- (`next_attempt_at`), until `retry_until` (three days) rather than ten tries five seconds
-- apart; a message given up on is kept, marked `failed_at`, for an operator to resend
-- (`lantern-server admin failed-mail`, `resend-mail`). A server takes the mails it is about to
-- send with a lease (`claimed_until`), so no other server sends them meanwhile, and a server
-- that died mid-send only delays them.
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN retry_until INTEGER NOT NULL DEFAULT 0;
-- Mail already queued is retried for three days from when it was (outbox::GIVE_UP_AFTER).
UPDATE outbox SET retry_until = created_at + 259200;
-- Given up under the old rule (ten failed attempts): now listed as failed, and resendable.
UPDATE outbox SET failed_at = created_at WHERE sent_at IS NULL AND attempts >= 10;
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
