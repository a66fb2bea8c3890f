//! Matching a sentence's tokens against the gazetteer: longest match first,
//! proclitics stripped, titles merged with the names they stand beside.

use super::*;

/// One entity found in a token stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntMatch {
    /// Token range.
    pub a: usize,
    pub b: usize,
    /// Byte range in the sentence (after any stripped proclitic).
    pub start: usize,
    pub end: usize,
    pub entry: u32,
    pub form: Form,
}

impl EntMatch {
    pub(crate) fn canonical<'g>(&self, g: &'g Gazetteer) -> &'g str {
        g.entry(self.entry).0
    }
    pub(crate) fn kind(&self, g: &Gazetteer) -> EntityKind {
        g.entry(self.entry).1
    }
}

/// Proclitic splits of an Arabic light key: (bytes stripped, letters stripped, prefix ال
/// restored because لل stood for ل+ال).
// Always: called per word by both instances of the matcher (see `first_hashes`).
#[inline(always)]
fn proclitic_splits(k: &str, out: &mut Vec<(usize, usize, bool)>) {
    out.clear();
    out.push((0, 0, false));
    // Counted only for a word starting with a proclitic letter (counting is not free).
    let mut count = None;
    let mut letters = || *count.get_or_insert_with(|| k.chars().count());
    let mut bases = [(0usize, 0usize); 2];
    let mut nb = 1;
    if k.starts_with('و') || k.starts_with('ف') {
        bases[1] = (2, 1);
        nb = 2;
    }
    for &(off, n) in &bases[..nb] {
        let rest = &k[off..];
        if off > 0 && letters() - n >= 3 {
            out.push((off, n, false));
        }
        if rest.starts_with("لل") && letters() - n >= 4 {
            out.push((off + 4, n + 1, true));
        } else if (rest.starts_with('ب') || rest.starts_with('ل') || rest.starts_with('ك'))
            && letters() - n > 3
        {
            out.push((off + 2, n + 1, false));
        }
    }
}

struct Best {
    pub(super) len: usize,
    pub(super) hit: Hit,
    pub(super) exact: bool,
    stripped_letters: usize,
}

fn better(a: &Best, b: &Best) -> bool {
    (
        a.len,
        std::cmp::Reverse(a.hit.form),
        a.exact,
        std::cmp::Reverse(a.stripped_letters),
    ) > (
        b.len,
        std::cmp::Reverse(b.hit.form),
        b.exact,
        std::cmp::Reverse(b.stripped_letters),
    )
}

fn case_ok(t: &Tokens, i: usize, len: usize, hit: &Hit) -> bool {
    if hit.acronym {
        return len == 1 && t.toks[i].flags & F_ALL_UPPER != 0;
    }
    if hit.capital {
        return t.toks[i].flags & F_UPPER_INITIAL != 0;
    }
    true
}

/// Buffers of [`find_matches_into`], kept between sentences (in the memo) so that
/// matching a sentence allocates nothing.
#[derive(Default)]
pub(crate) struct MatchScratch {
    /// The strings of a possible match.
    sb: KeyBuilder,
    splits: Vec<(usize, usize, bool)>,
    /// A first word with ال restored.
    al: String,
    /// Matches before titles are resolved.
    raw: Vec<EntMatch>,
}

/// Entities in `t`, left to right, longest first, titles resolved.
pub(crate) fn find_matches(t: &Tokens, g: &Gazetteer) -> Vec<EntMatch> {
    let mut out = Vec::new();
    find_matches_into(t, g, &mut MatchScratch::default(), &mut out);
    out
}

/// [`find_matches`] into `out` (cleared first), with buffers `s`.
pub(super) fn find_matches_into(
    t: &Tokens,
    g: &Gazetteer,
    s: &mut MatchScratch,
    out: &mut Vec<EntMatch>,
) {
    match &g.tables {
        Tables::Builtin => match_raw(t, &Static, s),
        Tables::Built(b) => match_raw(t, &**b, s),
    }
    resolve_titles(t, g, &s.raw, out);
}

