//! Schema and migrations, keyed by `PRAGMA user_version`.
//!
//! The list is append-only: a released migration is never edited. Every store
//! carries `PRAGMA application_id` so a database of another program is
//! recognised and left alone.

/// `application_id` of a track store: "trck" in ASCII.
pub const APPLICATION_ID: i32 = 0x7472_636b;

/// Migrations in order; the store's `user_version` is how many have run.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles, versions, observations, blobs.
    r"
-- A rowid table: blobs are KBs, too large for a WITHOUT ROWID b-tree's cells.
CREATE TABLE blobs (
    id    INTEGER PRIMARY KEY,
    hash  BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    size  INTEGER NOT NULL,               -- uncompressed bytes
    codec INTEGER NOT NULL,               -- 1 zstd, 2 zstd delta against base
    base  BLOB REFERENCES blobs(hash),    -- only for deltas
    depth INTEGER NOT NULL DEFAULT 0,     -- delta chain length to a whole blob
    data  BLOB NOT NULL
);
CREATE INDEX blobs_base ON blobs(base) WHERE base IS NOT NULL;

CREATE TABLE articles (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    url        TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE versions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    number     INTEGER NOT NULL,
    text_hash  BLOB NOT NULL REFERENCES blobs(hash),  -- extracted text, as ingested
    raw_hash   BLOB NOT NULL REFERENCES blobs(hash),  -- the scrape's bytes
    identity   BLOB NOT NULL,                         -- BLAKE3 of the normalised text
    normalizer INTEGER NOT NULL,                      -- text::normalize::NORMALIZER_VERSION
    fetched_at TEXT NOT NULL,
    media_type TEXT NOT NULL,                         -- text/plain | text/html
    encoding   TEXT NOT NULL,
    title      TEXT,
    byline     TEXT,
    published  TEXT,
    dir        TEXT,
    lang       TEXT,
    UNIQUE (article_id, number)
);
CREATE INDEX versions_identity ON versions(article_id, identity);

CREATE TABLE observations (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    version_id  INTEGER NOT NULL REFERENCES versions(id),
    observed_at TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('new', 'unchanged', 'revert')),
    raw_hash    BLOB NOT NULL,   -- hash of the bytes seen (stored only if a version keeps them)
    source      TEXT             -- path, '-' or URL the scrape came from
);
CREATE INDEX observations_article ON observations(article_id, id);
",
    // 2: analyses of a text (claims, …) cached by text hash and analyser version.
    r"
CREATE TABLE analyses (
    id        INTEGER PRIMARY KEY,
    text_hash BLOB NOT NULL,
    analyser  TEXT NOT NULL,     -- e.g. 'claims'
    version   INTEGER NOT NULL,  -- the analyser's version: a stale entry is recomputed
    data      BLOB NOT NULL,     -- JSON
    UNIQUE (text_hash, analyser)
);
",
    // 3: monitoring (`check` / `watch`): the state of every polled item.
    r"
CREATE TABLE watch_items (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,      -- the [[source]] name in the sources file
    item          TEXT NOT NULL,      -- '' for the source itself; an article URL (feed), a file (dir)
    kind          TEXT NOT NULL CHECK (kind IN ('source', 'article', 'file')),
    key           TEXT,               -- the article key, fixed at the first ingest
    url           TEXT,               -- what is fetched (sources: the url/feed; articles: the link)
    discovered_at TEXT NOT NULL,
    last_checked  TEXT,
    last_changed  TEXT,               -- last new version or revert
    last_status   TEXT,               -- HTTP status, 'ok', 'not modified' or the failure
    failures      INTEGER NOT NULL DEFAULT 0,  -- consecutive failed checks
    next_due      TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    signature     TEXT,               -- dir files: size and modification time
    suspect       BLOB,               -- identity of a refused, much shorter text (see watch::engine)
    suspect_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, item)
);
CREATE INDEX watch_items_due ON watch_items(next_due);
-- `track changes` / `track feed` read recent changes by time.
CREATE INDEX observations_changes ON observations(observed_at) WHERE kind IN ('new', 'revert');
",
    // 4: change events waiting for delivery (webhook, hook command): written
    // in the transaction that records the change, deleted once delivered.
    r"
