-- An article's address outlives it: a renamed article's old slug leads to the new one (301)
-- and a removed article's slug answers 410 Gone, so links and search engines learn what became
-- of it.

-- The file an article was imported from: a new slug in the same file (or the same text under a
-- new file name) is a rename, which keeps the article's id, views and votes.
ALTER TABLE kb_articles ADD COLUMN source_file TEXT NOT NULL DEFAULT '';

CREATE TABLE kb_retired_slugs (
    slug       TEXT PRIMARY KEY,
    -- The slug the article has now; NULL when it was removed.
    renamed_to TEXT
) WITHOUT ROWID;
