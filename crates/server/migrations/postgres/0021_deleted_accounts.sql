-- PostgreSQL twin of sqlite/0021_deleted_accounts.sql: when an account was deleted (its row
-- kept, anonymised, for the foreign keys of its organisation's tickets), and who wrote each
-- customer event.
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
-- The customer account that wrote a customer event (NULL for agents, the system, and events
-- stored before).
ALTER TABLE ticket_events ADD COLUMN actor_user_id BIGINT REFERENCES users (id);
