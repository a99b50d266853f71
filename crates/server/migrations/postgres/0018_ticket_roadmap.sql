-- PostgreSQL twin of sqlite/0018_ticket_roadmap.sql: support's decision on an enhancement
-- request.
ALTER TABLE tickets ADD COLUMN roadmap_state TEXT
    CHECK (roadmap_state IN ('under_consideration', 'planned', 'released', 'declined'));
ALTER TABLE tickets ADD COLUMN roadmap_released_in TEXT;
ALTER TABLE tickets ADD COLUMN roadmap_reason TEXT;
