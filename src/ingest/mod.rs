//! Ingest: turn scrapes (files, folders, bytes) into recorded versions.
//!
//! Per input: read (bounded) → decode → extract the article if it is HTML →
//! key → identity of the normalised text → record. Inputs are committed in
//! chunks; an input's outcome is reported only once its chunk is committed, so
//! whatever was reported stored survives a crash.

pub mod decode;
pub mod furniture;
pub mod html;
pub mod meta;
#[cfg(test)]
mod props;
pub mod select;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::compare;
use crate::diff::{Op, TextDiff, WordOp};
use crate::report::Mode;
use crate::store::sources::{Change, Edit};
use crate::store::{self, Batch, Derived, Reader, Recorded, Scrape, Store, StoreError, VersionRef};
use crate::text::normalize;

/// Default largest input accepted: 20 MB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1000 * 1000;

/// Inputs per transaction, at most; bounds what a crash can lose and how long
/// other writers wait.
const CHUNK_INPUTS: usize = 512;
/// Time spent preparing one chunk, at most (its inputs wait in memory).
const CHUNK_TIME: Duration = Duration::from_millis(1000);
/// Bytes (scrapes and texts) of one chunk held in memory, at most.
const CHUNK_BYTES: usize = 64 * 1000 * 1000;

/// File endings taken from a folder. Named files are taken whatever their ending.
const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "shtml",
];
const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "shtml"];

/// The media type of a `Content-Type` value, lower-cased, without its
/// parameters: `Text/HTML; charset=utf-8` → `text/html`.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// What an input is: HTML to extract the article from, or plain text kept
/// whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InputFormat {
    /// HTML by file ending (`.html`, `.htm`, …) or by an unmistakable
    /// document start (`<!doctype html`, `<html`); anything else is text.
    #[default]
    Auto,
    Text,
    Html,
}

impl InputFormat {
    /// The format a `Content-Type` says: (X)HTML or plain text, else `Auto`.
    pub fn from_content_type(content_type: &str) -> InputFormat {
        match media_type(content_type).as_str() {
            "text/html" | "application/xhtml+xml" => InputFormat::Html,
            "text/plain" => InputFormat::Text,
            _ => InputFormat::Auto,
        }
    }
}

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The article key for every input (else canonical URL, `url`, file stem).
    pub key: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// When the scrape was taken (see `time`).
    pub observed_at: DateTime<Utc>,
    /// Which time an observation gets.
    pub time: ObservedTime,
    /// Inputs larger than this are refused.
    pub max_bytes: u64,
    /// Encoding label that overrides detection (`windows-1256`, …).
    pub encoding: Option<String>,
    /// Text or HTML; `Auto` decides per input.
    pub format: InputFormat,
    /// CSS selectors for HTML inputs: the article's container, elements to
    /// remove.
    pub selectors: select::Selectors,
}

/// Which time an observation gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObservedTime {
    /// Now: the time its chunk is recorded (`observed_at` is not used), so
    /// that writers running at once record in time order.
    Now,
    /// `observed_at`, as the user gave it: an input is refused when it is
    /// before its article's latest observation.
    Given,
    /// Each file's modification time (bytes already read: `observed_at`),
    /// as given; the inputs are ingested oldest first, so that an archive of
    /// scrapes is back-filled in time order.
    Mtime,
}

/// Why one input was not recorded. Messages are the reason only; the caller
/// names the input.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("no such file or directory")]
    Missing,
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("not a regular file ({0}); use - to read standard input")]
    NotRegular(&'static str),
    #[error("too large ({size} bytes; the limit is {limit}, raise it with --max-size)")]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "no articles found in this folder ({skipped} other files skipped; articles end in .txt, .html, .htm or .md)"
    )]
    NoArticles { skipped: usize },
    #[error("{0}")]
    Decode(#[from] decode::DecodeError),
    #[error("{0}")]
    Extract(#[from] html::ExtractError),
    #[error("empty (no text after normalisation)")]
    Empty,
    #[error("no key: give --key (standard input has no file name)")]
    NoKey,
    /// Two different files of one batch named alike (`o1/index.txt`,
    /// `o2/index.txt`): they would silently become versions of one article.
    #[error(
        "key {key:?} (its file name) is already the key of {other} in this batch; not recorded: add each with its own --key"
    )]
    KeyTaken { key: String, other: String },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// One thing to ingest, after folders were expanded.
