-- Ticket search compares Unicode text without regard to case (issue 16): "Überwachung" finds
-- "überwachung". SQLite's lower() folds ASCII only, so the subject is stored folded beside the
-- original, computed in Rust by lantern_core::ticket::fold_case (the same function folds the
-- query). A stored column works on every database, where a function registered with SQLite
-- would have to be written again for PostgreSQL. Existing tickets start NULL and are folded
-- by the server when it opens the database (db::tickets::fold_subjects).
ALTER TABLE tickets ADD COLUMN subject_folded TEXT;
