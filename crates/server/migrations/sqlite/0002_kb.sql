-- Knowledge base: articles imported from Markdown files, their full-text index, reader votes.

CREATE TABLE kb_articles (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    -- The category's URL-safe id and display name, e.g. `backup-and-restore`, `Backup & restore`.
    category_slug TEXT NOT NULL,
    category_name TEXT NOT NULL,
    -- JSON arrays of text, in the order of the front matter.
    products      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(products)),
    tags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    -- ISO date `YYYY-MM-DD` of the last update, from the front matter.
    updated       TEXT NOT NULL,
    body_md       TEXT NOT NULL,
    -- Rendered and sanitised; `body_text` is the plain text the full-text index reads.
    body_html     TEXT NOT NULL,
    body_text     TEXT NOT NULL,
    -- SHA-256 of the source file: an import skips articles whose file did not change.
    content_hash  TEXT NOT NULL,
    views         INTEGER NOT NULL DEFAULT 0,
    helpful       INTEGER NOT NULL DEFAULT 0,
    not_helpful   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX kb_articles_by_category ON kb_articles (category_slug);

-- One row per (article, tag) for "related articles"; kept in step with `kb_articles.tags`.
CREATE TABLE kb_article_tags (
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (article_id, tag)
) WITHOUT ROWID;
CREATE INDEX kb_article_tags_by_tag ON kb_article_tags (tag, article_id);

-- One row per (article, product) for the search filter; kept in step with `kb_articles.products`.
CREATE TABLE kb_article_products (
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    product    TEXT NOT NULL,
    PRIMARY KEY (article_id, product)
) WITHOUT ROWID;
CREATE INDEX kb_article_products_by_product ON kb_article_products (product, article_id);

-- Full text of every article; rowid = kb_articles.id. Its own copy of the text, kept in step
-- by the triggers below (views and votes do not touch it).
CREATE VIRTUAL TABLE kb_fts USING fts5 (
    title,
    summary,
    tags,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- `rank` is bm25 with the title weighted most, then summary and tags, then the body. With
-- `ORDER BY rank LIMIT n`, FTS5 itself orders the matches, so snippets are only made for the
-- rows returned.
INSERT INTO kb_fts (kb_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 4.0, 1.0)');

CREATE TRIGGER kb_articles_after_insert AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_fts (rowid, title, summary, tags, body)
    VALUES (new.id, new.title, new.summary,
            (SELECT coalesce(group_concat(value, ', '), '') FROM json_each(new.tags)),
            new.body_text);
    INSERT OR IGNORE INTO kb_article_tags (article_id, tag)
    SELECT new.id, value FROM json_each(new.tags);
    INSERT OR IGNORE INTO kb_article_products (article_id, product)
    SELECT new.id, value FROM json_each(new.products);
END;

CREATE TRIGGER kb_articles_after_update_of_products AFTER UPDATE OF products ON kb_articles BEGIN
    DELETE FROM kb_article_products WHERE article_id = old.id;
    INSERT OR IGNORE INTO kb_article_products (article_id, product)
    SELECT new.id, value FROM json_each(new.products);
END;

CREATE TRIGGER kb_articles_after_update AFTER UPDATE OF title, summary, tags, body_text ON kb_articles BEGIN
    DELETE FROM kb_fts WHERE rowid = old.id;
    INSERT INTO kb_fts (rowid, title, summary, tags, body)
    VALUES (new.id, new.title, new.summary,
            (SELECT coalesce(group_concat(value, ', '), '') FROM json_each(new.tags)),
            new.body_text);
    DELETE FROM kb_article_tags WHERE article_id = old.id;
    INSERT OR IGNORE INTO kb_article_tags (article_id, tag)
    SELECT new.id, value FROM json_each(new.tags);
END;

CREATE TRIGGER kb_articles_after_delete AFTER DELETE ON kb_articles BEGIN
    DELETE FROM kb_fts WHERE rowid = old.id;
END;

-- "Was this helpful?": one vote per reader and article, changeable. `voter` is `user:<id>` for
-- a signed-in person, else `browser:<random id from the lantern_browser cookie>`.
CREATE TABLE kb_votes (
    article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    voter      TEXT NOT NULL,
    helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    voted_at   INTEGER NOT NULL,
    PRIMARY KEY (article_id, voter)
) WITHOUT ROWID;

-- The counts on kb_articles follow the votes, whichever way a vote is written.
CREATE TRIGGER kb_votes_after_insert AFTER INSERT ON kb_votes BEGIN
    UPDATE kb_articles
    SET helpful = helpful + new.helpful, not_helpful = not_helpful + 1 - new.helpful
    WHERE id = new.article_id;
END;

CREATE TRIGGER kb_votes_after_update AFTER UPDATE OF helpful ON kb_votes BEGIN
    UPDATE kb_articles
    SET helpful = helpful - old.helpful + new.helpful,
        not_helpful = not_helpful - (1 - old.helpful) + (1 - new.helpful)
    WHERE id = new.article_id;
END;

CREATE TRIGGER kb_votes_after_delete AFTER DELETE ON kb_votes BEGIN
    UPDATE kb_articles
    SET helpful = helpful - old.helpful, not_helpful = not_helpful - (1 - old.helpful)
    WHERE id = old.article_id;
END;

-- Small facts about the knowledge base, written by the import: `index_json` (the compact index
-- as served) and `index_etag` (its ETag).
CREATE TABLE kb_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