#[derive(Debug)]
pub enum Candidate {
    /// A file on disk.
    File(PathBuf),
    /// Bytes already read (standard input), with the name to show.
    Bytes { name: String, bytes: Vec<u8> },
    /// An input that failed before it could be read.
    Problem { name: String, error: InputError },
}

impl Candidate {
    /// The name an outcome line shows.
    pub fn name(&self) -> String {
        match self {
            Candidate::File(p) => p.display().to_string(),
            Candidate::Bytes { name, .. } | Candidate::Problem { name, .. } => name.clone(),
        }
    }
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: String,
    pub key: Option<String>,
    pub result: Result<Recorded, InputError>,
    /// What the caller should tell the user although the input was taken:
    /// bytes replaced in decoding, a canonical URL not trusted.
    pub warnings: Vec<String>,
}

/// Counts over a batch.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub new_articles: usize,
    pub new_versions: usize,
    pub unchanged: usize,
    pub reverted: usize,
    pub errors: usize,
}

impl Summary {
    fn count(&mut self, outcome: &Outcome) {
        self.inputs += 1;
        match &outcome.result {
            Ok(Recorded::NewArticle { .. }) => self.new_articles += 1,
            Ok(Recorded::NewVersion { .. }) => self.new_versions += 1,
            Ok(Recorded::Unchanged { .. }) => self.unchanged += 1,
            Ok(Recorded::Reverted { .. }) => self.reverted += 1,
            Err(_) => self.errors += 1,
        }
    }
}

/// A scrape decoded, extracted and keyed, ready to record.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub key: String,
    pub url: Option<String>,
    pub raw: Vec<u8>,
    pub text: String,
    pub identity: [u8; 32],
    pub media_type: &'static str,
    pub encoding: &'static str,
    pub meta: html::Extracted,
    /// See [`Outcome::warnings`].
    pub warnings: Vec<String>,
    /// The key is the file name without its extension (no `--key`, URL or
    /// canonical URL gave one).
    pub keyed_by_file_name: bool,
    /// The host of the URL the operator gave (`--url`, the source's): the
    /// furniture of that host is learned from and left out of this scrape.
    pub host: Option<String>,
    /// What was derived for the writer off the write lock ([`Prepared::derive`]).
    pub derived: Option<Derived>,
}

impl Prepared {
    /// Derive what recording needs from the text and bytes as they are now
    /// (hashes, sentences, compressed blobs; see [`store::derive`]), with
    /// `reader`'s snapshot of the store. Call it last: after a change of
    /// the text, what was derived is not used.
    pub fn derive(&mut self, reader: Option<&mut Reader>) {
        self.derived = Some(store::derive(
            reader,
            &self.key,
            &self.text,
            &self.raw,
            &self.identity,
            self.host.is_none(),
        ));
    }

    /// The scrape to record, observed at `at` from `source`.
    pub fn scrape<'a>(&'a self, at: DateTime<Utc>, source: &'a str) -> Scrape<'a> {
        Scrape {
            key: &self.key,
            url: self.url.as_deref(),
            observed_at: at,
            time_given: false,
            raw: &self.raw,
            text: &self.text,
            identity: self.identity,
            media_type: self.media_type,
            encoding: self.encoding,
            title: self.meta.title.as_deref(),
            byline: self.meta.byline.as_deref(),
            published: self.meta.published.as_deref(),
            modified: self.meta.modified.as_deref(),
            dir: self.meta.dir.as_deref(),
            lang: self.meta.lang.as_deref(),
            source: Some(source),
            host: self.host.as_deref(),
            derived: self.derived.as_ref(),
        }
    }
}

