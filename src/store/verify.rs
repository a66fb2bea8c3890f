//! `Store::verify`: check everything the store can recompute or cross-check,
//! and name what is damaged (the article and version where there is one).
//!
//! - SQLite's full `integrity_check` (pages, every index entry against its row);
//! - every value has the type its column declares, and every text decodes as UTF-8;
//! - every blob decodes (delta chains included) to bytes of its hash and size;
//! - every version: its article, its number in 1..n, its text and scrape blobs,
//!   its `identity` re-derived from its text, its time, media type and encoding,
//!   and exactly one `new` observation carrying its scrape's hash;
//! - every observation: its version, of its article, its kind, time and hash;
//! - every cached analysis is JSON about a 32-byte text hash.
//!
//! A check that SQLite cannot even run (the file is too damaged) is reported
//! as damage too, and the other checks go on.
//!
//! What it cannot recompute: free-form metadata (title, byline, URL, source)
//! changed into other valid text, and the scrape hash of an `unchanged` or
//! `revert` observation (those bytes are not kept).

use std::collections::{HashMap, HashSet};

use rusqlite::types::ValueRef;

use super::{
    Hash, MAX_DELTA_DEPTH, Result, Store, StoreError, VerifyReport, blob, decode_blob, hex, hex_of,
    read_blob,
};
use crate::text::normalize;

/// Most problems listed; past that, a count.
const MAX_PROBLEMS: usize = 1000;

struct Verifier<'s> {
    store: &'s Store,
    report: VerifyReport,
    /// Hashes of all blob rows, and those that are damaged.
    blobs: HashSet<Hash>,
    bad_blobs: HashSet<Hash>,
    /// Article id → key (lossy when the key itself is damaged).
    keys: HashMap<i64, String>,
    /// Version id → (article id, number).
    versions: HashMap<i64, (i64, i64)>,
    /// Version id → scrape hashes and times of its `new` observations.
    new_observations: HashMap<i64, Vec<(Option<Hash>, String)>>,
    /// Damaged blobs, reported last with the versions that use them.
    blob_problems: Vec<(Hash, String)>,
    blob_users: HashMap<Hash, Vec<String>>,
    omitted: usize,
}

impl Store {
    /// Check the whole store; see the module documentation for what.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut v = Verifier {
            store: self,
            report: VerifyReport::default(),
            blobs: HashSet::new(),
            bad_blobs: HashSet::new(),
            keys: HashMap::new(),
            versions: HashMap::new(),
            new_observations: HashMap::new(),
            blob_problems: Vec::new(),
            blob_users: HashMap::new(),
            omitted: 0,
        };
        // One read transaction: every check sees the same snapshot while
        // other processes go on writing (WAL readers don't block them).
        self.conn.execute_batch("BEGIN")?;
        let result = v.run();
        let _ = self.conn.execute_batch("COMMIT");
        result?;
        Ok(v.report)
    }
}

