//! Page furniture learned from the store's own history, per host.
//!
//! A tracker sees many pages of one site and many scrapes of one page. A
//! block (a paragraph of the extracted text) that recurs across articles of
//! one host — a "most read" list, a subscription prompt, a footer, a teaser —
//! or a short line whose digits change on every scrape while the article does
//! not — a clock, a view counter, a comment count — is *furniture*: it is left
//! out of a version's identity (the hash that decides whether a scrape is a
//! new version), of claims and of diffs, and `track show` hides it (and says
//! so). Nothing is configured; `track furniture HOST` lists what was learned
//! and lets the user keep a block as article text, forget an entry, or add
//! one by hand.
//!
//! # Rules
//!
//! A block's *key* is the hash of its identity-normalised text (so digit
//! script, invisible characters and spacing don't matter). A short line also
//! has a *shape*: a labelled line of at most [`LABELLED_WORDS`] words
//! (`Read more: …`, `اقرأ أيضاً: …`, `Advertisement: …`, `آخر تحديث: …`) is
//! shaped by its label, any other line of at most [`SHORT_WORDS`] words with
//! digits by its text with every run of digits masked (`Updated 10:42 GMT`
//! and `Updated 11:07 GMT` are one shape).
//!
//! * **Recurring block**: a block seen, by its key, on at least
//!   [`RECURRING_ARTICLES`] distinct articles of the host (a footer, a
//!   prompt, a "most read" item, a teaser of another article).
//! * **Volatile shape**: on a re-scrape of a page whose own text did not
//!   change, a line replaced by another line of the same shape is a *change
//!   of the shape*. A shape is learned when it changed on at least
//!   [`VOLATILE_CHANGES`] re-scrapes of one page and on at least every other
//!   re-scrape of it (a clock, a counter, a rotating ad or teaser slot — not
//!   a line edited now and then); or on [`VOLATILE_CHANGES_SHARED`]
//!   re-scrapes each of [`VOLATILE_ARTICLES`] articles; or on
//!   [`VOLATILE_CHANGES_SHARED`] re-scrapes of one article when the shape
//!   occurs on [`RECURRING_ARTICLES`] articles.
//! * **Confirmation**: a re-scrape whose article text (learned furniture
//!   left out) differs from the current version's is compared with it block
//!   by block, and is a new version only when the difference is the
//!   article's:
//!   - it removes a block of the page's own (seen on no other article of
//!     the host) that is long (more than [`LONG_WORDS`] words) or was seen on
//!     [`CONFIRM_SCRAPES`] scrapes in a row: an edit or a deletion of
//!     established text counts at once;
//!   - it adds a block of its own that is long or has persisted
//!     [`CONFIRM_SCRAPES`] scrapes, or a block also seen on other articles
//!     that has persisted [`CONFIRM_SHARED_SCRAPES`];
//!   - its own established paragraphs (long, or seen on [`CONFIRM_SCRAPES`]
//!     scrapes in a row; no line with digits or a label) stand in another
//!     order: text moved;
//!   - a short line was replaced by another of its shape (its digits, or
//!     its text after its label, changed) and the new line has persisted
//!     [`CONFIRM_SCRAPES`] scrapes ([`CONFIRM_SHARED_SCRAPES`] for a shape
//!     other articles show too).
//!
//!   A slot that rotates waits longer: every earlier replacement of the
//!   shape's lines on the page adds a scrape (up to [`MAX_ROTATION_WAIT`]),
//!   a replacement on another article of the host adds [`ROTATING_WAIT`],
//!   and so does taking the place of learned furniture of its shape (a new
//!   ad where a learned one was). A line that gave way to furniture of its
//!   shape, or whose slot rotates, is not counted when it goes. A page that
//!   shares nothing with other articles of its host has every change of its
//!   own text counted at once, as without furniture (a short line replaced
//!   by one of its shape still waits for the next scrape). Anything else is
//!   an observation of the current version — a *held* difference: an ad in
//!   rotation, random related links, a counter not learned yet — and the
//!   scrape's evidence is kept all the same. So a real edit of established
//!   text is a version at once, a new short block one scrape later, and a
//!   change made in the first scrapes of a page on a site with furniture
//!   can wait a scrape.
//!
//! # Safeguards
//!
//! * Per host only, and the host is taken from the URL the operator gave
//!   (`--url`, a source's `url`, the link a feed listed), never from the page
//!   (a canonical link): a page cannot make another site's text count as
//!   furniture. Scrapes without such a URL learn nothing and hide nothing.
//! * Never from one page alone: a recurring block needs distinct articles
//!   (one page repeating a block a hundred times counts once), and a volatile
//!   shape needs a short line that changed on most of several re-scrapes
//!   while the page's own text stayed the same. A block that carries an
//!   article's own claims and stays put is never learned, however often it
//!   is seen; a number edit in a paragraph is never a shape change (only
//!   short lines have shapes), and a short line edited once is a change, not
//!   furniture.
//! * A block of more than [`LONGEST_LEARNED_WORDS`] words is never learned:
//!   boilerplate is short, a long paragraph repeated across articles is
//!   background each of them carries. The first block (the title line) is
//!   never hidden.
//! * Learning deletes nothing and rewrites no version: the store stays
//!   append-only, `show --raw` and `show --with-furniture` give everything,
//!   and furniture is filtered when texts are compared, so a version stored
//!   before something was learned is compared without it too.
//! * The user wins: a kept entry is never learned again, an added one always
//!   applies, a forgotten one starts from no evidence.
//! * Bounded: [`MAX_SEEN_IN`] article ids per entry, [`MAX_PAGE_BLOCKS`]
//!   blocks per page, [`MAX_HOST_EVIDENCE`] evidence rows and
//!   [`MAX_HOST_LEARNED`] learned entries per host (the oldest evidence is
//!   dropped first; past the learned cap nothing more is learned).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError, VersionText};
use crate::text::normalize;

