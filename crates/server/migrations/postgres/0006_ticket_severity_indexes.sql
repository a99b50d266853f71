-- PostgreSQL twin of sqlite/0006_ticket_severity_indexes.sql: "most severe first" and the
-- severity filter read each severity's tickets newest-updated first.
CREATE INDEX tickets_by_organisation_severity_updated
    ON tickets (organisation_id, severity, updated_at);
CREATE INDEX tickets_by_severity_updated ON tickets (severity, updated_at);