CREATE TABLE pending_events (
    id         INTEGER PRIMARY KEY,
    target     TEXT NOT NULL CHECK (target IN ('webhook', 'command')),
    event      TEXT NOT NULL,               -- the event, JSON
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,  -- failed deliveries so far
    last_error TEXT
);
",
    // 5: what a change edited (a new version's or a revert's observation,
    // against the version current before): 'text', or only 'orthographic'
    // (spelling) or only 'moved' (sentence order), which `changes`, `feed`
    // and events leave out by default; NULL for new articles and for
    // changes recorded before. And the source whose item an overlapping
    // item defers to (the article belongs to one source).
    r"
ALTER TABLE observations ADD COLUMN edit TEXT
    CHECK (edit IS NULL OR edit IN ('text', 'orthographic', 'moved'));
ALTER TABLE watch_items ADD COLUMN owner TEXT;
CREATE INDEX watch_items_key ON watch_items(key) WHERE key IS NOT NULL;
",
    // 6: when the page says the article was last updated (JSON-LD
    // `dateModified`, `article:modified_time`, an "Updated" `<time>`), ISO
    // 8601; NULL where the page gave none, and for versions recorded before.
    r"
ALTER TABLE versions ADD COLUMN modified TEXT;
",
    // 7: page furniture learned per host (see `crate::furniture`): what was
    // seen where (`furniture`: a block, or the shape of a short line with
    // digits masked; its distinct articles; how many scrapes in a row its
    // digits changed; learned, or the user's override), and each page's last
    // scrape (`furniture_pages`). Derived data only: versions are untouched.
    r"
CREATE TABLE furniture (
    id         INTEGER PRIMARY KEY,
    host       TEXT NOT NULL,              -- from the URL the operator gave, never from the page
    kind       TEXT NOT NULL CHECK (kind IN ('block', 'shape')),
    hash       INTEGER NOT NULL,           -- 64 bits of BLAKE3 of the normalised block or shape
    sample     TEXT NOT NULL,              -- the block as last seen (shortened), for people
    seen_in    TEXT NOT NULL DEFAULT '',   -- ids of the (first 8) distinct articles it was seen in
    volatile   INTEGER NOT NULL DEFAULT 0, -- most re-scrapes of one page it changed on (shapes; see furniture::Changing)
    changed_in TEXT NOT NULL DEFAULT '',   -- ids of the (first 8) articles it changed on repeatedly
    rotated_in TEXT NOT NULL DEFAULT '',   -- ids of the (first 8) articles it changed on at all
    status     TEXT NOT NULL DEFAULT 'evidence'
               CHECK (status IN ('evidence', 'learned', 'added', 'kept')),
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    UNIQUE (host, kind, hash)
);
CREATE INDEX furniture_status ON furniture(host, status, last_seen);

CREATE TABLE furniture_pages (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    host       TEXT NOT NULL,
    state      TEXT NOT NULL               -- JSON: the last scrape's blocks (see furniture::PageState)
);
",
    // 8: the outbox of alerts (replaces pending_events): one row per event
    // and channel (the idempotency key), written in the transaction that
    // records the change; kept after delivery (for a week) so that a
    // delivered event is never sent to that channel again. A row is
    // 'delivered' only once the channel accepted it, 'failed' after the
    // last attempt allowed; 'pending' rows wait for `next_attempt`.
    r"
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    event_id     TEXT NOT NULL,               -- the event's id
    channel      TEXT NOT NULL,               -- 'webhook', 'command', or 'n:' and a hash of the notify URL
    label        TEXT NOT NULL,               -- the channel with its secrets hidden, for `track outbox`
    event        TEXT NOT NULL,               -- the event, JSON
    alert        TEXT,                        -- the message for people, JSON (NULL: the channel gets the event)
    created_at   TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,  -- failed deliveries so far
    next_attempt TEXT NOT NULL,
    last_error   TEXT,
    delivered_at TEXT,
    UNIQUE (event_id, channel)
);
CREATE INDEX outbox_pending ON outbox(channel, id) WHERE state = 'pending';
INSERT INTO outbox (event_id, channel, label, event, created_at, attempts, next_attempt, last_error)
    SELECT 'queued-' || id, target, target, event, created_at, attempts, created_at, last_error
    FROM pending_events ORDER BY id;
