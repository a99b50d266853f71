-- PostgreSQL twin of sqlite/0013_ticket_subject_folded.sql: the subject folded by
-- lantern_core::ticket::fold_case for ticket search, the same column on both backends.
ALTER TABLE tickets ADD COLUMN subject_folded TEXT;
