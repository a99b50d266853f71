-- The customer's own data (issue 20, point 4): a deleted account keeps its row, so the tickets,
-- escalations and surveys that refer to it keep their foreign keys, but nothing in it names the
-- person any more (`Deleted user`, an unroutable address, no password). `deleted_at` says it is
-- one: such a row is no contact of its organisation and never signs in.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