/// Distinct articles of one host a block must be seen in to be learned.
pub const RECURRING_ARTICLES: usize = 3;
/// Consecutive scrapes of one page on which a short line's digits must change
/// for its shape to be learned from that page alone.
pub const VOLATILE_CHANGES: u32 = 3;
/// Re-scrapes of a page on which a shape's line must change for that page to
/// count towards [`VOLATILE_ARTICLES`].
pub const VOLATILE_CHANGES_SHARED: u32 = 2;
/// Articles on which a shape's line changed [`VOLATILE_CHANGES_SHARED`]
/// times for it to be learned (or one, when the shape occurs on
/// [`RECURRING_ARTICLES`] articles).
pub const VOLATILE_ARTICLES: usize = 2;
/// The most words a line matched by its digits' shape has (a clock, a counter).
pub const SHORT_WORDS: usize = 10;
/// The most words a labelled line matched by its label has (`Read more: …`,
/// `اقرأ أيضاً: …`, `Advertisement: …`), and the most words of the label.
pub const LABELLED_WORDS: usize = 20;
pub const LABEL_WORDS: usize = 3;
/// Longer blocks are never learned.
pub const LONGEST_LEARNED_WORDS: usize = 60;
/// A block of more words, seen on no other article of the host, is the
/// article's own text from its first scrape (an ad, a teaser is shorter or
/// shows on other articles too).
pub const LONG_WORDS: usize = 15;
/// Scrapes in a row a new block must be seen on before its addition counts,
/// on a page that shares blocks with other articles of its host.
pub const CONFIRM_SCRAPES: u32 = 2;
/// The same, for a block also seen on another article of the host.
pub const CONFIRM_SHARED_SCRAPES: u32 = 3;
/// The most scrapes a slot's rotations add to the wait for its new line.
pub const MAX_ROTATION_WAIT: u32 = 6;
/// Scrapes added to the wait for a new line of a shape that rotates on
/// another article of the host.
pub const ROTATING_WAIT: u32 = 3;
/// Article ids an entry keeps to count distinct articles.
pub const MAX_SEEN_IN: usize = 8;
/// Blocks of one page whose history is kept.
pub const MAX_PAGE_BLOCKS: usize = 1000;
/// Evidence rows (not yet learned) kept per host; the oldest go first.
pub const MAX_HOST_EVIDENCE: usize = 20_000;
/// Learned entries per host, at most.
pub const MAX_HOST_LEARNED: usize = 5_000;

/// 64 bits of BLAKE3: the key of a block or a shape.
pub type Key = i64;

/// What an entry matches: one block exactly, or every short line of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Block,
    Shape,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Block => "block",
            Kind::Shape => "shape",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "block" => Some(Kind::Block),
            "shape" => Some(Kind::Shape),
            _ => None,
        }
    }

    fn letter(self) -> char {
        match self {
            Kind::Block => 'b',
            Kind::Shape => 's',
        }
    }
}

/// The id users see for an entry: `b` or `s` and 12 hex digits of its key.
pub fn entry_id(kind: Kind, key: Key) -> String {
    format!("{}{:012x}", kind.letter(), (key as u64) >> 16)
}

