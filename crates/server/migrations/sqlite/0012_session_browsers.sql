-- What each session's browser is, as its owner reads it in her list of sessions ("Firefox on
-- Windows"): described from the User-Agent when the session starts; the header itself is not
-- kept. NULL for sessions started before, or from a browser that could not be told.
ALTER TABLE sessions ADD COLUMN browser TEXT;
