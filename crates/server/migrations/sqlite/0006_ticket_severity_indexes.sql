-- "Most severe first" reads each severity's tickets newest-updated first, one severity after
-- the other (crate::db::conversation::most_severe_first); the severity filter reads the same.
CREATE INDEX tickets_by_organisation_severity_updated
    ON tickets (organisation_id, severity, updated_at);
CREATE INDEX tickets_by_severity_updated ON tickets (severity, updated_at);