/// Parse an entry id (as [`entry_id`] writes it, case-insensitive).
pub fn parse_entry_id(id: &str) -> Option<(Kind, u64)> {
    let id = id.trim().to_ascii_lowercase();
    let kind = match id.chars().next()? {
        'b' => Kind::Block,
        's' => Kind::Shape,
        _ => return None,
    };
    let hex = &id[1..];
    if hex.len() != 12 {
        return None;
    }
    u64::from_str_radix(hex, 16).ok().map(|v| (kind, v))
}

/// Whether `key` is the entry an id names.
pub fn id_matches(key: Key, prefix: u64) -> bool {
    (key as u64) >> 16 == prefix
}

/// The host furniture is learned for: the URL's host, lower-cased, without
/// a leading `www.`, with the port when the URL names one. Only http(s).
pub fn host_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    if host.is_empty() {
        return None;
    }
    Some(match u.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// A host as the user names it: a URL, or a bare host (`example.org`,
/// `127.0.0.1:8080`).
pub fn host_of_argument(arg: &str) -> Option<String> {
    if arg.contains("://") {
        return host_of(arg);
    }
    host_of(&format!("http://{arg}"))
}

/// One block (paragraph) of a text.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    /// The block as it is in the text.
    pub text: &'a str,
    /// Key of its identity-normalised text.
    pub key: Key,
    /// Key of its shape, for a short line with digits.
    pub shape: Option<Key>,
    pub words: usize,
}

fn key_of(domain: &str, s: &str) -> Key {
    let mut h = blake3::Hasher::new();
    h.update(domain.as_bytes());
    h.update(&[0]);
    h.update(s.as_bytes());
    let bytes = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    i64::from_le_bytes(first)
}

/// The block's text with every run of digits (and the `. , : / -` between
/// digits) replaced by `#`: `Updated 10:42, 3,456 views` → `Updated #, # views`.
pub fn mask_digits(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',' | ':' | '/' | '-')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push('#');
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The shape of a block's identity text (`norm`, of `words` words): a
/// labelled short line's label (`Read more: *`), else a short line's text
/// with its digits masked; `None` for anything else.
fn shape_of(norm: &str, words: usize) -> Option<String> {
    let first = norm.lines().next().unwrap_or("");
    // `Label: text` (a colon then a space: not a time, not a URL).
    if words <= LABELLED_WORDS
        && let Some((label, rest)) = first.split_once(": ")
    {
        let label_words = label.split(' ').filter(|w| !w.is_empty()).count();
        if (1..=LABEL_WORDS).contains(&label_words) && !rest.trim().is_empty() {
            return Some(format!("{}: *", mask_digits(label.trim())));
        }
    }
    (words <= SHORT_WORDS && norm.bytes().any(|b| b.is_ascii_digit())).then(|| mask_digits(norm))
}

/// The key of a block's text as the user gives it (`track furniture --add`).
pub fn block_key(text: &str) -> Key {
    key_of("block", &normalize::identity_text(text))
}

/// The key of the shape of a line as the user gives it (a line without a
/// label or digits: its text).
pub fn shape_key(text: &str) -> Key {
    let norm = normalize::identity_text(text);
    let words = norm.split([' ', '\n']).filter(|w| !w.is_empty()).count();
    key_of(
        "shape",
        &shape_of(&norm, words).unwrap_or_else(|| mask_digits(&norm)),
    )
}

/// One block of `text`, or `None` when it is blank.
fn block(piece: &str) -> Option<Block<'_>> {
    let norm = normalize::identity_text(piece);
    if norm.is_empty() {
        return None;
    }
    let words = norm.split([' ', '\n']).filter(|w| !w.is_empty()).count();
    let shape = shape_of(&norm, words).map(|shape| key_of("shape", &shape));
    Some(Block {
        text: piece,
        key: key_of("block", &norm),
        shape,
        words,
    })
}

/// Split a text into blocks: runs of non-blank lines.
pub fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if normalize::identity_text(line).is_empty() {
            if let Some(s) = start.take() {
                out.extend(block(&text[s..end]));
            }
        } else {
            if start.is_none() {
                start = Some(offset);
            }
            end = offset + line.trim_end_matches(['\n', '\r']).len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.extend(block(&text[s..end]));
    }
    out
}

/// What is furniture on one host: learned and user-added entries, minus
/// what the user kept.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    pub blocks: HashSet<Key>,
    pub shapes: HashSet<Key>,
    /// Blocks the user kept as article text (they win over a shape).
    pub kept_blocks: HashSet<Key>,
}

/// A block a filter hid, and the entry that hid it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hidden {
    pub id: String,
    pub text: String,
}

