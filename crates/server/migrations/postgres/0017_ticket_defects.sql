-- PostgreSQL twin of sqlite/0017_ticket_defects.sql: the engineering issue a ticket is linked
-- to.
ALTER TABLE tickets ADD COLUMN defect_id TEXT;
ALTER TABLE tickets ADD COLUMN defect_url TEXT;
ALTER TABLE tickets ADD COLUMN defect_state TEXT CHECK (defect_state IN ('open', 'fixed', 'wont_fix'));
ALTER TABLE tickets ADD COLUMN defect_fixed_in TEXT;