/// Expand paths into candidates: files as given, folders recursively (sorted,
/// hidden entries and non-article files skipped).
pub fn expand(paths: &[PathBuf]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(Candidate::Problem {
                    name: path.display().to_string(),
                    error: InputError::Missing,
                });
            }
            Err(e) => out.push(Candidate::Problem {
                name: path.display().to_string(),
                error: InputError::Unreadable(e.to_string()),
            }),
            Ok(meta) if !meta.is_dir() && !meta.is_file() => out.push(Candidate::Problem {
                name: path.display().to_string(),
                error: InputError::NotRegular(file_kind(&meta.file_type())),
            }),
            Ok(meta) if meta.is_dir() => {
                let before = out.len();
                let mut skipped = 0;
                walk(path, &mut out, &mut skipped);
                if out.len() == before {
                    out.push(Candidate::Problem {
                        name: path.display().to_string(),
                        error: InputError::NoArticles { skipped },
                    });
                }
            }
            Ok(_) => out.push(Candidate::File(path.clone())),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Candidate>, skipped: &mut usize) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Candidate::Problem {
                name: dir.display().to_string(),
                error: InputError::Unreadable(e.to_string()),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    for path in paths {
        // symlink_metadata: don't follow links to folders (loops).
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, out, skipped);
        } else if !has_extension(&path, ARTICLE_EXTENSIONS) {
            *skipped += 1;
        } else if meta.is_file() || meta.is_symlink() {
            // A link is judged by what it points to, when it is opened.
            out.push(Candidate::File(path));
        } else {
            out.push(Candidate::Problem {
                name: path.display().to_string(),
                error: InputError::NotRegular(file_kind(&meta.file_type())),
            });
        }
    }
}

/// What a file that is not a regular file is, for messages.
fn file_kind(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() { "a folder" } else { "not a file" }
}

