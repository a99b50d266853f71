-- PostgreSQL twin of sqlite/0020_ticket_update_late_mail.sql: the update_due_at the late-update
-- mail was sent for.
ALTER TABLE tickets ADD COLUMN update_late_mailed_for BIGINT;