/// A text with its furniture left out.
#[derive(Debug, Clone, Default)]
pub struct Filtered {
    pub text: String,
    pub hidden: Vec<Hidden>,
}

impl Furniture {
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.shapes.is_empty()
    }

    /// The entry that makes the block at `index` furniture, if any. The
    /// first block (the title line) never is.
    pub fn matched(&self, index: usize, block: &Block<'_>) -> Option<(Kind, Key)> {
        if index == 0 || self.kept_blocks.contains(&block.key) {
            return None;
        }
        if self.blocks.contains(&block.key) {
            return Some((Kind::Block, block.key));
        }
        block
            .shape
            .filter(|s| self.shapes.contains(s))
            .map(|s| (Kind::Shape, s))
    }

    pub fn is_furniture(&self, index: usize, block: &Block<'_>) -> bool {
        self.matched(index, block).is_some()
    }

    /// The text without its furniture: the other blocks, one blank line
    /// apart. Nothing to hide: the text as it is.
    pub fn filter(&self, text: &str) -> Filtered {
        if self.is_empty() {
            return Filtered {
                text: text.to_string(),
                hidden: Vec::new(),
            };
        }
        let all = blocks(text);
        let mut hidden = Vec::new();
        let mut kept: Vec<&str> = Vec::with_capacity(all.len());
        for (i, b) in all.iter().enumerate() {
            match self.matched(i, b) {
                Some((kind, key)) => hidden.push(Hidden {
                    id: entry_id(kind, key),
                    text: b.text.to_string(),
                }),
                None => kept.push(b.text),
            }
        }
        if hidden.is_empty() {
            return Filtered {
                text: text.to_string(),
                hidden,
            };
        }
        let mut text_out = kept.join("\n\n");
        if text.ends_with('\n') {
            text_out.push('\n');
        }
        Filtered {
            text: text_out,
            hidden,
        }
    }

    /// A hash of every entry: the same on two reads while nothing about the
    /// host's furniture changed (a cache key part).
    pub fn fingerprint(&self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        for (tag, set) in [
            (b'b', &self.blocks),
            (b's', &self.shapes),
            (b'k', &self.kept_blocks),
        ] {
            let mut keys: Vec<_> = set.iter().copied().collect();
            keys.sort_unstable();
            h.update(&[tag]);
            for k in keys {
                h.update(&k.to_le_bytes());
            }
        }
        *h.finalize().as_bytes()
    }

    /// The identity of a text's article part (see `normalize::identity_hash`).
    pub fn identity(&self, text: &str) -> [u8; 32] {
        normalize::identity_hash(&self.filter(text).text)
    }
}

/// A stored version as its article reads: learned furniture left out. Its
/// `text_hash` is the article text's, so that analyses cached for it are the
/// article text's; its `hash` still names the stored version.
pub fn article_text(version: &VersionText, furniture: &Furniture) -> (VersionText, Vec<Hidden>) {
    let filtered = furniture.filter(&version.text);
    if filtered.hidden.is_empty() {
        return (version.clone(), Vec::new());
    }
    let mut article = version.clone();
    article.text_hash = *blake3::hash(filtered.text.as_bytes()).as_bytes();
    article.text = filtered.text;
    (article, filtered.hidden)
}

/// [`article_text`] with the furniture of the version's host in `store`.
pub fn article_of(
    store: &Store,
    version: &VersionText,
) -> Result<(VersionText, Vec<Hidden>), StoreError> {
    Ok(article_text(
        version,
        &store.furniture_of_key(&version.key)?,
    ))
}

/// [`article_of`] without the furniture it hid, borrowing the version when
/// nothing is left out (no copy of a long text).
pub fn article_ref<'v>(
    store: &Store,
    version: &'v VersionText,
) -> Result<std::borrow::Cow<'v, VersionText>, StoreError> {
    let furniture = store.furniture_of_key(&version.key)?;
    if furniture.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(version));
    }
    let (article, hidden) = article_text(version, &furniture);
    Ok(if hidden.is_empty() {
        std::borrow::Cow::Borrowed(version)
    } else {
        std::borrow::Cow::Owned(article)
    })
}

/// One block of a page's last scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Block key.
    pub k: Key,
    /// Shape key (0: none).
    #[serde(default)]
    pub s: Key,
    /// Scrapes in a row it was seen on, up to this one.
    pub n: u32,
    /// Words (capped).
    #[serde(default)]
    pub w: u16,
}

/// What the store keeps of a page between scrapes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageState {
    pub scrapes: u32,
    /// The last scrape's blocks.
    pub blocks: Vec<Seen>,
    /// Shapes of the page's short lines: on how many re-scrapes a line of
    /// the shape was replaced by another of the same shape while the page's
    /// own text did not change, and on how many re-scrapes the shape was
    /// there at all.
    #[serde(default)]
    pub changing: Vec<Changing>,
}