fn has_extension(path: &Path, list: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| list.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Read a regular file, refusing it when it is larger than `max_bytes`.
///
/// Anything else (a named pipe, a device, a socket) is refused without
/// reading: it may never end or never answer. The file is opened
/// non-blocking so that even opening a pipe with no writer cannot hang, and
/// its type is checked on the open handle, so a file swapped for a pipe
/// between listing and reading is caught too.
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::Missing,
        _ => InputError::Unreadable(io_reason(&e)),
    })?;
    let meta = file
        .metadata()
        .map_err(|e| InputError::Unreadable(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(file_kind(&meta.file_type())));
    }
    let size = meta.len();
    if size > max_bytes {
        return Err(InputError::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // take(): the file may grow while we read it.
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Unreadable(io_reason(&e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    // "Permission denied (os error 13)" → "permission denied"
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s).to_string();
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => s,
    }
}

/// Decode, extract and key one scrape.
pub fn prepare(
    path: Option<&Path>,
    raw: Vec<u8>,
    opts: &IngestOptions,
) -> Result<Prepared, InputError> {
    if raw.len() as u64 > opts.max_bytes {
        return Err(InputError::TooLarge {
            size: raw.len() as u64,
            limit: opts.max_bytes,
        });
    }
    let decoded = decode::decode(&raw, opts.encoding.as_deref())?;
    let mut warnings = Vec::new();
    if !decoded.replaced.is_empty() {
        warnings.push(replaced_warning(&decoded.replaced));
    }
    let is_html = match opts.format {
        InputFormat::Html => true,
        InputFormat::Text => false,
        InputFormat::Auto => {
            path.is_some_and(|p| has_extension(p, HTML_EXTENSIONS))
                || decode::starts_as_html_document(&decoded.text)
        }
    };
    let (text, meta, media_type) = if is_html {
        let mut meta = html::extract_with(&decoded.text, opts.url.as_deref(), &opts.selectors)?;
        warnings.append(&mut meta.warnings);
        (meta.text.clone(), meta, "text/html")
    } else {
        (decoded.text, html::Extracted::default(), "text/plain")
    };
    // Normalised once: for the emptiness check and the identity.
    let identity_text = normalize::identity_text(&text);
    if identity_text.is_empty() {
        return Err(InputError::Empty);
    }
    let identity: [u8; 32] = blake3::hash(identity_text.as_bytes()).into();
    drop(identity_text);
    // A page names its canonical URL itself: trusted only on the site the
    // page came from, so that no page writes into another site's history.
    let canonical = match (&meta.canonical_url, &opts.url) {
        (Some(canonical), Some(url)) if !same_site(canonical, url) => {
            warnings.push(format!(
                "canonical URL {canonical} is not on the site of {url}; keyed by its own URL"
            ));
            None
        }
        (canonical, _) => canonical.clone(),
    };
    let given = opts
        .key
        .clone()
        .or_else(|| canonical.clone())
        .or_else(|| opts.url.clone());
    let keyed_by_file_name = given.is_none();
    let key = given
        .or_else(|| {
            path.and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
        })
        .filter(|k| !k.trim().is_empty())
        .ok_or(InputError::NoKey)?;
    let url = opts.url.clone().or(canonical);
    Ok(Prepared {
        key,
        url,
        raw,
        text,
        identity,
        media_type,
        encoding: decoded.encoding,
        meta,
        warnings,
        keyed_by_file_name,
        // Never from the page (its canonical link): a page must not make
        // another site's text count as furniture.
        host: opts.url.as_deref().and_then(crate::furniture::host_of),
        derived: None,
    })
}

/// Offsets listed in a warning, at most.
const LISTED_OFFSETS: usize = 8;

fn replaced_warning(offsets: &[usize]) -> String {
    let listed: Vec<String> = offsets
        .iter()
        .take(LISTED_OFFSETS)
        .map(usize::to_string)
        .collect();
    let more = offsets.len().saturating_sub(LISTED_OFFSETS);
    format!(
        "{} invalid UTF-8 sequence{} replaced with U+FFFD (at byte{} {}{})",
        offsets.len(),
        if offsets.len() == 1 { "" } else { "s" },
        if offsets.len() == 1 { "" } else { "s" },
        listed.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// Whether two URLs are on one site: both http(s), and the same host (a
/// leading `www.` aside) or one a subdomain of the other (`m.example.org`
/// and `example.org`), on the same port where either names one. Sibling
/// subdomains are different sites: on a shared host
/// (`a.blogspot.com`, `b.blogspot.com`) they belong to different people.
pub fn same_site(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (url::Url::parse(a), url::Url::parse(b)) else {
        return false;
    };
    let web = |u: &url::Url| matches!(u.scheme(), "http" | "https");
    if !web(&a) || !web(&b) {
        return false;
    }
    if (a.port().is_some() || b.port().is_some())
        && a.port_or_known_default() != b.port_or_known_default()
    {
        return false;
    }
    match (a.host(), b.host()) {
        (Some(url::Host::Domain(x)), Some(url::Host::Domain(y))) => {
            let trim = |h: &str| {
                let h = h.trim_end_matches('.').to_ascii_lowercase();
                h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
            };
            let (x, y) = (trim(x), trim(y));
            let under = |sub: &str, parent: &str| {
                parent.contains('.') && sub.ends_with(&format!(".{parent}"))
            };
            x == y || under(&x, &y) || under(&y, &x)
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// An input read and prepared, waiting for its chunk's transaction: its
/// name, its given time (`None`: now) and the result.
type Pending = (String, Option<DateTime<Utc>>, Result<Prepared, InputError>);

/// What a diff between a version and the one before edited: only spelling
/// (every edited or moved sentence differs orthographically at most), only
/// the order of sentences, or the text.
pub fn edit_of(diff: &TextDiff) -> Edit {
    let mut orthographic = false;
    let mut moved = false;
    for row in &diff.changes {
        match row.op {
            Op::Unchanged => {}
            Op::Edited if row.orthographic_only => orthographic = true,
            Op::Moved if row.orthographic_only => orthographic = true,
            Op::Moved if row.words.iter().all(|w| w.op == WordOp::Equal) => moved = true,
            _ => return Edit::Text,
        }
    }
    match (orthographic, moved) {
        (true, _) => Edit::Orthographic,
        (false, true) => Edit::Moved,
        // No sentence changed (paragraphs only?): not hidden.
        (false, false) => Edit::Text,
    }
}

/// What a new version or revert noted by [`note_edit`] replaced and edited.
pub struct Edited {
    /// The version current before, and its text; the new text. Both as the
    /// articles read (furniture left out).
    pub previous: i64,
    pub old: String,
    pub new: String,
    pub diff: TextDiff,
    pub edit: Edit,
}

/// After `recorded` was recorded for `key` with text `new`: note what a new
/// version or a revert edited against the version current before. Monitoring
/// calls it, since its events need the diff anyway; `track add` does not (a
/// diff per version would double the cost of ingest), and what its versions
/// edited is classified when changes are listed ([`classify_edits`]).
pub fn note_edit(
    batch: &mut Batch<'_>,
    key: &str,
    new: &str,
    recorded: &Recorded,
) -> Result<Option<Edited>, StoreError> {
    if !matches!(
        recorded,
        Recorded::NewVersion { .. } | Recorded::Reverted { .. }
    ) {
        return Ok(None);
    }
    let Some(previous) = batch.version_before_latest(key)? else {
        return Ok(None);
    };
    // Compared as `track diff` compares them: furniture of the host left out.
    let furniture = batch.furniture_of_key(key)?;
    let old = furniture.filter(&batch.version_text(key, previous)?).text;
    let new = furniture.filter(new).text;
    // Aligned as `track diff` aligns versions: monitoring's events compare claims over it.
    let diff = compare::align_texts(&old, &new, Mode::Versions);
    let edit = edit_of(&diff);
    batch.mark_edit(key, edit)?;
    Ok(Some(Edited {
        previous,
        old,
        new,
        diff,
        edit,
    }))
}

/// Fill in what each new version or revert of `changes` edited where the
/// store has not noted it (versions recorded by `track add`, or before edits
/// were kept), by diffing it with the version it replaced.
/// New versions and reverts observed at or after `since` (RFC 3339), oldest
/// first, as `track changes` lists them: versions that only changed spelling
/// or sentence order only with `all`.
pub fn recent_changes(store: &Store, since: &str, all: bool) -> Result<Vec<Change>, StoreError> {
    let mut changes = store.changes(since)?;
    classify_edits(store, &mut changes)?;
    if !all {
        changes.retain(|c| !c.edit.is_some_and(|e| e.is_minor()));
    }
    Ok(changes)
}

pub fn classify_edits(store: &Store, changes: &mut [Change]) -> Result<(), StoreError> {
    for c in changes.iter_mut().filter(|c| c.edit.is_none()) {
        let Some(previous) = c.previous.filter(|&p| p != c.version) else {
            continue;
        };
        let text = |n: i64| {
            store
                .version(&VersionRef {
                    key: c.key.clone(),
                    version: Some(n),
                })
                .map(|v| v.text)
        };
        let furniture = store.furniture_of_key(&c.key)?;
        let (old, new) = (text(previous)?, text(c.version)?);
        let (old, new) = (furniture.filter(&old).text, furniture.filter(&new).text);
        c.edit = Some(edit_of(&compare::align_texts(&old, &new, Mode::Versions)));
    }
    Ok(())
}

/// The keys a batch took from file names, and the file each came from.
///
/// Keying a file by its name is convenient (`fixtures/seeds/000_x.txt` is
/// `000_x`) but two different files of one batch with the same name
/// (`o1/index.txt`, `o2/index.txt`) are two articles, not two versions of
/// one: the second is refused, naming the first. The same file given twice
/// is no collision, and a later batch re-adding a file records a version
/// as always.
#[derive(Default)]
struct FileKeys {
    taken: std::collections::HashMap<String, (PathBuf, String)>,
}

impl FileKeys {
    /// `file`: the input's path. Paths are made canonical only when two
    /// differ for one key (each costs a system call per folder of the path).
    fn claim(&mut self, file: PathBuf, name: &str, p: Prepared) -> Result<Prepared, InputError> {
        if !p.keyed_by_file_name {
            return Ok(p);
        }
        match self.taken.get(&p.key) {
            Some((first, _)) if *first == file || same_file(first, &file) => Ok(p),
            Some((_, other)) => Err(InputError::KeyTaken {
                key: p.key,
                other: other.clone(),
            }),
            None => {
                self.taken.insert(p.key.clone(), (file, name.to_string()));
                Ok(p)
            }
        }
    }
}

/// Whether two paths name one file: the same file named twice is no
/// collision.
fn same_file(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canonical(a) == canonical(b)
}

/// Ingest candidates into the store. Outcomes are handed over in input order,
/// one committed chunk at a time, right after the commit that made them
/// durable. An `Err` means the store itself failed; outcomes not yet handed
/// over then were not stored.
///
/// A pipeline: `workers` threads read, decode, extract, normalise, hash and
/// compress the inputs (everything that needs no write lock); the calling
/// thread is the one writer, recording them in input order in chunked
/// transactions. Each chunk is gathered before its transaction begins, so the
/// write lock is held only to record and other writers on the same store
/// wait as little as possible. At most [`QUEUE_INPUTS`] inputs, of at most
/// [`QUEUE_BYTES`] bytes in all, wait for the writer outside its chunk.
/// What is stored, and what is reported, is the same whatever `workers` is.
pub fn ingest(
    store: &mut Store,
    candidates: Vec<Candidate>,
    opts: &IngestOptions,
    workers: usize,
    mut on_committed: impl FnMut(&[Outcome]),
) -> Result<Summary, StoreError> {
    // Each candidate with its given time (`None`: now, when recorded).
    let given = match opts.time {
        ObservedTime::Now => None,
        ObservedTime::Given | ObservedTime::Mtime => Some(opts.observed_at),
    };
    let candidates: Vec<(Candidate, Option<DateTime<Utc>>)> = if opts.time == ObservedTime::Mtime {
        let mut dated: Vec<(Candidate, Option<DateTime<Utc>>)> = candidates
            .into_iter()
            .map(|c| {
                let at = match &c {
                    Candidate::File(path) => fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .map(DateTime::<Utc>::from),
                    _ => None,
                };
                (c, at)
            })
            .collect();
        // Oldest first (stable: equal times keep their order); inputs
        // without a time (failed ones) first.
        dated.sort_by_key(|(_, at)| *at);
        dated.into_iter().map(|(c, at)| (c, at.or(given))).collect()
    } else {
        candidates.into_iter().map(|c| (c, given)).collect()
    };
    let total = candidates.len();
    let workers = workers.clamp(1, total.max(1));
    let path = store.path().to_path_buf();
    let queue = Mutex::new(candidates.into_iter().enumerate());
    let admission = Admission::default();
    let (tx, rx) = mpsc::channel::<Ready<'_>>();
    std::thread::scope(|scope| {
        for _ in 0..workers.min(total) {
            let tx = tx.clone();
            let (queue, admission, path) = (&queue, &admission, &path);
            scope.spawn(move || {
                // Without a snapshot of the store, workers derive less and
                // the writer does the rest.
                let mut reader = Reader::open(path).ok();
                while let Some((index, name, at, candidate, permit)) =
                    take(queue, admission, opts.max_bytes)
                {
                    // A panic is the writer's to raise, at this input's turn.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        work(candidate, opts, reader.as_mut())
                    }));
                    let ready = Ready {
                        index,
                        name,
                        at,
                        result,
                        _permit: permit,
                    };
                    if tx.send(ready).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // However the writer ends, workers waiting for room stop.
        let _close = CloseOnDrop(&admission);
        write_in_order(store, rx, total, &mut on_committed)
    })
}

/// Inputs read and prepared ahead of the writer's chunk, at most.
pub const QUEUE_INPUTS: usize = CHUNK_INPUTS;
/// Bytes of inputs (as read) prepared ahead of the writer's chunk, at most; a
/// larger input goes through alone.
pub const QUEUE_BYTES: u64 = 32 * 1000 * 1000;

/// An input prepared by a worker, with its place in the input order.
struct Ready<'a> {
    index: usize,
    name: String,
    at: Option<DateTime<Utc>>,
    /// The prepared scrape and, for a file keyed by its name, its path (see
    /// [`FileKeys`]); or the panic that preparing it raised.
    result: std::thread::Result<Result<(Prepared, Option<PathBuf>), InputError>>,
    /// Its room in the queue, given back when the writer takes it.
    _permit: Permit<'a>,
}

/// The next input, in input order, once there is room for it.
#[allow(clippy::type_complexity)]
fn take<'a>(
    queue: &Mutex<impl Iterator<Item = (usize, (Candidate, Option<DateTime<Utc>>))>>,
    admission: &'a Admission,
    max_bytes: u64,
) -> Option<(usize, String, Option<DateTime<Utc>>, Candidate, Permit<'a>)> {
    // Room is given in input order, under the queue's lock: the input the
    // writer waits for never waits for room taken by later ones.
    let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
    let (index, (candidate, at)) = queue.next()?;
    let size = match &candidate {
        Candidate::File(path) => fs::metadata(path).map_or(0, |m| m.len().min(max_bytes)),
        Candidate::Bytes { bytes, .. } => bytes.len() as u64,
        Candidate::Problem { .. } => 0,
    };
    let permit = admission.admit(size)?;
    Some((index, candidate.name(), at, candidate, permit))
}

/// Read, decode, extract, key and derive one input (worker side; the store
/// only read, through `reader`).
fn work(
    candidate: Candidate,
    opts: &IngestOptions,
    reader: Option<&mut Reader>,
) -> Result<(Prepared, Option<PathBuf>), InputError> {
    let (mut p, path) = match candidate {
        Candidate::Problem { error, .. } => return Err(error),
        Candidate::Bytes { bytes, .. } => (prepare(None, bytes, opts)?, None),
        Candidate::File(path) => {
            let raw = read_bounded(&path, opts.max_bytes)?;
            (prepare(Some(&path), raw, opts)?, Some(path))
        }
    };
    p.derive(reader);
    let file = path.filter(|_| p.keyed_by_file_name);
    Ok((p, file))
}

/// The writer: takes prepared inputs in input order, records them in chunks
/// and hands over each chunk's outcomes once committed.
fn write_in_order(
    store: &mut Store,
    rx: mpsc::Receiver<Ready<'_>>,
    total: usize,
    on_committed: &mut impl FnMut(&[Outcome]),
) -> Result<Summary, StoreError> {
    let mut summary = Summary::default();
    let mut named = FileKeys::default();
    // Inputs prepared before the one the writer waits for.
    let mut early: std::collections::BTreeMap<usize, Ready<'_>> = Default::default();
    let mut next = 0;
    // At least one (possibly empty) chunk: `add` of nothing still opens the store.
    let mut first = true;
    while first || next < total {
        first = false;
        let chunk_started = Instant::now();
        let mut bytes = 0usize;
        let mut prepared: Vec<Pending> = Vec::new();
        'gather: while next < total {
            let ready = loop {
                if let Some(ready) = early.remove(&next) {
                    break ready;
                }
                let got = if prepared.is_empty() {
                    rx.recv().ok()
                } else {
                    // A chunk waits for slow inputs at most CHUNK_TIME.
                    match rx.recv_timeout(CHUNK_TIME.saturating_sub(chunk_started.elapsed())) {
                        Ok(ready) => Some(ready),
                        Err(mpsc::RecvTimeoutError::Timeout) => break 'gather,
                        Err(mpsc::RecvTimeoutError::Disconnected) => None,
                    }
                };
                let Some(ready) = got else {
                    unreachable!("ingest workers stopped before input {next} of {total}");
                };
                early.insert(ready.index, ready);
            };
            next += 1;
            let Ready {
                name, at, result, ..
            } = ready;
            let result = match result {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let result = result.and_then(|(p, file)| match file {
                Some(file) => named.claim(file, &name, p),
                None => Ok(p),
            });
            if let Ok(p) = &result {
                bytes += p.raw.len() + p.text.len();
            }
            prepared.push((name, at, result));
            if prepared.len() >= CHUNK_INPUTS
                || bytes >= CHUNK_BYTES
                || chunk_started.elapsed() >= CHUNK_TIME
            {
                break;
            }
        }
        let mut batch = store.batch()?;
        // Taken inside the write lock: after every time already committed.
        let now = Utc::now();
        let mut pending: Vec<Outcome> = Vec::with_capacity(prepared.len());
        for (name, at, result) in prepared {
            let outcome = match result {
                Err(error) => Outcome {
                    input: name,
                    key: None,
                    result: Err(error),
                    warnings: Vec::new(),
                },
                Ok(p) => {
                    let mut scrape = p.scrape(at.unwrap_or(now), &name);
                    scrape.time_given = at.is_some();
                    let result = match batch.record(&scrape) {
                        // The store failing is not this input's fault: stop,
                        // and let the caller name the store.
                        Err(e) if e.is_store_failure() => return Err(e),
                        other => other.map_err(InputError::from),
                    };
                    Outcome {
                        key: Some(p.key.clone()),
                        input: name,
                        result,
                        warnings: p.warnings,
                    }
                }
            };
            summary.count(&outcome);
            pending.push(outcome);
        }
        batch.commit()?;
        on_committed(&pending);
    }
    Ok(summary)
}

/// Room for inputs waiting for the writer: a count and bytes.
#[derive(Default)]
struct Admission {
    state: Mutex<Room>,
    freed: Condvar,
}

#[derive(Default)]
struct Room {
    inputs: usize,
    bytes: u64,
    /// Workers waiting for room (none: no one to wake).
    waiting: usize,
    /// The writer stopped: nobody takes inputs any more.
    closed: bool,
}

impl Admission {
    /// Wait for room for an input of `bytes` (one larger than the whole
    /// budget is let in alone); `None` once the writer stopped.
    fn admit(&self, bytes: u64) -> Option<Permit<'_>> {
        let mut room = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if room.closed {
                return None;
            }
            if room.inputs == 0 || (room.inputs < QUEUE_INPUTS && room.bytes + bytes <= QUEUE_BYTES)
            {
                room.inputs += 1;
                room.bytes += bytes;
                return Some(Permit {
                    admission: self,
                    bytes,
                });
            }
            room.waiting += 1;
            room = self.freed.wait(room).unwrap_or_else(|e| e.into_inner());
            room.waiting -= 1;
        }
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        self.freed.notify_all();
    }
}

/// One input's room in the queue.
struct Permit<'a> {
    admission: &'a Admission,
    bytes: u64,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut room = self
            .admission
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        room.inputs -= 1;
        room.bytes -= self.bytes;
        let waiting = room.waiting > 0;
        drop(room);
        if waiting {
            self.admission.freed.notify_all();
        }
    }
}

struct CloseOnDrop<'a>(&'a Admission);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DiffOptions, diff_texts};

    #[test]
    fn sites() {
        assert!(same_site(
            "https://example.org/a",
            "http://www.example.org/b"
        ));
        assert!(same_site(
            "https://m.example.org/a",
            "https://www.example.org/b"
        ));
        assert!(same_site(
            "https://example.org/a",
            "https://news.example.org/b"
        ));
        assert!(same_site(
            "http://127.0.0.1:8080/a",
            "http://127.0.0.1:8080/b"
        ));
        assert!(!same_site("https://victim.org/a", "https://attacker.org/a"));
        assert!(!same_site(
            "https://a.blogspot.com/x",
            "https://b.blogspot.com/x"
        ));
        assert!(!same_site(
            "https://evilexample.org/",
            "https://example.org/"
        ));
        assert!(!same_site(
            "http://127.0.0.1:8080/a",
            "http://127.0.0.1:9090/a"
        ));
        assert!(!same_site("http://127.0.0.2/a", "http://127.0.0.1/a"));
        assert!(!same_site("javascript:alert(1)", "https://example.org/"));
        assert!(!same_site("https://example.org/", "not a url"));
    }

    #[test]
    fn edits_are_classified() {
        let edit = |a: &str, b: &str| edit_of(&diff_texts(a, b, &DiffOptions::default()));
        let a = "قال الرئيس جونج إن الاجتماع كان مثمراً للغاية.\n\nوأضاف أن المحادثات ستستمر غداً في سيول.\n\nودعت المعارضة إلى نشر نص الرسالة كاملاً.\n";
        let spelled = a.replace("جونج", "جونغ");
        let moved = "ودعت المعارضة إلى نشر نص الرسالة كاملاً.\n\nقال الرئيس جونج إن الاجتماع كان مثمراً للغاية.\n\nوأضاف أن المحادثات ستستمر غداً في سيول.\n";
        let edited = a.replace("ستستمر غداً", "علقت حتى إشعار آخر");
        assert_eq!(edit(a, &spelled), Edit::Orthographic);
        assert_eq!(edit(a, moved), Edit::Moved);
        assert_eq!(edit(a, &edited), Edit::Text);
        assert_eq!(
            edit(a, &format!("{a}\nجملة جديدة تماماً عن موضوع آخر.\n")),
            Edit::Text
        );
    }

    #[test]
    fn the_furniture_host_is_the_operators_never_the_pages() {
        let html = "<html><head><link rel=\"canonical\" href=\"https://victim.example/story\"></head>\
                    <body><article><h1>T</h1><p>Some article text that is long enough to keep.</p></article></body></html>";
        let opts = |url: Option<&str>| IngestOptions {
            key: Some("k".into()),
            url: url.map(str::to_string),
            observed_at: Utc::now(),
            time: ObservedTime::Now,
            max_bytes: DEFAULT_MAX_BYTES,
            encoding: None,
            format: InputFormat::Html,
            selectors: Default::default(),
        };
        let p = prepare(None, html.as_bytes().to_vec(), &opts(None)).unwrap();
        assert_eq!(p.url.as_deref(), Some("https://victim.example/story"));
        assert_eq!(p.host, None, "a page names no host for furniture");
        let p = prepare(
            None,
            html.as_bytes().to_vec(),
            &opts(Some("https://www.attacker.example/a")),
        )
        .unwrap();
        assert_eq!(p.host.as_deref(), Some("attacker.example"));
    }

    #[test]
    fn content_types() {
        let f = InputFormat::from_content_type;
        assert_eq!(f("text/html; charset=utf-8"), InputFormat::Html);
        assert_eq!(f("Application/XHTML+XML"), InputFormat::Html);
        assert_eq!(f("text/plain"), InputFormat::Text);
        assert_eq!(f("application/octet-stream"), InputFormat::Auto);
    }
}
