-- Work that one server of several does at a time (the auto-close job): who holds it, until
-- when. A holder that stops renewing loses it when it runs out.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
