-- PostgreSQL twin of sqlite/0007_kb_search_engine.sql. The SQLite side drops its FTS5 copy of
-- the text here, which PostgreSQL never had (0002); what remains is the new column. Its tags
-- and products triggers already have the shape SQLite's take in this migration.
ALTER TABLE kb_articles ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]' CHECK (keywords::json IS NOT NULL);
