-- Search analytics for the vendor (`crate::analytics`): what was searched, what was shown, and
-- what the visit did next. Nothing here names a person: no user, organisation, e-mail, IP
-- address, user agent or ticket. A visit is 128 random bits the app makes per page load and
-- keeps in memory only. Rows older than LANTERN_ANALYTICS_RETENTION_DAYS are purged.

-- One row per settled search answer: full-text search, or the ticket wizard's suggestions.
CREATE TABLE analytics_searches (
    id          INTEGER PRIMARY KEY,
    -- The random id handed out with the answer, which clicks name. Searches typed in a row
    -- (each extending or editing the one before within 30 s) share an id and this one row,
    -- which ends up holding the settled query.
    search_id   TEXT NOT NULL UNIQUE,
    visit       TEXT NOT NULL,
    surface     TEXT NOT NULL CHECK (surface IN ('search', 'suggestions')),
    -- Lower-cased, whitespace collapsed, e-mail addresses, URLs and runs of 6+ digits replaced
    -- by <email>, <url>, <number>. For suggestions the ticket subject, never the description.
    query       TEXT NOT NULL,
    -- The product and category filters (a product id and category slug of the vendor's own).
    product     TEXT,
    category    TEXT,
    hits        INTEGER NOT NULL,
    strong_hits INTEGER NOT NULL,
    -- Unix seconds of the latest answer.
    at          INTEGER NOT NULL
);
CREATE INDEX analytics_searches_by_time ON analytics_searches (at);
CREATE INDEX analytics_searches_by_visit ON analytics_searches (visit, at);

-- The articles a suggestions answer showed, best first (impressions). Full-text answers keep
-- only their hit counts: storing every hit list would cost a write per hit.
CREATE TABLE analytics_impressions (
    -- The answer: analytics_searches.id.
    search   INTEGER NOT NULL REFERENCES analytics_searches (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- The article's slug (slugs outlive re-imports; ids need not).
    article  TEXT NOT NULL,
    PRIMARY KEY (search, position)
) WITHOUT ROWID;

-- What a visit did besides searching.
CREATE TABLE analytics_events (
    id        INTEGER PRIMARY KEY,
    -- NULL only for a click sent without a visit (the search it names has one).
    visit     TEXT,
    kind      TEXT NOT NULL CHECK (kind IN ('click', 'view', 'helpful', 'not_helpful', 'solved', 'ticket_filed')),
    -- Clicks: the answer (analytics_searches.search_id) and the article's place in it, 0 first.
    search_id TEXT,
    position  INTEGER,
    -- The article's slug; NULL for `ticket_filed`.
    article   TEXT,
    at        INTEGER NOT NULL
);
CREATE INDEX analytics_events_by_time ON analytics_events (at);
CREATE INDEX analytics_events_by_visit ON analytics_events (visit, kind, at);
CREATE INDEX analytics_events_clicks ON analytics_events (search_id) WHERE kind = 'click';
