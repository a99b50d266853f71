-- The customer's own data (issue 20, point 4): a deleted account keeps its row, so the tickets,
-- escalations and surveys that refer to it keep their foreign keys, but nothing in it names the
-- person any more (`Deleted user`, an unroutable address, no password). `deleted_at` says it is
-- one: such a row is no contact of its organisation and never signs in.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
-- The customer account that wrote a customer event, so a deletion renames her events and no
-- colleague's of the same name. NULL for agents, the system, and events stored before.
ALTER TABLE ticket_events ADD COLUMN actor_user_id INTEGER REFERENCES users (id);