/// How a shape of a page's short lines behaved over its re-scrapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changing {
    pub shape: Key,
    pub changes: u32,
    pub seen: u32,
}

impl Changing {
    /// Changed on enough re-scrapes of the page to be learned from it alone:
    /// on [`VOLATILE_CHANGES`] of them, and on at least every other one (a
    /// clock, a counter, a rotating slot — not a line edited now and then).
    pub fn volatile(&self) -> bool {
        self.changes >= VOLATILE_CHANGES && self.changes * 2 >= self.seen
    }
}

impl PageState {
    /// Scrapes in a row the block was seen on (0: not on the last scrape).
    pub fn streak(&self, key: Key) -> u32 {
        self.blocks.iter().find(|s| s.k == key).map_or(0, |s| s.n)
    }
}

/// A page's state after one more scrape, and the shapes that changed on it.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub state: PageState,
    /// Shapes whose line changed on this scrape while the page's own text
    /// did not, with their record on the page.
    pub volatile: Vec<Changing>,
}

/// What the rules need of a block that came or went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Info {
    key: Key,
    shape: Option<Key>,
    words: usize,
}

/// Pair removed and added blocks whose short lines have one shape (a line
/// whose only change is its digits): the pairs, as (removed, added) indices.
fn pair_by_shape(removed: &[Info], added: &[Info]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut used = vec![false; added.len()];
    for (i, r) in removed.iter().enumerate() {
        let Some(shape) = r.shape else { continue };
        if let Some(j) = (0..added.len()).find(|&j| !used[j] && added[j].shape == Some(shape)) {
            used[j] = true;
            pairs.push((i, j));
        }
    }
    pairs
}

/// Advance a page's state by one scrape. `shared` tells whether a block was
/// seen on another article of the host (shared blocks are not the page's
/// own text).
pub fn step(prev: &PageState, scrape: &[Block<'_>], shared: &dyn Fn(Key) -> bool) -> Step {
    let mut state = PageState {
        scrapes: prev.scrapes.saturating_add(1),
        blocks: Vec::with_capacity(scrape.len().min(MAX_PAGE_BLOCKS)),
        changing: Vec::new(),
    };
    let mut seen = HashSet::new();
    for b in scrape {
        if state.blocks.len() >= MAX_PAGE_BLOCKS {
            break;
        }
        if seen.insert(b.key) {
            state.blocks.push(Seen {
                k: b.key,
                s: b.shape.unwrap_or(0),
                n: prev.streak(b.key).saturating_add(1),
                w: u16::try_from(b.words).unwrap_or(u16::MAX),
            });
        }
    }
    if prev.scrapes == 0 {
        return Step {
            state,
            volatile: Vec::new(),
        };
    }
    let info = |b: &Seen| Info {
        key: b.k,
        shape: (b.s != 0).then_some(b.s),
        words: usize::from(b.w),
    };
    let removed: Vec<Info> = prev
        .blocks
        .iter()
        .filter(|p| !seen.contains(&p.k))
        .map(info)
        .collect();
    let before: HashSet<Key> = prev.blocks.iter().map(|p| p.k).collect();
    let added: Vec<Info> = state
        .blocks
        .iter()
        .filter(|b| !before.contains(&b.k))
        .map(info)
        .collect();
    let pairs = pair_by_shape(&removed, &added);
    let paired: HashSet<usize> = pairs.iter().map(|p| p.0).collect();
    // The page's own text changed (a block of its own went): this scrape
    // says nothing about lines changing "while the article did not".
    let own_changed = removed.iter().enumerate().any(|(i, r)| {
        !paired.contains(&i)
            && !shared(r.key)
            && (prev.streak(r.key) >= CONFIRM_SCRAPES || r.words > LONG_WORDS)
    });
    if own_changed {
        state.changing = prev.changing.clone();
        return Step {
            state,
            volatile: Vec::new(),
        };
    }
    let changed: HashSet<Key> = pairs
        .iter()
        .filter_map(|&(i, _)| removed[i].shape)
        .collect();
    let shapes_before: HashSet<Key> = prev
        .blocks
        .iter()
        .filter(|b| b.s != 0)
        .map(|b| b.s)
        .collect();
    let mut volatile = Vec::new();
    let mut present = HashSet::new();
    for b in &state.blocks {
        if b.s == 0 || !shapes_before.contains(&b.s) || !present.insert(b.s) {
            continue;
        }
        let mut record = prev
            .changing
            .iter()
            .find(|c| c.shape == b.s)
            .copied()
            .unwrap_or(Changing {
                shape: b.s,
                changes: 0,
                seen: 0,
            });
        record.seen = record.seen.saturating_add(1);
        if changed.contains(&b.s) {
            record.changes = record.changes.saturating_add(1);
            volatile.push(record);
        }
        state.changing.push(record);
    }
    Step { state, volatile }
}

/// Whether a re-scrape's difference from the current version counts as a
/// change of the article (see the module's rules). `current` and `scrape`
/// are the two texts' blocks; `prev` and `now` the page's state before and
/// after this scrape; `shared` whether a block was seen on another article
/// of the host; `legacy` that the page shares nothing with other articles of
/// its host (then every change of its own text counts at once, as without
/// furniture).
pub struct Judge<'a> {
    pub furniture: &'a Furniture,
    pub prev: &'a PageState,
    pub now: &'a PageState,
    pub shared: &'a dyn Fn(Key) -> bool,
    /// Whether a shape was seen on another article of the host.
    pub shared_shape: &'a dyn Fn(Key) -> bool,
    /// Whether a shape's line was replaced on a re-scrape of another article
    /// of the host (a rotating slot, not learned yet).
    pub rotating_shape: &'a dyn Fn(Key) -> bool,
    pub legacy: bool,
}

