-- PostgreSQL twin of sqlite/0016_ticket_update_due.sql: when support's next update to the
-- customer is due.
ALTER TABLE tickets ADD COLUMN update_due_at BIGINT;
