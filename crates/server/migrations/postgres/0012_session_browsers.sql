-- PostgreSQL twin of sqlite/0012_session_browsers.sql: what each session's browser is
-- ("Firefox on Windows"), described from the User-Agent when the session starts.
ALTER TABLE sessions ADD COLUMN browser TEXT;
