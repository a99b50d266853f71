-- PostgreSQL twin of sqlite/0015_leases.sql: work that one server of several does at a time.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
