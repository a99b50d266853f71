-- The copies of sent mails are deleted once older than LANTERN_SENT_MAIL_RETENTION_DAYS
-- (mail::remove_old_sent, every ten minutes): this index finds them without reading the
-- mails still waiting, so the delete is short even while it holds SQLite's write lock.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