impl Verifier<'_> {
    fn run(&mut self) -> Result<()> {
        let v = self;
        v.pass("integrity check", Verifier::integrity)?;
        v.pass("schema", Verifier::schema)?;
        v.pass("column types", Verifier::column_types)?;
        v.pass("blobs", Verifier::blobs)?;
        v.pass("articles", Verifier::articles)?;
        v.pass("observations", Verifier::observations)?;
        v.pass("change edits", Verifier::edits)?;
        v.pass("versions", Verifier::versions)?;
        v.pass("cached analyses", Verifier::analyses)?;
        for (hash, message) in std::mem::take(&mut v.blob_problems) {
            match v.blob_users.get(&hash) {
                Some(users) => {
                    let users = users.join(", ");
                    v.problem(format!("{message}; it holds the {users}"));
                }
                None => v.problem(message),
            }
        }
        if v.omitted > 0 {
            v.report
                .problems
                .push(format!("… and {} more problem(s)", v.omitted));
        }
        Ok(())
    }

    fn problem(&mut self, message: String) {
        if self.report.problems.len() < MAX_PROBLEMS {
            self.report.problems.push(message);
        } else {
            self.omitted += 1;
        }
    }

    /// Run one check; SQLite failing under it (other than a busy store) is
    /// damage found, and the next check still runs.
    fn pass(&mut self, what: &str, check: fn(&mut Self) -> Result<()>) -> Result<()> {
        match check(self) {
            Ok(()) => Ok(()),
            Err(StoreError::Sql(e)) if super::is_busy(&e) => Err(StoreError::Sql(e)),
            Err(e) => {
                self.problem(format!("{what}: cannot be read: {e}"));
                Ok(())
            }
        }
    }

    fn integrity(&mut self) -> Result<()> {
        let lines: Vec<String> = self
            .store
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if lines != ["ok"] {
            for line in lines {
                self.problem(format!("sqlite: {line}"));
            }
        }
        Ok(())
    }

    /// The schema (as SQLite keeps it, in text) is the one the migrations create.
    fn schema(&mut self) -> Result<()> {
        type Object = (String, String, Option<String>);
        let read = |conn: &rusqlite::Connection| -> rusqlite::Result<Vec<Object>> {
            conn.prepare(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'
                 ORDER BY type, name",
            )?
            .query_map([], |r| {
                Ok((
                    lossy(r.get_ref(0)?),
                    lossy(r.get_ref(1)?),
                    match r.get_ref(2)? {
                        ValueRef::Null => None,
                        v => Some(lossy(v)),
                    },
                ))
            })?
            .collect()
        };
        let expected_db = rusqlite::Connection::open_in_memory()?;
        for sql in super::schema::MIGRATIONS {
            expected_db.execute_batch(sql)?;
        }
        let expected = read(&expected_db)?;
        let found = read(&self.store.conn)?;
        let mut problems = Vec::new();
        for (kind, name, sql) in &found {
            match expected.iter().find(|e| &e.0 == kind && &e.1 == name) {
                None => problems.push(format!("schema: unknown {kind} {name:?}")),
                Some(e) if &e.2 != sql => {
                    problems.push(format!(
                        "schema: the definition of {kind} {name} is altered"
                    ));
                }
                Some(_) => {}
            }
        }
        for (kind, name, _) in &expected {
            if !found.iter().any(|f| &f.0 == kind && &f.1 == name) {
                problems.push(format!("schema: {kind} {name} is missing"));
            }
        }
        for p in problems {
            self.problem(p);
        }
        Ok(())
    }

    /// Every value has its column's declared type (NULL where allowed), and
    /// every text is UTF-8. Covers every table, including ones added later.
    fn column_types(&mut self) -> Result<()> {
        let tables: Vec<String> = self
            .store
            .conn
            .prepare(
                // The search index's FTS5 table and its shadow tables
                // (WITHOUT ROWID, no declared types) are SQLite's own format.
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name != 'search_fts' AND name NOT LIKE 'search\\_fts\\_%' ESCAPE '\\'
                 ORDER BY name",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in tables {
            // (name, declared type, NOT NULL)
            let columns: Vec<(String, String, bool)> = self
                .store
                .conn
                .prepare(&format!("PRAGMA table_info({})", quote(&table)))?
                .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            if columns.is_empty() {
                continue;
            }
            let list: Vec<String> = columns.iter().map(|c| quote(&c.0)).collect();
            let sql = format!("SELECT rowid, {} FROM {}", list.join(", "), quote(&table));
            let mut stmt = self.store.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            let mut found: Vec<(i64, String)> = Vec::new();
            while let Some(row) = rows.next()? {
                let rowid: i64 = row.get(0)?;
                for (i, (name, declared, not_null)) in columns.iter().enumerate() {
                    let value = row.get_ref(i + 1)?;
                    if let Some(what) = type_problem(value, declared, *not_null) {
                        found.push((rowid, format!("{name} {what}")));
                    }
                }
            }
            drop(rows);
            drop(stmt);
            for (rowid, what) in found {
                let name = self.describe(&table, rowid);
                self.problem(format!("{name}: {what}"));
            }
        }
        Ok(())
    }

    /// Decode every blob, bases before the deltas that need them, and check
    /// its bytes against its hash and size, and its depth against its base's.
    fn blobs(&mut self) -> Result<()> {
        let conn = &self.store.conn;
        let mut stmt = conn.prepare(
            "SELECT b.rowid, b.hash, b.size, b.codec, b.base, b.depth,
                    (SELECT count(*) FROM blobs c WHERE c.base = b.hash)
             FROM blobs b ORDER BY b.depth, b.hash",
        )?;
        let mut data_stmt = conn.prepare("SELECT data FROM blobs WHERE rowid = ?1")?;
        let mut rows = stmt.query([])?;
        // Decoded bases, kept while deltas still refer to them.
        let mut cache: HashMap<Hash, (Vec<u8>, i64)> = HashMap::new();
        let mut depths: HashMap<Hash, i64> = HashMap::new();
        let mut found: Vec<String> = Vec::new();
        while let Some(row) = rows.next()? {
            let rowid: i64 = row.get(0)?;
            let Some(hash) = as_hash(row.get_ref(1)?) else {
                found.push(format!(
                    "blob row {rowid}: malformed hash {}",
                    hex_of(as_bytes(row.get_ref(1)?))
                ));
                continue;
            };
            self.blobs.insert(hash);
            let (Some(size), Some(codec), Some(depth)) = (
                as_i64(row.get_ref(2)?),
                as_i64(row.get_ref(3)?),
                as_i64(row.get_ref(5)?),
            ) else {
                self.blob_problems.push((
                    hash,
                    format!("blob {}: size, codec or depth is not a number", hex(&hash)),
                ));
                self.bad_blobs.insert(hash);
                continue;
            };
            let children: i64 = row.get(6)?;
            self.report.blobs += 1;
            self.report.bytes += u64::try_from(size).unwrap_or(0);
            let base = match row.get_ref(4)? {
                ValueRef::Null => None,
                v => match as_hash(v) {
                    Some(b) => Some(b),
                    None => {
                        self.blob_problems
                            .push((hash, format!("blob {}: malformed base hash", hex(&hash))));
                        self.bad_blobs.insert(hash);
                        continue;
                    }
                },
            };
            let expected_depth = match &base {
                None => Some(0),
                Some(b) => depths.get(b).map(|d| d + 1),
            };
            if expected_depth.is_some_and(|d| d != depth) || !(0..=MAX_DELTA_DEPTH).contains(&depth)
            {
                self.blob_problems.push((
                    hash,
                    format!(
                        "blob {}: delta depth {depth} is wrong{}",
                        hex(&hash),
                        expected_depth.map_or(String::new(), |d| format!(" (should be {d})"))
                    ),
                ));
            }
            depths.insert(hash, depth);
            if let Some(b) = &base
                && self.bad_blobs.contains(b)
            {
                self.blob_problems.push((
                    hash,
                    format!("blob {}: its delta base {} is damaged", hex(&hash), hex(b)),
                ));
                self.bad_blobs.insert(hash);
                continue;
            }
            let data: Vec<u8> = data_stmt.query_row([rowid], |r| {
                Ok(match r.get_ref(0)? {
                    ValueRef::Blob(b) => b.to_vec(),
                    _ => Vec::new(),
                })
            })?;
            let decoded = match base {
                None => decode_blob(codec, &data, size, None),
                Some(b) => match cache.get(&b) {
                    Some((bytes, _)) => decode_blob(codec, &data, size, Some(bytes)),
                    None => read_blob(conn, &b, &mut HashMap::new())
                        .map_err(|e| e.to_string())
                        .and_then(|bytes| decode_blob(codec, &data, size, Some(&bytes))),
                },
            };
            if let Some(b) = &base
                && let Some(entry) = cache.get_mut(b)
            {
                entry.1 -= 1;
                if entry.1 <= 0 {
                    cache.remove(b);
                }
            }
            match decoded {
                Err(reason) => {
                    self.blob_problems.push((
                        hash,
                        format!("blob {}: does not decode ({reason})", hex(&hash)),
                    ));
                    self.bad_blobs.insert(hash);
                }
                Ok(bytes) if blob::hash(&bytes) != hash => {
                    self.blob_problems.push((
                        hash,
                        format!(
                            "blob {}: content hashes to {} (corrupted)",
                            hex(&hash),
                            hex(&blob::hash(&bytes))
                        ),
                    ));
                    self.bad_blobs.insert(hash);
                }
                Ok(bytes) => {
                    if children > 0 {
                        cache.insert(hash, (bytes, children));
                    }
                }
            }
        }
        drop(rows);
        for f in found {
            self.problem(f);
        }
        Ok(())
    }

    fn articles(&mut self) -> Result<()> {
        let mut found = Vec::new();
        {
            let mut stmt = self
                .store
                .conn
                .prepare("SELECT id, key, created_at FROM articles ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let key = lossy(row.get_ref(1)?);
                if !is_time(row.get_ref(2)?) {
                    found.push(format!("article {key:?}: creation time is not a time"));
                }
                self.keys.insert(id, key);
            }
        }
        for f in found {
            self.problem(f);
        }
        let mut stmt = self
            .store
            .conn
            .prepare("SELECT id, article_id, number FROM versions")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let (Some(id), Some(article), Some(number)) = (
                as_i64(row.get_ref(0)?),
                as_i64(row.get_ref(1)?),
                as_i64(row.get_ref(2)?),
            ) {
                self.versions.insert(id, (article, number));
            }
        }
        Ok(())
    }

    fn version_name(&self, version_id: i64) -> String {
        match self.versions.get(&version_id) {
            Some((article, number)) => format!("{}@{number}", self.key(*article)),
            None => format!("version #{version_id}"),
        }
    }

    fn key(&self, article: i64) -> String {
        self.keys
            .get(&article)
            .cloned()
            .unwrap_or_else(|| format!("article #{article}"))
    }

    /// What a change edited is one of the known kinds, and noted only on a
    /// new version's or a revert's observation.
    fn edits(&mut self) -> Result<()> {
        let mut found = Vec::new();
        {
            let mut stmt = self.store.conn.prepare(
                "SELECT id, version_id, kind, edit FROM observations WHERE edit IS NOT NULL
                 ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let name = match as_i64(row.get_ref(1)?) {
                    Some(v) => format!("{}, observation #{id}", self.version_name(v)),
                    None => format!("observation #{id}"),
                };
                let kind = lossy(row.get_ref(2)?);
                let edit = lossy(row.get_ref(3)?);
                if !matches!(edit.as_str(), "text" | "orthographic" | "moved") {
                    found.push(format!("{name}: unknown edit {edit:?}"));
                } else if !matches!(kind.as_str(), "new" | "revert") {
                    found.push(format!("{name}: an edit noted on an unchanged observation"));
                }
            }
        }
        for f in found {
            self.problem(f);
        }
        Ok(())
    }

    fn observations(&mut self) -> Result<()> {
        let mut found = Vec::new();
        {
            let mut stmt = self.store.conn.prepare(
                "SELECT id, article_id, version_id, observed_at, kind, raw_hash FROM observations
                 ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let article = as_i64(row.get_ref(1)?);
                let version = as_i64(row.get_ref(2)?);
                let at = lossy(row.get_ref(3)?);
                let kind = lossy(row.get_ref(4)?);
                let raw = as_hash(row.get_ref(5)?);
                let name = match version {
                    Some(v) => format!("{}, observation #{id} ({at})", self.version_name(v)),
                    None => format!("observation #{id} ({at})"),
                };
                match version.and_then(|v| self.versions.get(&v)) {
                    None => found.push(format!("{name}: its version does not exist")),
                    Some((a, _)) if Some(*a) != article => {
                        found.push(format!("{name}: filed under another article"));
                    }
                    Some(_) => {}
                }
                if !is_time(row.get_ref(3)?) {
                    found.push(format!("{name}: observation time is not a time"));
                }
                if !matches!(kind.as_str(), "new" | "unchanged" | "revert") {
                    found.push(format!("{name}: unknown kind {kind:?}"));
                }
                if raw.is_none() {
                    found.push(format!("{name}: malformed scrape hash"));
                }
                if kind == "new"
                    && let Some(v) = version
                {
                    self.new_observations
                        .entry(v)
                        .or_default()
                        .push((raw, at.clone()));
                }
            }
        }
        for f in found {
            self.problem(f);
        }
        Ok(())
    }

    fn versions(&mut self) -> Result<()> {
        let mut found = Vec::new();
        {
            let conn = &self.store.conn;
            let mut stmt = conn.prepare(
                "SELECT id, article_id, number, text_hash, raw_hash, identity, normalizer,
                        fetched_at, media_type, encoding
                 FROM versions ORDER BY article_id, number",
            )?;
            let mut rows = stmt.query([])?;
            let mut users: Vec<(Hash, String)> = Vec::new();
            let mut article_seen: Option<i64> = None;
            let mut expected_number = 1;
            // Decoded texts of the current article: deltas build on them.
            let mut cache: HashMap<Hash, Vec<u8>> = HashMap::new();
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let article = as_i64(row.get_ref(1)?).unwrap_or(-1);
                let number = as_i64(row.get_ref(2)?).unwrap_or(0);
                let name = format!("{}@{number}", self.key(article));
                if !self.keys.contains_key(&article) {
                    found.push(format!("{name}: its article does not exist"));
                }
                if article_seen != Some(article) {
                    article_seen = Some(article);
                    expected_number = 1;
                    cache.clear();
                }
                if number != expected_number {
                    found.push(format!(
                        "{name}: numbered {number} where {expected_number} was expected"
                    ));
                }
                expected_number = number + 1;

                let text_hash = as_hash(row.get_ref(3)?);
                let raw_hash = as_hash(row.get_ref(4)?);
                for (what, hash) in [("text", text_hash), ("scrape", raw_hash)] {
                    match hash {
                        None => found.push(format!("{name}: malformed {what} hash")),
                        Some(h) if !self.blobs.contains(&h) => {
                            found.push(format!("{name}: {what} blob {} is missing", hex(&h)));
                        }
                        Some(h) if self.bad_blobs.contains(&h) => {
                            users.push((h, format!("{what} of {name}")));
                        }
                        Some(_) => {}
                    }
                }

                let identity = as_hash(row.get_ref(5)?);
                let normalizer = as_i64(row.get_ref(6)?);
                let current = i64::from(normalize::NORMALIZER_VERSION);
                match normalizer {
                    Some(n) if (1..=current).contains(&n) => {}
                    _ => found.push(format!(
                        "{name}: unknown normalizer version {}",
                        lossy(row.get_ref(6)?)
                    )),
                }
                if identity.is_none() {
                    found.push(format!("{name}: malformed identity"));
                }
                if let Some(h) = text_hash
                    && self.blobs.contains(&h)
                    && !self.bad_blobs.contains(&h)
                {
                    match read_blob(conn, &h, &mut cache) {
                        Err(e) => found.push(format!("{name}: text: {e}")),
                        Ok(bytes) => match std::str::from_utf8(&bytes) {
                            Err(_) => found.push(format!("{name}: text is not UTF-8")),
                            // Identities of an older normaliser are re-derived
                            // when the article is next ingested.
                            Ok(text) if normalizer == Some(current) => {
                                if identity.is_some_and(|i| i != normalize::identity_hash(text)) {
                                    found.push(format!(
                                        "{name}: identity does not match its text (damaged)"
                                    ));
                                }
                            }
                            Ok(_) => {}
                        },
                    }
                    if cache.len() > 64 {
                        cache.clear();
                    }
                }

                if !is_time(row.get_ref(7)?) {
                    found.push(format!("{name}: fetch time is not a time"));
                }
                let media_type = lossy(row.get_ref(8)?);
                if !matches!(media_type.as_str(), "text/plain" | "text/html") {
                    found.push(format!("{name}: unknown media type {media_type:?}"));
                }
                let encoding = lossy(row.get_ref(9)?);
                if encoding_rs::Encoding::for_label(encoding.as_bytes()).map(|e| e.name())
                    != Some(encoding.as_str())
                {
                    found.push(format!("{name}: unknown encoding {encoding:?}"));
                }

                match self.new_observations.get(&id).map(Vec::as_slice) {
                    None | Some([]) => {
                        found.push(format!("{name}: no observation records its arrival"));
                    }
                    Some([(seen, at)]) => {
                        if raw_hash.is_some() && *seen != raw_hash {
                            found.push(format!(
                                "{name}: its first observation's scrape hash differs from the stored scrape (damaged)"
                            ));
                        }
                        if *at != lossy(row.get_ref(7)?) {
                            found.push(format!(
                                "{name}: fetch time differs from its first observation's time (damaged)"
                            ));
                        }
                    }
                    Some(more) => found.push(format!(
                        "{name}: {} observations record its arrival (one expected)",
                        more.len()
                    )),
                }
            }
            drop(rows);
            for (hash, user) in users {
                self.blob_users.entry(hash).or_default().push(user);
            }
        }
        for f in found {
            self.problem(f);
        }
        Ok(())
    }

    fn analyses(&mut self) -> Result<()> {
        let mut found = Vec::new();
        {
            let mut stmt = self
                .store
                .conn
                .prepare("SELECT id, text_hash, analyser, data FROM analyses ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let name = format!("cached analysis #{id} ({})", lossy(row.get_ref(2)?));
                if as_hash(row.get_ref(1)?).is_none() {
                    found.push(format!("{name}: malformed text hash"));
                }
                let analyser = lossy(row.get_ref(2)?);
                if let Some(problem) =
                    crate::analysis::cache_problem(&analyser, as_bytes(row.get_ref(3)?))
                {
                    found.push(format!("{name}: {problem}"));
                }
            }
        }
        {
            let mut stmt = self.store.conn.prepare(
                "SELECT id, from_hash, to_hash, kind, data FROM comparisons ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let name = format!("cached comparison #{id} ({})", lossy(row.get_ref(3)?));
                if as_hash(row.get_ref(1)?).is_none() || as_hash(row.get_ref(2)?).is_none() {
                    found.push(format!("{name}: malformed text hash"));
                }
                if crate::analysis::comparison_problem(as_bytes(row.get_ref(4)?)).is_some() {
                    found.push(format!("{name}: malformed"));
                }
            }
        }
        for f in found {
            self.problem(f);
        }
        Ok(())
    }

    /// A row named for people: the article and version where there is one.
    fn describe(&self, table: &str, rowid: i64) -> String {
        let conn = &self.store.conn;
        let text = |sql: &str| -> Option<String> {
            conn.query_row(sql, [rowid], |r| Ok(lossy(r.get_ref(0)?)))
                .ok()
        };
        let found = match table {
            "articles" => text("SELECT key FROM articles WHERE rowid = ?1").map(|k| format!("article {k:?}")),
            "versions" => text(
                "SELECT a.key || '@' || v.number FROM versions v JOIN articles a ON a.id = v.article_id
                 WHERE v.rowid = ?1",
            ),
            "observations" => text(
                "SELECT a.key || '@' || v.number || ', observation #' || o.id FROM observations o
                 JOIN versions v ON v.id = o.version_id JOIN articles a ON a.id = v.article_id
                 WHERE o.rowid = ?1",
            ),
            "blobs" => conn
                .query_row("SELECT hash FROM blobs WHERE rowid = ?1", [rowid], |r| {
                    Ok(format!("blob {}", hex_of(as_bytes(r.get_ref(0)?))))
                })
                .ok(),
            "analyses" => text("SELECT 'cached analysis #' || id || ' (' || analyser || ')' FROM analyses WHERE rowid = ?1"),
            "comparisons" => text("SELECT 'cached comparison #' || id || ' (' || kind || ')' FROM comparisons WHERE rowid = ?1"),
            "watch_items" => text("SELECT 'watched ' || source || ' ' || item FROM watch_items WHERE rowid = ?1"),
            _ => None,
        };
        found.unwrap_or_else(|| format!("{table} row {rowid}"))
    }
}

