//! What the HTML walk saw around a block: the class, id, itemprop and role
//! hints of the elements around its text, and their tags.

/// What the walk saw around a block's text: class/id hint groups and tags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// Bit `i` set: some element around the text had a class, id, itemprop
    /// or role of `HINT_GROUPS[i]`.
    pub hints: u32,
    /// Bit `i` set: the text sat inside a `TAGS[i]` element.
    pub tags: u32,
}

impl Marks {
    pub fn union(self, other: Marks) -> Marks {
        Marks {
            hints: self.hints | other.hints,
            tags: self.tags | other.tags,
        }
    }
}

/// Characters of one paragraph counted by what they sat inside of.
#[derive(Debug, Clone, Default)]
pub struct MarkTally {
    /// Non-space characters, and those inside links.
    pub chars: u32,
    pub link_chars: u32,
    hints: [u32; 32],
    tags: [u32; 32],
}

impl MarkTally {
    pub fn add(&mut self, marks: Marks, visible: u32) {
        self.chars += visible;
        if marks.tags & TAG_A != 0 {
            self.link_chars += visible;
        }
        for (bits, counts) in [(marks.hints, &mut self.hints), (marks.tags, &mut self.tags)] {
            let mut b = bits;
            while b != 0 {
                counts[b.trailing_zeros() as usize] += visible;
                b &= b - 1;
            }
        }
    }

    /// The marks over at least half the paragraph's characters: a
    /// `<cite class="source">` around two words does not make the paragraph
    /// around it a credit.
    pub fn majority(&self) -> Marks {
        let half = self.chars.div_ceil(2).max(1);
        let bits = |counts: &[u32; 32]| {
            counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c >= half)
                .fold(0u32, |acc, (i, _)| acc | (1 << i))
        };
        Marks {
            hints: bits(&self.hints),
            tags: bits(&self.tags),
        }
    }
}

/// Class/id vocabulary, by what it usually marks. A cue of five letters or
/// more also matches as the start of a word (`sharebar`, `relatedarticles`);
/// shorter ones only whole (`ad` is not `head`).
#[rustfmt::skip]
pub(super) const HINT_GROUPS: &[(&str, &[&str])] = &[
    ("caption", &[
        "caption", "figcaption", "cutline", "legend",
    ]),
    ("credit", &[
        "credit", "copyright", "photographer", "source", "attribution",
    ]),
    ("share", &[
        "share", "sharing", "social", "addthis", "sharethis", "facebook", "twitter",
        "whatsapp", "pinterest", "linkedin",
    ]),
    ("related", &[
        "related", "recommend", "readmore", "also", "outbrain", "taboola", "trending",
        "popular", "mostread", "most", "teaser", "next", "prev", "previous", "pagination",
        "pager", "more",
    ]),
    ("tags", &[
        "tag", "tags", "topic", "topics", "keywords", "categories", "category",
    ]),
    ("byline", &[
        "byline", "author", "writer", "contributor", "reporter",
    ]),
    ("newsletter", &[
        "newsletter", "subscribe", "subscription", "signup", "paywall", "register", "download",
        "app",
    ]),
    ("ad", &[
        "ad", "ads", "advert", "sponsor", "promo", "promotion", "commercial", "dfp", "banner",
        "affiliate", "native",
    ]),
    ("meta", &[
        "meta", "date", "time", "timestamp", "published", "updated", "dateline", "posted",
        "pubdate", "info", "details",
    ]),
    ("comment", &[
        "comment", "disqus", "discussion", "respond", "reply", "replies",
    ]),
    ("media", &[
        "gallery", "slideshow", "slide", "carousel", "media", "image", "img", "photo", "video",
        "player", "figure", "lightbox", "modal", "thumbnail", "thumb", "embed",
    ]),
    ("chrome", &[
        "nav", "menu", "footer", "header", "breadcrumb", "sidebar", "widget", "toolbar",
        "tools", "utility", "masthead", "rail", "aside",
    ]),
    ("hidden", &[
        "hidden", "hide", "sr", "visually", "screen", "offscreen", "print", "noprint",
    ]),
    ("body", &[
        "body", "content", "article", "story", "text", "entry", "post", "paragraph", "main",
        "prose", "rich", "richtext", "copy",
    ]),
    ("note", &[
        "bio", "about", "disclaimer", "note", "footnote", "correction", "editor",
    ]),
    ("lead", &[
        "lead", "summary", "intro", "standfirst", "dek", "subtitle", "subhead", "kicker",
        "deck", "excerpt", "strap", "strapline", "description",
    ]),
    ("counter", &[
        "count", "counter", "views", "stats", "rating", "score", "likes",
    ]),
    ("control", &[
        "button", "btn", "cta", "icon", "label", "link", "links", "close", "toggle",
    ]),
];

/// Elements whose presence around the text is a feature.
pub(super) const TAGS: &[&[&str]] = &[
    &["figure", "picture"],
    &["figcaption"],
    &["header"],
    &["footer"],
    &["blockquote"],
    &["table"],
    &["time"],
    &["small"],
    &["address"],
    &["cite"],
    &["li", "ul", "ol", "dl", "dt", "dd"],
    &["strong", "b"],
    &["em", "i"],
    &["a"],
    &["pre", "code"],
    &["sup", "sub"],
];
pub(super) const TAG_A: u32 = 1 << 13;

/// The marks one element adds: its tag and the words of its class, id,
/// itemprop and role.
pub fn element_marks(tag: &str, attrs: &[&str]) -> Marks {
    let mut m = Marks::default();
    for (i, names) in TAGS.iter().enumerate() {
        if names.contains(&tag) {
            m.tags |= 1 << i;
        }
    }
    for value in attrs {
        for_each_attr_word(value, |word| {
            for (i, (_, cues)) in HINT_GROUPS.iter().enumerate() {
                let hit = cues.iter().any(|c| {
                    if c.len() >= 5 {
                        word.starts_with(c)
                    } else {
                        word == *c
                    }
                });
                if hit {
                    m.hints |= 1 << i;
                }
            }
        });
    }
    m
}

/// `storyBody__Meta-date_2` → `story`, `body`, `meta`, `date`, `2`, each
/// lower-cased and handed to `f` (one buffer, no allocation per word).
pub(super) fn for_each_attr_word(value: &str, mut f: impl FnMut(&str)) {
    let mut cur = String::with_capacity(24);
    let mut prev_lower = false;
    // Attribute values can be long (inline data); a few hundred bytes tell.
    for c in value.chars().take(300) {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                f(&cur);
                cur.clear();
            }
            prev_lower = c.is_ascii_lowercase();
            cur.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                f(&cur);
                cur.clear();
            }
        }
    }
    if !cur.is_empty() {
        f(&cur);
    }
}
