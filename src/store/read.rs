//! Reading the store: articles, their histories, versions resolved from a
//! reference, and blobs decoded from their delta chains.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{
    ArticleSummary, Codec, HISTORY_ORDER, Hash, HistoryEvent, LATEST_FIRST, MAX_DELTA_DEPTH,
    Result, State, Step, Store, StoreError, StoreStats, TEXTS_READ_BYTES, VersionInfo, VersionRef,
    VersionText, blob, hex,
};

/// A reference resolved (see `Store::resolve`).
struct Resolved {
    article: i64,
    /// The version number.
    number: i64,
    /// How many versions the article has.
    count: i64,
    /// The current version.
    current: i64,
    /// The article's states, when they were needed (`KEY@-N`).
    states: Option<Vec<State>>,
    /// The referenced state, for `KEY@-N`.
    index: Option<usize>,
}

/// A `blobs` row: size, codec, base, data.
type BlobRow = (i64, i64, Option<Vec<u8>>, Vec<u8>);

impl Store {
    /// Every stored version, `(key, number)`, article by article in the
    /// order they were first stored.
    pub fn version_refs(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.key, v.number FROM versions v JOIN articles a ON a.id = v.article_id
             ORDER BY a.id, v.number",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// All articles, by key.
    pub fn list(&self) -> Result<Vec<ArticleSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.key, a.url,
                    (SELECT count(*) FROM versions v WHERE v.article_id = a.id),
                    (SELECT v.number FROM observations o JOIN versions v ON v.id = o.version_id
                      WHERE o.article_id = a.id ORDER BY {LATEST_FIRST} LIMIT 1),
                    (SELECT min(observed_at) FROM observations o WHERE o.article_id = a.id),
                    (SELECT max(observed_at) FROM observations o
                      WHERE o.article_id = a.id AND o.kind IN ('new', 'revert')),
                    (SELECT max(observed_at) FROM observations o WHERE o.article_id = a.id)
             FROM articles a ORDER BY a.key"
        ))?;
        let rows = stmt.query_map([], |r| {
            let versions: i64 = r.get(2)?;
            Ok(ArticleSummary {
                key: r.get(0)?,
                url: r.get(1)?,
                versions,
                current: r.get::<_, Option<i64>>(3)?.unwrap_or(versions),
                first_seen: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                last_changed: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                last_checked: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn article_id(&self, key: &str) -> Result<i64> {
        self.conn
            .query_row("SELECT id FROM articles WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::UnknownArticle(key.to_string()))
    }

    /// Every version of one article, oldest first.
    pub fn log(&self, key: &str) -> Result<Vec<VersionInfo>> {
        let article = self.article_id(key)?;
        let mut stmt = self.conn.prepare(
            "SELECT v.id, v.number, v.text_hash, v.fetched_at, t.size, r.size, v.media_type,
                    v.encoding, v.title, v.dir, v.lang
             FROM versions v JOIN blobs t ON t.hash = v.text_hash JOIN blobs r ON r.hash = v.raw_hash
             WHERE v.article_id = ?1 ORDER BY v.number",
        )?;
        let mut versions = stmt
            .query_map([article], |r| {
                let hash: Vec<u8> = r.get(2)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    VersionInfo {
                        version: r.get(1)?,
                        hash: hex_of(&hash),
                        fetched_at: r.get(3)?,
                        bytes: r.get(4)?,
                        raw_bytes: r.get(5)?,
                        media_type: r.get(6)?,
                        encoding: r.get(7)?,
                        title: r.get(8)?,
                        dir: r.get(9)?,
                        lang: r.get(10)?,
                        unchanged_observations: 0,
                        reverts: Vec::new(),
                        current: false,
                        previous: None,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut obs = self.conn.prepare(&format!(
            "SELECT o.version_id, o.kind, o.observed_at FROM observations o
             WHERE o.article_id = ?1 AND o.kind != 'new' ORDER BY {HISTORY_ORDER}"
        ))?;
        let rows = obs.query_map([article], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (version_id, kind, at) = row?;
            if let Some((_, v)) = versions.iter_mut().find(|(id, _)| *id == version_id) {
                match kind.as_str() {
                    "revert" => v.reverts.push(at),
                    _ => v.unchanged_observations += 1,
                }
            }
        }
        let states = states_of(&self.conn, article)?;
        for (_, v) in &mut versions {
            v.current = states.last().is_some_and(|s| s.version == v.version);
            v.previous = states
                .iter()
                .position(|s| s.version == v.version)
                .and_then(|i| i.checked_sub(1))
                .map(|i| states[i].version);
        }
        Ok(versions.into_iter().map(|(_, v)| v).collect())
    }

    /// New versions and reverts of one article, in the order they were seen.
    pub fn history(&self, key: &str) -> Result<Vec<HistoryEvent>> {
        let article = self.article_id(key)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT o.observed_at, v.number, o.kind FROM observations o JOIN versions v ON v.id = o.version_id
             WHERE o.article_id = ?1 AND o.kind IN ('new', 'revert') ORDER BY {HISTORY_ORDER}"
        ))?;
        let rows = stmt.query_map([article], |r| {
            Ok(HistoryEvent {
                at: r.get(0)?,
                version: r.get(1)?,
                kind: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The text hash of every version of one article, by number (no text read).
    pub fn version_hashes(&self, key: &str) -> Result<HashMap<i64, Hash>> {
        let article = self.article_id(key)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT number, text_hash FROM versions WHERE article_id = ?1")?;
        let rows = stmt.query_map([article], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (n, hash) = row?;
            out.insert(n, to_hash(&hash)?);
        }
        Ok(out)
    }

    /// The states of one article, oldest first: its current text is the last.
    pub fn states(&self, key: &str) -> Result<Vec<State>> {
        states_of(&self.conn, self.article_id(key)?)
    }

    /// The change that brought the text a reference names: for `KEY` (the
    /// current text) and `KEY@-N`, from the state before; for `KEY@N`, from
    /// the version that was current when version N first appeared.
    pub fn step(&self, reference: &VersionRef) -> Result<Step> {
        let Resolved {
            article,
            number,
            states,
            index,
            ..
        } = self.resolve(reference)?;
        let states = match states {
            Some(states) => states,
            None => states_of(&self.conn, article)?,
        };
        let index = match reference.version {
            None => states.len().checked_sub(1),
            Some(n) if n > 0 => states.iter().position(|s| s.version == number),
            Some(_) => index,
        };
        let Some(index) = index else {
            // A version never observed (not written by track): its number.
            return Ok(Step {
                from: (number > 1).then(|| number - 1),
                to: number,
                revert: false,
            });
        };
        Ok(Step {
            from: index.checked_sub(1).map(|i| states[i].version),
            to: number,
            revert: states[index].revert,
        })
    }

    /// Resolve a reference to a version number.
    fn resolve(&self, reference: &VersionRef) -> Result<Resolved> {
        let article = match self.article_id(&reference.key) {
            Ok(id) => id,
            Err(e) => {
                // `KEY@0`: versions are numbered from 1 (unless `KEY@0` is itself a key).
                let bare = reference
                    .key
                    .strip_suffix("@0")
                    .or_else(|| reference.key.strip_suffix("@-0"));
                if let Some(key) = bare
                    && let Ok(id) = self.article_id(key)
                {
                    let count: i64 = self.conn.query_row(
                        "SELECT count(*) FROM versions WHERE article_id = ?1",
                        [id],
                        |r| r.get(0),
                    )?;
                    return Err(StoreError::UnknownVersion {
                        key: key.to_string(),
                        requested: 0,
                        count,
                    });
                }
                return Err(e);
            }
        };
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM versions WHERE article_id = ?1",
            [article],
            |r| r.get(0),
        )?;
        let current: Option<i64> = self
            .conn
            .query_row(
                &format!(
                    "SELECT v.number FROM observations o JOIN versions v ON v.id = o.version_id
                     WHERE o.article_id = ?1 ORDER BY {LATEST_FIRST} LIMIT 1"
                ),
                [article],
                |r| r.get(0),
            )
            .optional()?;
        // An article never observed (not written by track): its last version.
        let current = current.unwrap_or(count);
        let (number, states, index) = match reference.version {
            Some(n) if n > 0 => (n, None, None),
            None => (current, None, None),
            Some(back) => {
                let back = back.unsigned_abs();
                let states = states_of(&self.conn, article)?;
                let changes = (states.len() as u64).saturating_sub(1);
                if states.is_empty() {
                    (count, None, None)
                } else if back > changes {
                    return Err(StoreError::NoEarlierState {
                        key: reference.key.clone(),
                        back,
                        changes,
                    });
                } else {
                    let i = states.len() - 1 - back as usize;
                    (states[i].version, Some(states), Some(i))
                }
            }
        };
        if number < 1 || number > count {
            return Err(StoreError::UnknownVersion {
                key: reference.key.clone(),
                requested: reference.version.unwrap_or(number),
                count,
            });
        }
        Ok(Resolved {
            article,
            number,
            count,
            current,
            states,
            index,
        })
    }

    /// Resolve a reference to one version and load its text.
    pub fn version(&self, reference: &VersionRef) -> Result<VersionText> {
        let Resolved {
            article,
            number,
            count,
            current,
            ..
        } = self.resolve(reference)?;
        let url: Option<String> =
            self.conn
                .query_row("SELECT url FROM articles WHERE id = ?1", [article], |r| {
                    r.get(0)
                })?;
        let row = self.conn.query_row(
            "SELECT text_hash, raw_hash, fetched_at, media_type, encoding, title, byline,
                    published, dir, lang, modified
             FROM versions WHERE article_id = ?1 AND number = ?2",
            params![article, number],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            },
        )?;
        let text_hash = to_hash(&row.0)?;
        let bytes = {
            let mut read = self.texts_read.borrow_mut();
            if read.values().map(Vec::len).sum::<usize>() > TEXTS_READ_BYTES {
                read.clear();
            }
            read_blob(&self.conn, &text_hash, &mut read)?
        };
        // SIMD validation: std's checks Arabic a byte at a time, a visible
        // part of reading a long text.
        let text = simdutf8::basic::from_utf8(&bytes)
            .map_err(|_| StoreError::Blob {
                hash: hex(&text_hash),
                reason: "text is not UTF-8".into(),
            })?
            .to_owned();
        Ok(VersionText {
            key: reference.key.clone(),
            url,
            version: number,
            versions: count,
            current: number == current,
            hash: hex(&text_hash),
            fetched_at: row.2,
            media_type: row.3,
            encoding: row.4,
            title: row.5,
            byline: row.6,
            published: row.7,
            modified: row.10,
            dir: row.8,
            lang: row.9,
            text,
            text_hash,
            raw_hash: to_hash(&row.1)?,
        })
    }

    /// The bytes of a blob.
    pub fn blob(&self, hash: &Hash) -> Result<Vec<u8>> {
        read_blob(&self.conn, hash, &mut HashMap::new())
    }

    /// Counts for reports.
    pub fn stats(&self) -> Result<StoreStats> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM versions),
                    (SELECT count(*) FROM observations), (SELECT count(*) FROM blobs),
                    (SELECT coalesce(sum(size), 0) FROM blobs),
                    (SELECT coalesce(sum(length(data)), 0) FROM blobs)",
            [],
            |r| {
                Ok(StoreStats {
                    articles: r.get(0)?,
                    versions: r.get(1)?,
                    observations: r.get(2)?,
                    blobs: r.get(3)?,
                    blob_bytes: r.get(4)?,
                    stored_bytes: r.get(5)?,
                })
            },
        )?)
    }
}

/// The states of an article: its observations in time order, runs of one
/// version collapsed.
fn states_of(conn: &Connection, article: i64) -> Result<Vec<State>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.number, o.observed_at FROM observations o JOIN versions v ON v.id = o.version_id
         WHERE o.article_id = ?1 ORDER BY {HISTORY_ORDER}"
    ))?;
    let mut rows = stmt.query([article])?;
    let mut states: Vec<State> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while let Some(row) = rows.next()? {
        let version: i64 = row.get(0)?;
        if states.last().is_some_and(|s| s.version == version) {
            continue;
        }
        states.push(State {
            version,
            since: row.get(1)?,
            revert: !seen.insert(version),
        });
    }
    Ok(states)
}

pub(super) fn to_hash(bytes: &[u8]) -> Result<Hash> {
    bytes.try_into().map_err(|_| StoreError::Blob {
        hash: hex_of(bytes),
        reason: "malformed hash".into(),
    })
}

pub(super) fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn decode_blob(
    codec: i64,
    data: &[u8],
    size: i64,
    base: Option<&[u8]>,
) -> std::result::Result<Vec<u8>, String> {
    let size = usize::try_from(size).map_err(|_| "negative size".to_string())?;
    match (Codec::from_i64(codec), base) {
        (Some(Codec::Zstd), None) => blob::decompress(data, size, None),
        (Some(Codec::ZstdDelta), Some(base)) => blob::decompress(data, size, Some(base)),
        (Some(Codec::ZstdDelta), None) => Err("delta without a base".into()),
        (Some(Codec::Zstd), Some(_)) => Err("whole blob with a base".into()),
        (None, _) => Err(format!("unknown codec {codec}")),
    }
}

/// Read a blob, decoding its delta chain from the whole blob at its root.
pub(super) fn read_blob(
    conn: &Connection,
    hash: &Hash,
    cache: &mut HashMap<Hash, Vec<u8>>,
) -> Result<Vec<u8>> {
    if let Some(bytes) = cache.get(hash) {
        return Ok(bytes.clone());
    }
    // Walk up to a cached or whole blob, then decode back down.
    let mut chain: Vec<(Hash, i64, i64, Vec<u8>)> = Vec::new();
    let mut cursor = *hash;
    let mut bytes: Option<Vec<u8>> = None;
    loop {
        let row: Option<BlobRow> = conn
            .prepare_cached("SELECT size, codec, base, data FROM blobs WHERE hash = ?1")?
            .query_row([&cursor[..]], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((size, codec, base, data)) = row else {
            return Err(StoreError::Blob {
                hash: hex(&cursor),
                reason: "missing".into(),
            });
        };
        chain.push((cursor, size, codec, data));
        match base {
            None => break,
            Some(b) => {
                cursor = to_hash(&b)?;
                if let Some(cached) = cache.get(&cursor) {
                    bytes = Some(cached.clone());
                    break;
                }
                if chain.len() as i64 > MAX_DELTA_DEPTH + 1 {
                    return Err(StoreError::Blob {
                        hash: hex(hash),
                        reason: "delta chain too long".into(),
                    });
                }
            }
        }
    }
    for (h, size, codec, data) in chain.into_iter().rev() {
        let decoded = decode_blob(codec, &data, size, bytes.as_deref()).map_err(|reason| {
            StoreError::Blob {
                hash: hex(&h),
                reason,
            }
        })?;
        if blob::hash(&decoded) != h {
            return Err(StoreError::Blob {
                hash: hex(&h),
                reason: "content does not match its hash (corrupted)".into(),
            });
        }
        bytes = Some(decoded);
    }
    let bytes = bytes.unwrap_or_default();
    if cache.len() < 1024 {
        cache.insert(*hash, bytes.clone());
    }
    Ok(bytes)
}