/// What is wrong with a value of a column declared `declared`, if anything.
fn type_problem(value: ValueRef<'_>, declared: &str, not_null: bool) -> Option<String> {
    let declared = declared.to_ascii_uppercase();
    match value {
        ValueRef::Null if not_null => Some("is missing".into()),
        ValueRef::Null => None,
        ValueRef::Text(bytes) if declared.contains("TEXT") => std::str::from_utf8(bytes)
            .err()
            .map(|e| format!("is not UTF-8 (bad byte at {})", e.valid_up_to())),
        ValueRef::Integer(_) if declared.contains("INT") => None,
        ValueRef::Blob(_) if declared.contains("BLOB") => None,
        ValueRef::Real(_) if declared.contains("REAL") => None,
        _ if declared.is_empty() => None,
        other => Some(format!(
            "is {}, not {}",
            match other {
                ValueRef::Null => "NULL",
                ValueRef::Integer(_) => "an integer",
                ValueRef::Real(_) => "a real",
                ValueRef::Text(_) => "text",
                ValueRef::Blob(_) => "a blob",
            },
            declared.to_lowercase()
        )),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn as_i64(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    }
}

fn as_hash(v: ValueRef<'_>) -> Option<Hash> {
    match v {
        ValueRef::Blob(b) => b.try_into().ok(),
        _ => None,
    }
}

fn as_bytes(v: ValueRef<'_>) -> &[u8] {
    match v {
        ValueRef::Blob(b) | ValueRef::Text(b) => b,
        _ => &[],
    }
}

fn lossy(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(b) => String::from_utf8_lossy(b).into_owned(),
        ValueRef::Blob(b) => hex_of(b),
    }
}

/// A time as the store writes it (RFC 3339).
fn is_time(v: ValueRef<'_>) -> bool {
    match v {
        ValueRef::Text(b) => std::str::from_utf8(b)
            .ok()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        _ => false,
    }
}