/// The matches of `t` before titles are resolved, into `s.raw`: generic, so that each kind
/// of tables is asked without a dispatch per word.
fn match_raw<L: Lookup>(t: &Tokens, g: &L, s: &mut MatchScratch) {
    let MatchScratch {
        sb,
        splits,
        al: scratch,
        raw,
    } = s;
    raw.clear();
    let n = t.len();
    // Hashes only; the strings are built in `sb` when the hashes allow a match.
    let mut kb = KeyBuilder::default();
    let mut i = 0;
    while i < n {
        let key = t.key(i);
        let tok = t.toks[i];
        if tok.flags & F_ARABIC != 0 {
            proclitic_splits(key, splits);
        } else {
            splits.clear();
            splits.push((0, 0, false));
        }
        let mut best: Option<Best> = None;
        for &(off, letters, restore_al) in splits.iter() {
            let first = if restore_al {
                scratch.clear();
                scratch.push_str("ال");
                scratch.push_str(&key[off..]);
                scratch.as_str()
            } else {
                &key[off..]
            };
            let fk = first_hashes(first);
            if !may_contain(g.first_bits(), fk.phon_h) && !may_contain(g.first_bits(), fk.skel_h) {
                continue;
            }
            let maxt = g.first(fk.phon_h).max(g.first(fk.skel_h));
            let Some(maxt) = maxt else { continue };
            // Hashes first; the strings only where a spelling may end (see `whole`).
            kb.set_first(fk);
            // Tokens `sb` holds the strings of (from `i`), extended rather than rebuilt.
            let mut sb_len = 0;
            for len in 1..=usize::from(maxt) {
                if len > 1 {
                    let j = i + len - 1;
                    if j >= n || t.toks[j].punct & P_BREAK != 0 {
                        break;
                    }
                    kb.push(t.key(j));
                    // No spelling goes on from here, so no longer one can match.
                    if !may_contain(g.prefix_bits(), kb.phon_h)
                        && !may_contain(g.prefix_bits(), kb.skel_h)
                    {
                        break;
                    }
                }
                // An exact or phonetic match implies an equal phonetic key, a skeleton match
                // an equal skeleton: each lookup only when its hash is known.
                let phon_in = may_contain(g.whole_bits(), kb.phon_h) && g.whole(kb.phon_h);
                let skel_in = may_contain(g.whole_bits(), kb.skel_h) && g.whole(kb.skel_h);
                if !phon_in && !skel_in {
                    continue;
                }
                let kb = &mut *sb;
                if sb_len + 1 == len {
                    if len == 1 {
                        kb.clear(true);
                        kb.push(first);
                    } else {
                        kb.push(t.key(i + len - 1));
                    }
                } else {
                    kb.clear(true);
                    kb.push(first);
                    for j in i + 1..i + len {
                        kb.push(t.key(j));
                    }
                }
                sb_len = len;
                let kb = &*kb;
                let last = kb.phon.chars().next_back().unwrap_or('\0');
                let mut consider = |hits: Option<&[Hit]>, exact: bool| {
                    for hit in hits.into_iter().flatten() {
                        if !case_ok(t, i, len, hit) {
                            continue;
                        }
                        if !exact
                            && (usize::from(hit.tokens) != len
                                || hit.last != last
                                || usize::from(hit.phon_len).abs_diff(kb.phon_len) > 1)
                        {
                            continue;
                        }
                        let cand = Best {
                            len,
                            hit: *hit,
                            exact,
                            stripped_letters: if restore_al { 0 } else { letters },
                        };
                        if best.as_ref().is_none_or(|b| better(&cand, b)) {
                            best = Some(cand);
                        }
                        break;
                    }
                };
                if phon_in {
                    consider(g.exact(&kb.light), true);
                    consider(g.phon(&kb.phon), true);
                }
                if skel_in {
                    consider(g.skel(&kb.skel), false);
                }
            }
        }
        match best {
            Some(b) => {
                let start = if b.stripped_letters > 0 {
                    skip_letters(t.src, tok.start, tok.end, b.stripped_letters)
                } else {
                    tok.start
                };
                raw.push(EntMatch {
                    a: i,
                    b: i + b.len,
                    start,
                    end: t.toks[i + b.len - 1].end,
                    entry: b.hit.entry,
                    form: b.hit.form,
                });
                i += b.len;
            }
            None => i += 1,
        }
    }
}

/// Byte offset after `n` letters (marks and tatweel ride along) from `start`.
pub(crate) fn skip_letters(src: &str, start: usize, end: usize, n: usize) -> usize {
    let mut seen = 0;
    for (i, c) in src[start..end].char_indices() {
        if is_removed_mark(c) || is_invisible(c) || canonical_combining_class(c) != 0 {
            continue;
        }
        if seen == n {
            return start + i;
        }
        seen += 1;
    }
    start
}

fn resolve_titles(t: &Tokens, g: &Gazetteer, ms: &[EntMatch], out: &mut Vec<EntMatch>) {
    out.clear();
    let mut k = 0;
    while k < ms.len() {
        let m = ms[k];
        if m.form != Form::Title {
            out.push(m);
            k += 1;
            continue;
        }
        let before_former = m.a > 0 && t.is(m.a - 1, lex::FORMER);
        let after_former = t.is(m.b, lex::FORMER);
        if let Some(next) = ms
            .get(k + 1)
            .filter(|n| n.a == m.b && n.kind(g) == EntityKind::Person)
        {
            if next.entry == m.entry && !before_former {
                out.push(EntMatch {
                    b: next.b,
                    end: next.end,
                    form: Form::Name,
                    ..m
                });
            } else {
                out.push(*next);
            }
            k += 2;
            continue;
        }
        if !before_former && !after_former {
            out.push(m);
        }
        k += 1;
    }
}

/// Named entities in `sentence`, in order, as [`Slot::Entity`] (`text` as written, without
/// a stripped proclitic; `canonical` from the gazetteer).
pub fn find_entities(sentence: &str, gazetteer: &Gazetteer) -> Vec<Slot> {
    with_analysis(sentence, Some(gazetteer), |_, ents| {
        ents.iter()
            .map(|m| Slot::Entity {
                text: sentence.get(m.start..m.end).unwrap_or("").to_string(),
                canonical: m.canonical(gazetteer).to_string(),
                kind: m.kind(gazetteer),
            })
            .collect()
    })
}
