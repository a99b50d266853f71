-- PostgreSQL twin of sqlite/0021_deleted_accounts.sql: when an account was deleted (its row
-- kept, anonymised, for the foreign keys of its organisation's tickets).
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