DROP TABLE pending_events;
",
    // 9: the search index (see `store::search`): each distinct sentence of
    // an article once, with the first and last version that had it and
    // whether the current version has it (only what changes from one version
    // to the next is written); a contentless FTS5 table over its
    // normalised words (`text::search::index_text`, computed in Rust). Articles
    // stored before wait in `search_backlog`, indexed when the store opens.
    r"
CREATE TABLE search_sentences (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id),
    hash          BLOB NOT NULL,               -- BLAKE3 of the sentence's identity text
    text          TEXT NOT NULL,               -- the sentence as first stored
    first_version INTEGER NOT NULL,            -- version numbers
    last_version  INTEGER,                     -- NULL: in the latest version (search_articles.indexed)
    present       INTEGER NOT NULL DEFAULT 0,  -- in the article's current version
    UNIQUE (article_id, hash)
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    body, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE search_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    indexed    INTEGER NOT NULL                -- versions 1..indexed are in the index
);
CREATE TABLE search_backlog (article_id INTEGER PRIMARY KEY);
INSERT INTO search_backlog SELECT id FROM articles;
",
    // 10: the times search ranks by, kept beside the index so that ranking
    // thousands of matches needs no lookup in `versions`.
    r"
ALTER TABLE search_sentences ADD COLUMN last_at TEXT;  -- fetched_at of last_version (NULL with it)
ALTER TABLE search_articles ADD COLUMN indexed_at TEXT; -- fetched_at of version `indexed`
UPDATE search_articles SET indexed_at = (
    SELECT v.fetched_at FROM versions v
    WHERE v.article_id = search_articles.article_id AND v.number = search_articles.indexed);
UPDATE search_sentences SET last_at = (
    SELECT v.fetched_at FROM versions v
    WHERE v.article_id = search_sentences.article_id AND v.number = search_sentences.last_version)
WHERE last_version IS NOT NULL;
",
    // 11: comparisons cached per ordered pair of texts (see
    // `analysis::cached_comparison_bytes`): the sentence alignment and the claim
    // rows, which took most of a cached `diff`'s time. `inputs` fingerprints
    // everything else they depend on (both sides' claims, the analysers, the
    // build): an entry whose inputs differ is stale, recomputed and
    // replaced. IF NOT EXISTS: tests replay migrations after undoing older
    // ones.
    r"
CREATE TABLE IF NOT EXISTS comparisons (
    id        INTEGER PRIMARY KEY,
    from_hash BLOB NOT NULL,   -- the texts' hashes, in the order compared
    to_hash   BLOB NOT NULL,
    kind      TEXT NOT NULL,   -- the mode, and the gazetteer's id: 'articles', 'versions+…'
    inputs    BLOB NOT NULL,
    data      BLOB NOT NULL,   -- analysis::codec's encoding
    UNIQUE (from_hash, to_hash, kind)
);
CREATE INDEX IF NOT EXISTS comparisons_to ON comparisons(to_hash);
",
    // 12: when a sentence left an article, in a narrow table keyed by the
    // sentence's id instead of `search_sentences.last_at`: written when the
    // sentence leaves, that column grew rows already packed into full pages,
    // and the page splits left a sixth of the table empty (+6 % on a store of
    // ten rounds). The column stays (migrations are append-only), NULL.
    // IF NOT EXISTS: tests replay migrations after undoing older ones.
    r"
CREATE TABLE IF NOT EXISTS search_departed (
    id      INTEGER PRIMARY KEY,   -- search_sentences.id
    last_at TEXT NOT NULL          -- fetched_at of the sentence's last_version
);
INSERT OR REPLACE INTO search_departed (id, last_at)
    SELECT id, last_at FROM search_sentences WHERE last_at IS NOT NULL;
UPDATE search_sentences SET last_at = NULL WHERE last_at IS NOT NULL;
",
];

/// Schema version this build writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn migrations_apply_to_an_empty_database() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
    }
}