impl Judge<'_> {
    pub fn confirms(&self, current: &[Block<'_>], scrape: &[Block<'_>]) -> bool {
        let part = |blocks: &[Block<'_>], furniture: bool| -> HashMap<Key, (usize, Info)> {
            let mut m: HashMap<Key, (usize, Info)> = HashMap::new();
            for (i, b) in blocks.iter().enumerate() {
                if self.furniture.is_furniture(i, b) == furniture {
                    let info = Info {
                        key: b.key,
                        shape: b.shape,
                        words: b.words,
                    };
                    m.entry(b.key).or_insert((0, info)).0 += 1;
                }
            }
            m
        };
        let (old, new) = (part(current, false), part(scrape, false));
        let difference = |a: &HashMap<Key, (usize, Info)>, b: &HashMap<Key, (usize, Info)>| {
            let mut out: Vec<Info> = a
                .iter()
                .filter(|(k, (n, _))| b.get(k).map_or(0, |x| x.0) < *n)
                .map(|(_, (_, info))| *info)
                .collect();
            out.sort_unstable();
            out
        };
        let removed = difference(&old, &new);
        let added = difference(&new, &old);
        let pairs = pair_by_shape(&removed, &added);
        let (mut paired_removed, paired_added): (HashSet<usize>, HashSet<usize>) =
            pairs.iter().copied().unzip();
        // A line whose place a line of furniture of its shape took (a
        // teaser slot now showing a learned teaser) went with the slot.
        let old_furniture = part(current, true);
        let furniture_came: Vec<Info> = part(scrape, true)
            .into_iter()
            .filter(|(k, (n, _))| old_furniture.get(k).map_or(0, |x| x.0) < *n)
            .map(|(_, (_, info))| info)
            .collect();
        let unpaired: Vec<Info> = removed
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if paired_removed.contains(&i) {
                    Info { shape: None, ..*r }
                } else {
                    *r
                }
            })
            .collect();
        for (i, _) in pair_by_shape(&unpaired, &furniture_came) {
            paired_removed.insert(i);
        }
        // And a line that took the place of a line of furniture of its
        // shape (a new ad where a learned one was) is a rotation of the slot.
        let new_furniture = part(scrape, true);
        let furniture_went: Vec<Info> = old_furniture
            .into_iter()
            .filter(|(k, (n, _))| new_furniture.get(k).map_or(0, |x| x.0) < *n)
            .map(|(_, (_, info))| info)
            .collect();
        let unpaired_added: Vec<Info> = added
            .iter()
            .enumerate()
            .map(|(j, a)| {
                if paired_added.contains(&j) {
                    Info { shape: None, ..*a }
                } else {
                    *a
                }
            })
            .collect();
        let in_furniture_slot: HashSet<usize> = pair_by_shape(&furniture_went, &unpaired_added)
            .into_iter()
            .map(|(_, j)| j)
            .collect();
        // How often the page's lines of a shape were replaced before (a slot
        // that rotates: an ad, a teaser): a new line there must outlast that
        // many more scrapes to count.
        let rotations = |shape: Option<Key>| -> u32 {
            shape
                .and_then(|s| self.now.changing.iter().find(|c| c.shape == s))
                .map_or(0, |c| c.changes.saturating_sub(1).min(MAX_ROTATION_WAIT))
        };
        let needed = |a: &Info, shared: bool| -> u32 {
            let base = if shared || a.shape.is_some_and(|s| (self.shared_shape)(s)) {
                CONFIRM_SHARED_SCRAPES
            } else {
                CONFIRM_SCRAPES
            };
            let elsewhere = if a.shape.is_some_and(|s| (self.rotating_shape)(s)) {
                ROTATING_WAIT
            } else {
                0
            };
            base + rotations(a.shape) + elsewhere
        };
        let own = |b: &Info| !(self.shared)(b.key);
        // A short line whose digits (or whose text after its label) changed:
        // a change once the new line persists.
        if pairs.iter().any(|&(_, j)| {
            let a = &added[j];
            self.now.streak(a.key) >= needed(a, !own(a))
        }) {
            return true;
        }
        // A short line with a shape (a label, digits) that was there for one
        // scrape only is not established text, even on a page of its own: an
        // ad or a teaser that the extractor kept once.
        let removal_counts = removed.iter().enumerate().any(|(i, r)| {
            let established = self.prev.streak(r.key) >= CONFIRM_SCRAPES;
            !paired_removed.contains(&i)
                && own(r)
                && rotations(r.shape) == 0
                && (r.words > LONG_WORDS || established || (self.legacy && r.shape.is_none()))
        });
        if removal_counts {
            return true;
        }
        added.iter().enumerate().any(|(j, a)| {
            if paired_added.contains(&j) {
                return false;
            }
            let streak = self.now.streak(a.key);
            if in_furniture_slot.contains(&j) {
                return streak >= needed(a, true) + ROTATING_WAIT;
            }
            if !own(a) || rotations(a.shape) > 0 {
                return streak >= needed(a, !own(a));
            }
            self.legacy || a.words > LONG_WORDS || streak >= CONFIRM_SCRAPES
        }) || self.moved(current, scrape)
    }

    /// Whether the page's own established paragraphs (long, or seen on
    /// [`CONFIRM_SCRAPES`] scrapes in a row), still there, now stand in
    /// another order: an edit that moved text. Lines with a shape (digits, a
    /// label) are left out, as is anything other articles show.
    fn moved(&self, current: &[Block<'_>], scrape: &[Block<'_>]) -> bool {
        let order = |blocks: &[Block<'_>]| -> Vec<Key> {
            blocks
                .iter()
                .enumerate()
                .filter(|(i, b)| {
                    b.shape.is_none()
                        && (b.words > LONG_WORDS || self.prev.streak(b.key) >= CONFIRM_SCRAPES)
                        && !(self.shared)(b.key)
                        && !self.furniture.is_furniture(*i, b)
                })
                .map(|(_, b)| b.key)
                .collect()
        };
        let (before, after) = (order(current), order(scrape));
        let kept: Vec<Key> = before
            .iter()
            .copied()
            .filter(|k| after.contains(k))
            .collect();
        let now: Vec<Key> = after
            .iter()
            .copied()
            .filter(|k| before.contains(k))
            .collect();
        kept != now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_on_blank_lines_and_keep_their_text() {
        let text = "Title\n\nFirst para\nwith a break.\n \n\nSecond 12 views\n";
        let b = blocks(text);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].text, "Title");
        assert_eq!(b[1].text, "First para\nwith a break.");
        assert_eq!(b[2].text, "Second 12 views");
        assert!(b[1].shape.is_none());
        assert!(b[2].shape.is_some());
        // Digits in another script, other whitespace: the same block.
        assert_eq!(blocks("x\n\nSecond ١٢  views")[1].key, b[2].key);
    }

    #[test]
    fn shapes_mask_digits_of_short_lines_only() {
        assert_eq!(
            mask_digits("Updated 10:42, 3,456 views"),
            "Updated #, # views"
        );
        assert_eq!(mask_digits("آخر تحديث 10:42"), "آخر تحديث #");
        let a = blocks("t\n\nUpdated 10:42")[1].shape;
        let b = blocks("t\n\nUpdated 11:07")[1].shape;
        assert!(a.is_some() && a == b);
        assert_eq!(shape_key("Updated 9:05"), shape_key("Updated 10:42"));
        assert_ne!(shape_key("Updated 9:05"), shape_key("Updated: 9:05"));
        // A labelled line is shaped by its label, whatever follows.
        let teaser = |t: &str| blocks(&format!("t\n\n{t}"))[1].shape;
        assert_eq!(
            teaser("Read more: Central bank holds rates"),
            teaser("Read more: Strong earthquake shakes coastal region")
        );
        assert!(teaser("اقرأ أيضاً: أسعار النفط ترتفع").is_some());
        assert!(teaser("See https://example.org/a for more").is_none());
        let long =
            "The ministry said 12 people were injured in the attack on the market this morning";
        assert!(blocks(&format!("t\n\n{long}"))[1].shape.is_none());
    }

    #[test]
    fn the_filter_hides_learned_blocks_but_never_the_title() {
        let text = "Most read\n\nBody with 12 dead.\n\nMost read\n\n5 min read";
        let all = blocks(text);
        let mut f = Furniture::default();
        f.blocks.insert(all[0].key);
        f.shapes.insert(all[3].shape.unwrap());
        let out = f.filter(text);
        assert_eq!(out.text, "Most read\n\nBody with 12 dead.");
        assert_eq!(out.hidden.len(), 2);
        assert_eq!(out.hidden[1].text, "5 min read");
        // A kept block wins over its shape.
        f.kept_blocks.insert(all[3].key);
        assert_eq!(f.filter(text).hidden.len(), 1);
        assert_eq!(
            f.identity(text),
            normalize::identity_hash("Most read\n\nBody with 12 dead.\n\n5 min read")
        );
        // Nothing learned: the identity is the text's as always.
        assert_eq!(
            Furniture::default().identity(text),
            normalize::identity_hash(text)
        );
    }

    /// The page's states over scrapes of `texts`, and whether the last one
    /// confirms a change against the first (the current version).
    fn confirms_after(texts: &[&str], shared: &dyn Fn(Key) -> bool) -> bool {
        let mut prev = PageState::default();
        let mut last = (PageState::default(), PageState::default());
        for t in texts {
            let next = step(&prev, &blocks(t), shared).state;
            last = (prev, next.clone());
            prev = next;
        }
        let no = |_: Key| false;
        Judge {
            furniture: &Furniture::default(),
            prev: &last.0,
            now: &last.1,
            shared,
            shared_shape: &no,
            rotating_shape: &no,
            legacy: false,
        }
        .confirms(&blocks(texts[0]), &blocks(texts[texts.len() - 1]))
    }

    #[test]
    fn a_slot_that_rotates_waits_and_an_edit_of_established_text_does_not() {
        let body = "Title\n\nThe ministry said 12 people were injured in the attack on the market in the capital this morning, officials added.";
        let page = |teaser: &str| format!("{body}\n\nRead more: {teaser}");
        let (a, b, c) = (page("One story"), page("Two story"), page("Three story"));
        let shared = |_: Key| false;
        // A teaser slot that rotated, then showed one teaser twice: not yet.
        assert!(!confirms_after(&[&a, &b, &c, &a, &b, &b], &shared));
        // Held as long as it rotates.
        assert!(!confirms_after(&[&a, &b, &c, &a, &b, &c], &shared));
        // A line of its own replaced once, then kept: a change.
        assert!(confirms_after(&[&a, &a, &b, &b], &shared));
        // An edit of established text: at once.
        let edited = a.replace("12 people", "15 people");
        assert!(confirms_after(&[&a, &a, &edited], &shared));
    }

    #[test]
    fn established_paragraphs_that_moved_are_a_change_shuffled_links_are_not() {
        let shared = |_: Key| false;
        let page = |paras: &[&str]| paras.join("\n\n");
        let (p1, p2, p3) = (
            "The ministry said twelve people were hurt.",
            "Rescue teams reached the market within the hour.",
            "The investigation is still going on.",
        );
        let before = page(&["Title", p1, p2, p3]);
        let after = page(&["Title", p1, p3, p2]);
        assert!(confirms_after(&[&before, &before, &after], &shared));
        // A list of numbered links whose order changes on every scrape.
        let links = |a: &str, b: &str| page(&["Title", p1, a, b]);
        let (x, y) = ("Story 1 of the day", "Story 2 of the day");
        assert!(!confirms_after(
            &[&links(x, y), &links(x, y), &links(y, x)],
            &shared
        ));
    }

    #[test]
    fn hosts_come_from_urls() {
        assert_eq!(
            host_of("https://www.Example.org/a").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/a").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(host_of("file:///tmp/x"), None);
        assert_eq!(
            host_of_argument("example.org").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            host_of_argument("127.0.0.1:9").as_deref(),
            Some("127.0.0.1:9")
        );
        let id = entry_id(Kind::Shape, -5);
        let (kind, prefix) = parse_entry_id(&id).unwrap();
        assert_eq!(kind, Kind::Shape);
        assert!(id_matches(-5, prefix));
    }
}
