-- The knowledge base's full text is searched by the ranking engine in each server's memory
-- (`crate::kb::engine`), rebuilt from `kb_articles` at start and after each import, so the FTS5
-- copy of the text and the triggers that kept it in step go. Articles gain `keywords`: the
-- words customers search for that the article may not use itself.

DROP TRIGGER kb_articles_after_insert;
DROP TRIGGER kb_articles_after_update;
DROP TRIGGER kb_articles_after_delete;
DROP TABLE kb_fts;

ALTER TABLE kb_articles ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords));

CREATE TRIGGER kb_articles_after_insert AFTER INSERT ON kb_articles BEGIN
    INSERT OR IGNORE INTO kb_article_tags (article_id, tag)
    SELECT new.id, value FROM json_each(new.tags);
    INSERT OR IGNORE INTO kb_article_products (article_id, product)
    SELECT new.id, value FROM json_each(new.products);
END;

CREATE TRIGGER kb_articles_after_update_of_tags AFTER UPDATE OF tags ON kb_articles BEGIN
    DELETE FROM kb_article_tags WHERE article_id = old.id;
    INSERT OR IGNORE INTO kb_article_tags (article_id, tag)
    SELECT new.id, value FROM json_each(new.tags);
END;
