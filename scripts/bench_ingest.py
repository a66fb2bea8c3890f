#!/usr/bin/env python3
"""Ingest benchmark for `track`, compared with the NewsDiffs way (one git commit per version).

What it measures
----------------
1. Generates a deterministic synthetic corpus (``random.Random(seed)``): N articles x V
   scrape rounds of ~6 KB Arabic news text each.  Version k+1 of an article is version k
   with 1-3 realistic edits (change a number, replace a word, add / remove a sentence,
   move a paragraph, edit a quote).  About 5 % of the rounds are re-scrapes that differ
   only in whitespace / CRLF; these must not become new versions, so the expected number
   of distinct versions is smaller than N x V (both are reported).
   Layout: ``OUT/corpus/vNN/article-NNNN.txt`` (the file stem is the article key).
2. Runs ``track --db OUT/track.db add --at <base + NN h> OUT/corpus/vNN`` once per round
   and measures the total wall time, the peak RSS of the track processes (per child, via a
   tiny launcher process and wait4 -- see run_child for why), versions/s
   (versions actually stored, read from ``track list --format json``), files/s and the
   store size (track.db + -wal + -shm).
3. Builds the same history the NewsDiffs way: a git repository with one file per article
   and one commit per distinct article version (round order), via ``git fast-import``,
   then ``git gc --aggressive --prune=now``; reports the size of .git and the build time.
4. Prints a dated Markdown section (for BENCHMARKS.md) and writes OUT/results.json.

Targets: >= 2,000 versions/s, peak memory < 200 MB, store <= 1.5x git's size.

Usage:
    python3 scripts/bench_ingest.py [--track target/release/track] [--articles 1000]
        [--versions 10] [--out bench-out/ingest] [--seed 1] [--skip-git] [--skip-track]

Python 3.11+, stdlib only.  Needs `git` on PATH for the comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT / "fixtures" / "seeds"  # the seed articles bundled with the repo
BASE_TIME = dt.datetime(2025, 12, 25, 10, 0, 0, tzinfo=dt.timezone.utc)

TARGET_VERSIONS_PER_S = 2000
TARGET_PEAK_RSS_MB = 200
TARGET_STORE_RATIO = 1.5

TARGET_BYTES = 6000          # ~6 KB of UTF-8 per version
WHITESPACE_RESCRAPE_P = 0.05  # share of rounds that only change whitespace / CRLF

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

# Fallback when the seed articles are not available (~200 common news words).
FALLBACK_WORDS = """
في من إلى على عن مع بين هذا هذه التي الذي أن إن قد لم لن كان كانت يكون تكون بعد قبل
خلال حول ضد منذ حتى أو ثم كما لكن بل أيضا وقد وكان وفي وأن فقد عند لدى كل بعض غير
الرئيس الحكومة الوزير الوزراء البرلمان المجلس الدولة الشعب المواطنين الجيش القوات
الأمن الشرطة المعارضة الحزب الانتخابات الدستور القانون المحكمة القضاء الشرطة الوزارة
الأمم المتحدة الجامعة العربية الاتحاد الأوروبي الولايات المتحدة روسيا الصين فرنسا
مصر السعودية الأردن لبنان سوريا العراق فلسطين المغرب تونس الجزائر ليبيا السودان اليمن
قطر الإمارات الكويت تركيا إيران القاهرة الرياض بيروت دمشق بغداد عمان غزة القدس
قال أعلن أكد أشار أوضح أضاف صرح نفى طالب دعا حذر كشف ذكر نقل أفاد رفض وافق قرر
المتحدث الرسمي مصادر مطلعة وكالة الأنباء صحيفة تقرير بيان مؤتمر صحفي اجتماع قمة
محادثات مفاوضات اتفاق اتفاقية معاهدة تعاون شراكة علاقات ثنائية دولية إقليمية
الاقتصاد الاقتصادية النمو التضخم الأسعار النفط الغاز الطاقة الاستثمار البنك المركزي
الموازنة العجز الديون الصادرات الواردات التجارة السوق الأسواق الشركات العمال البطالة
الحرب السلام الهدنة وقف إطلاق النار الهجوم القصف الضربات الصواريخ الطائرات المسيرة
الضحايا القتلى الجرحى المدنيين اللاجئين النازحين المساعدات الإنسانية الإغاثة الغذاء
المياه الكهرباء المستشفى الصحة التعليم المدارس الجامعات الطلاب الشباب المرأة الأطفال
الأسبوع الماضي المقبل اليوم أمس غدا العام الشهر السنة الجديدة يوم الخميس الجمعة السبت
الأحد الاثنين الثلاثاء الأربعاء صباح مساء الساعة مليون مليار ألف نسبة بالمئة دولار
جنيه ريال دينار يورو كبير كبيرة جديد جديدة مهم مهمة رئيسي رئيسية عسكري عسكرية سياسي
سياسية أمني أمنية اقتصادي اجتماعي تاريخي تاريخية واسع واسعة شديد شديدة الأخير الأخيرة
""".split()

ARABIC_WORD = re.compile(r"[\u0621-\u065F\u0670-\u06D3]+")  # letters + diacritics, no digits/punctuation
PREFIXES = ("و", "ب", "ل", "ال")
SUFFIXES = ("ون", "ين", "ات", "ة")
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
          "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
SPEECH_VERBS = ("قال", "أكد", "أضاف", "أوضح", "صرح", "أشار", "وقال", "وأكد", "وأضاف")
SPEAKERS = ("المتحدث الرسمي", "الوزير", "مصدر مطلع", "الرئيس", "مسؤول رفيع", "المحلل السياسي",
            "مراسلنا", "شاهد عيان", "الناطق باسم الجيش", "رئيس الوزراء")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NUMBER = re.compile(r"[0-9]+|[٠-٩]+")
QUOTE = re.compile(r"«([^»]*)»")


@dataclass
class Vocabulary:
    words: list[str]
    weights: list[float]
    source: str

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, weights=self.weights, k=k)


def variants(word: str) -> list[str]:
    """Simple morphological variants: prefixes و ب ل ال, suffixes ون ين ات ة (skipping doubles)."""
    has_article = word.startswith("ال")
    stem = word[2:] if has_article else word
    out = [] if word.startswith(("و", "ف")) else ["و" + word]
    if not word.startswith(("ب", "ل", "و")):
        out += ["ب" + word, ("لل" + stem) if has_article else ("ل" + word)]
        if not has_article:
            out.append("ال" + word)
    if len(stem) >= 3 and not stem.endswith(("ة", "ات", "ون", "ين", "ا", "ى", "ي", "ه")):
        out += [word + s for s in SUFFIXES]
    return out


def load_vocabulary(rng: random.Random, seed_dir: Path = SEED_DIR) -> Vocabulary:
    """Words of the seed articles (weighted by frequency) plus morphological variants."""
    counts: dict[str, int] = {}
    files = sorted(seed_dir.glob("*.txt")) if seed_dir.is_dir() else []
    for f in files:
        for w in ARABIC_WORD.findall(f.read_text(encoding="utf-8", errors="replace")):
            counts[w] = counts.get(w, 0) + 1
    source = f"{len(files)} seed articles in {seed_dir}"
    if len(counts) < 100:
        # Zipf-like weights by position in the built-in list.
        counts = {}
        for rank, w in enumerate(FALLBACK_WORDS):
            counts.setdefault(w, max(1, 40 // (rank + 1)) + 1)
        source = "built-in fallback word list"
    base = sorted(counts)  # sorted: set/dict order must not leak into the corpus
    vocab: dict[str, float] = {w: float(counts[w]) for w in base}
    for w in base:
        if len(w) < 3 or not w.isalpha():  # skip particles and tokens with tatweel/diacritics
            continue
        forms = variants(w)
        for v in rng.sample(forms, k=min(4, len(forms))):
            vocab.setdefault(v, 0.5)
    words = sorted(vocab)
    return Vocabulary(words, [vocab[w] for w in words], f"{source}; {len(base)} base words")


# ---------------------------------------------------------------------------
# Article model and edits
# ---------------------------------------------------------------------------

@dataclass
class Article:
    title: str
    paragraphs: list[list[str]]  # paragraphs of sentences

    def render(self) -> str:
        body = "\n\n".join(" ".join(p) for p in self.paragraphs)
        return f"{self.title}\n\n{body}\n"

    def copy(self) -> "Article":
        return Article(self.title, [list(p) for p in self.paragraphs])


@dataclass
class Writer:
    """Generates sentences for one article: shared vocabulary + article-specific topic words."""
    rng: random.Random
    vocab: Vocabulary
    topic: list[str] = field(default_factory=list)

    def words(self, k: int) -> list[str]:
        out = self.vocab.sample(self.rng, k)
        for i in range(k):
            if self.rng.random() < 0.2:
                out[i] = self.rng.choice(self.topic)
        return out

    def number(self) -> str:
        r = self.rng.random()
        n = (self.rng.randint(2, 99) if r < 0.5 else self.rng.randint(100, 9999) if r < 0.85
             else self.rng.randint(10_000, 5_000_000))
        s = str(n)
        return s.translate(ARABIC_INDIC) if self.rng.random() < 0.2 else s

    def date(self) -> str:
        d, m, y = self.rng.randint(1, 28), self.rng.randrange(12), self.rng.choice((2024, 2025, 2026))
        if self.rng.random() < 0.7:
            return f"{d} {MONTHS[m]} {y}"
        return f"{y}-{m + 1:02d}-{d:02d}"

    def quote(self) -> str:
        return "«" + " ".join(self.words(self.rng.randint(5, 14))) + "»"

    def sentence(self) -> str:
        words = self.words(self.rng.randint(8, 22))
        r = self.rng.random()
        if r < 0.25:
            words.insert(self.rng.randrange(len(words)), self.number())
        elif r < 0.35:
            words.insert(self.rng.randrange(len(words)), self.date())
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(2, len(words)), "،")
        s = " ".join(words).replace(" ،", "،")
        if self.rng.random() < 0.2:
            s = f"{self.rng.choice(SPEECH_VERBS)} {self.rng.choice(SPEAKERS)} إن {self.quote()}، {s}"
        return s + self.rng.choices((".", "؟", "!"), weights=(90, 6, 4))[0]

    def article(self, target_bytes: int) -> Article:
        title = " ".join(self.words(self.rng.randint(6, 12)))
        if self.rng.random() < 0.4:
            title += ": " + " ".join(self.words(self.rng.randint(2, 5)))
        art = Article(title, [])
        size = len(title.encode())
        while size < target_bytes:
            para = [self.sentence() for _ in range(self.rng.randint(2, 5))]
            art.paragraphs.append(para)
            size += sum(len(s.encode()) + 1 for s in para) + 2
        return art


def _random_sentence(rng: random.Random, art: Article) -> tuple[int, int]:
    p = rng.randrange(len(art.paragraphs))
    return p, rng.randrange(len(art.paragraphs[p]))


def edit_number(w: Writer, art: Article) -> None:
    spots = [(p, s) for p, para in enumerate(art.paragraphs) for s, t in enumerate(para) if NUMBER.search(t)]
    if not spots:
        p, s = _random_sentence(w.rng, art)
        art.paragraphs[p][s] = art.paragraphs[p][s].replace(" ", f" {w.number()} ", 1)
        return
    p, s = w.rng.choice(spots)
    text = art.paragraphs[p][s]
    m = w.rng.choice(list(NUMBER.finditer(text)))
    old = m.group()
    arabic = not old.isascii()
    value = int(old)  # int() accepts Arabic-Indic digits too
    new = str(max(0, value + w.rng.choice((-1, 1)) * w.rng.randint(1, max(1, value // 5))))
    if new == str(value):
        new = str(value + 1)
    if arabic:
        new = new.translate(ARABIC_INDIC)
    art.paragraphs[p][s] = text[:m.start()] + new + text[m.end():]


def edit_word(w: Writer, art: Article) -> None:
    p, s = _random_sentence(w.rng, art)
    toks = art.paragraphs[p][s].split(" ")
    idx = [i for i, t in enumerate(toks) if ARABIC_WORD.fullmatch(t)]
    if idx:
        i = w.rng.choice(idx)
        toks[i] = w.words(1)[0]
        art.paragraphs[p][s] = " ".join(toks)


def edit_add_sentence(w: Writer, art: Article) -> None:
    p = w.rng.randrange(len(art.paragraphs))
    art.paragraphs[p].insert(w.rng.randint(0, len(art.paragraphs[p])), w.sentence())


def edit_remove_sentence(w: Writer, art: Article) -> None:
    candidates = [p for p, para in enumerate(art.paragraphs) if len(para) > 1]
    if candidates:
        p = w.rng.choice(candidates)
        del art.paragraphs[p][w.rng.randrange(len(art.paragraphs[p]))]
    elif len(art.paragraphs) > 2:
        del art.paragraphs[w.rng.randrange(len(art.paragraphs))]


def edit_move_paragraph(w: Writer, art: Article) -> None:
    if len(art.paragraphs) < 2:
        return
    i = w.rng.randrange(len(art.paragraphs))
    para = art.paragraphs.pop(i)
    art.paragraphs.insert(w.rng.choice([j for j in range(len(art.paragraphs) + 1) if j != i]), para)


def edit_quote(w: Writer, art: Article) -> None:
    spots = [(p, s) for p, para in enumerate(art.paragraphs) for s, t in enumerate(para) if "«" in t]
    if not spots:
        p, s = _random_sentence(w.rng, art)
        art.paragraphs[p][s] = f"{w.rng.choice(SPEECH_VERBS)} {w.rng.choice(SPEAKERS)} إن {w.quote()}، " \
                               + art.paragraphs[p][s]
        return
    p, s = w.rng.choice(spots)
    text = art.paragraphs[p][s]
    m = QUOTE.search(text)
    words = m.group(1).split(" ")
    r = w.rng.random()
    if r < 0.4 and len(words) > 3:
        del words[w.rng.randrange(len(words))]          # trim the quote
    elif r < 0.7:
        words.insert(w.rng.randrange(len(words) + 1), w.words(1)[0])  # extend it
    else:
        words[w.rng.randrange(len(words))] = w.words(1)[0]  # correct a word
    art.paragraphs[p][s] = text[:m.start()] + "«" + " ".join(words) + "»" + text[m.end():]


EDITS = (edit_number, edit_word, edit_add_sentence, edit_remove_sentence, edit_move_paragraph, edit_quote)


def whitespace_rescrape(rng: random.Random, text: str) -> str:
    """Same text, different whitespace: CRLF line ends and/or trailing blanks (not a new version)."""
    lines = text.split("\n")
    if rng.random() < 0.6:
        lines = [l + rng.choice(("", " ", "  ", "\t")) if l else l for l in lines]
    out = ("\r\n" if rng.random() < 0.6 else "\n").join(lines)
    if out == text or rng.random() < 0.3:
        out = out.replace("\n", "\r\n") if "\r\n" not in out else out + "\r\n"
    return out


def normalize(text: str) -> str:
    """What the benchmark assumes track ignores: CRLF, trailing blanks, trailing newlines."""
    return "\n".join(l.rstrip() for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).rstrip("\n")


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------

@dataclass
class CorpusStats:
    articles: int
    rounds: int
    files: int = 0
    distinct_versions: int = 0
    whitespace_rescrapes: int = 0
    total_bytes: int = 0          # bytes of all files written (N x V)
    distinct_bytes: int = 0       # bytes of the distinct (normalised) versions
    edits: dict[str, int] = field(default_factory=dict)
    vocabulary: str = ""
    vocabulary_size: int = 0
    seconds: float = 0.0


def generate_corpus(out: Path, n_articles: int, n_versions: int, seed: int
                    ) -> tuple[CorpusStats, list[list[str | None]]]:
    """Write OUT/corpus/vNN/article-NNNN.txt.

    Returns the stats and, per round, per article, the normalised text if that file is a
    new distinct version (else None) -- the history git gets.
    """
    t0 = time.perf_counter()
    rng = random.Random(seed)
    vocab = load_vocabulary(rng)
    stats = CorpusStats(n_articles, n_versions, vocabulary=vocab.source, vocabulary_size=len(vocab.words))
    corpus = out / "corpus"
    dirs = [corpus / f"v{k:02d}" for k in range(1, n_versions + 1)]
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    history: list[list[str | None]] = [[None] * n_articles for _ in range(n_versions)]
    width = max(4, len(str(n_articles)))
    article_seeds = [rng.getrandbits(64) for _ in range(n_articles)]
    for a in range(n_articles):
        arng = random.Random(article_seeds[a])
        writer = Writer(arng, vocab)
        writer.topic = vocab.sample(arng, 30) + [w for w in arng.sample(vocab.words, 10)]
        art = writer.article(arng.randint(TARGET_BYTES - 1000, TARGET_BYTES + 1000))
        last = None
        name = f"article-{a + 1:0{width}d}.txt"
        for k in range(n_versions):
            if k > 0 and arng.random() < WHITESPACE_RESCRAPE_P:
                text = whitespace_rescrape(arng, art.render())
                stats.whitespace_rescrapes += 1
            elif k > 0:
                new = art.copy()
                while new.render() == art.render():
                    for edit in arng.sample(EDITS, k=arng.randint(1, 3)):
                        edit(writer, new)
                        stats.edits[edit.__name__] = stats.edits.get(edit.__name__, 0) + 1
                art = new
                text = art.render()
            else:
                text = art.render()
            data = text.encode("utf-8")
            (dirs[k] / name).write_bytes(data)
            stats.files += 1
            stats.total_bytes += len(data)
            norm = normalize(text)
            if norm != last:
                history[k][a] = norm + "\n"
                stats.distinct_versions += 1
                stats.distinct_bytes += len(norm.encode()) + 1
                last = norm
    stats.seconds = time.perf_counter() - t0
    return stats, history


# ---------------------------------------------------------------------------
# track
# ---------------------------------------------------------------------------

class BenchError(SystemExit):
    def __init__(self, msg: str):
        super().__init__(f"bench_ingest: error: {msg}")


# Linux charges a child's ru_maxrss with the RSS high-water mark of the address space it had
# before exec() -- i.e. a copy of (or, with vfork/posix_spawn, the very) parent's.  This script
# holds the whole corpus history in memory, so measuring track directly from here would report
# *this* process's peak.  Each child is therefore started by a tiny fresh launcher process
# (~10 MB) that times it and reads its rusage with wait4; the launcher's own size is the floor
# of the measurement (calibrated with `true`, reported as rss_floor_mb).
LAUNCHER = """
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.posix_spawn(cmd[0], cmd, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as f:
    f.write(f"{wall!r} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_child(cmd: list[str]) -> tuple[float, int, str, str]:
    """Run cmd via the launcher; return (wall s, peak RSS in KiB of that child, stdout, stderr)."""
    with tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr, \
            tempfile.NamedTemporaryFile("r", suffix=".rusage") as fres:
        proc = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, fres.name, *cmd],
                              stdout=fout, stderr=ferr, stdin=subprocess.DEVNULL)
        fout.seek(0), ferr.seek(0)
        stdout = fout.read().decode("utf-8", "replace")
        stderr = ferr.read().decode("utf-8", "replace")
        measured = fres.read().split()
    if proc.returncode != 0 or len(measured) != 2:
        tail = f"\n--- stdout (tail) ---\n{stdout.strip()[-2000:]}" if stdout.strip() else ""
        raise BenchError(f"command failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                         f"--- stderr ---\n{stderr.strip() or '(empty)'}{tail}")
    return float(measured[0]), int(measured[1]), stdout, stderr


def rss_floor_mb() -> float | None:
    """Peak RSS the launcher reports for a trivial child: the measurement's lower bound."""
    true = shutil.which("true")
    return run_child([true])[1] / 1024 if true else None


def check_track(track: Path) -> str:
    if not track.is_file() or not os.access(track, os.X_OK):
        raise BenchError(f"track binary not found or not executable: {track}\n"
                         f"  build it first:  cargo build --release   (or pass --track PATH)")
    try:
        return run_child([str(track), "--version"])[2].strip()
    except BenchError:
        return "unknown version"


def db_size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def bench_track(track: Path, out: Path, n_versions: int) -> dict:
    db = out / "track.db"
    rounds = []
    peak_kib = 0
    for k in range(1, n_versions + 1):
        at = (BASE_TIME + dt.timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
        wall, rss, _, _ = run_child([str(track), "--db", str(db), "add", "--at", at,
                                     str(out / "corpus" / f"v{k:02d}")])
        peak_kib = max(peak_kib, rss)
        rounds.append({"round": k, "at": at, "wall_s": round(wall, 4), "peak_rss_mb": round(rss / 1024, 1)})
        print(f"  track add v{k:02d}: {wall:7.3f} s, RSS {rss / 1024:6.1f} MB", file=sys.stderr)
    wall_total = sum(r["wall_s"] for r in rounds)
    _, _, listing, _ = run_child([str(track), "--db", str(db), "list", "--format", "json"])
    try:
        items = json.loads(listing)
        stored = sum(int(item["versions"]) for item in items)
    except (ValueError, KeyError, TypeError) as e:
        raise BenchError(f"could not parse `track list --format json` output ({e}):\n{listing[:1000]}")
    return {"wall_s": wall_total, "rounds": rounds, "articles_listed": len(items),
            "versions_stored": stored, "peak_rss_mb": peak_kib / 1024, "store_bytes": db_size(db)}


# ---------------------------------------------------------------------------
# git (NewsDiffs way)
# ---------------------------------------------------------------------------

def dir_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def fast_import_stream(history: list[list[str | None]], width: int):
    """Yield the fast-import stream: one blob + one commit per distinct article version."""
    mark = 0
    for k, round_texts in enumerate(history, start=1):
        base = int((BASE_TIME + dt.timedelta(hours=k)).timestamp())
        for a, text in enumerate(round_texts):
            if text is None:
                continue  # unchanged (or whitespace-only) re-scrape: no commit
            name = f"article-{a + 1:0{width}d}.txt"
            data = text.encode("utf-8")
            mark += 1
            blob = mark
            msg = f"{name} v{k:02d}".encode()
            mark += 1
            yield (b"blob\nmark :%d\ndata %d\n" % (blob, len(data))) + data + b"\n"
            yield (b"commit refs/heads/main\nmark :%d\n"
                   b"committer NewsDiffs Bench <bench@example.invalid> %d +0000\n"
                   b"data %d\n%s\nM 100644 :%d %s\n\n"
                   % (mark, base + a, len(msg), msg, blob, name.encode()))


def bench_git(out: Path, history: list[list[str | None]], n_articles: int) -> dict:
    if shutil.which("git") is None:
        raise BenchError("git not found on PATH (use --skip-git)")
    repo = out / "git"
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", "init", "-q", "-b", "main", "--template=", str(repo)], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "config", "gc.auto", "0"], check=True, env=env)
    width = max(4, len(str(n_articles)))
    t0 = time.perf_counter()
    proc = subprocess.Popen(["git", "-C", str(repo), "fast-import", "--quiet"],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    commits = 0
    for chunk in fast_import_stream(history, width):
        commits += chunk.startswith(b"commit")
        proc.stdin.write(chunk)
    proc.stdin.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() != 0:
        raise BenchError(f"git fast-import failed:\n{err}")
    t_import = time.perf_counter() - t0
    size_before_gc = dir_size(repo / ".git")
    gc = subprocess.run(["git", "-C", str(repo), "gc", "--aggressive", "--prune=now", "--quiet"],
                        capture_output=True, text=True, env=env)
    if gc.returncode != 0:
        raise BenchError(f"git gc failed:\n{gc.stderr}")
    t_total = time.perf_counter() - t0
    return {"commits": commits, "fast_import_s": t_import, "build_gc_s": t_total,
            "size_before_gc_bytes": size_before_gc, "store_bytes": dir_size(repo / ".git")}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

def mb(n: float) -> float:
    return n / 1_000_000


def report_markdown(res: dict) -> str:
    c, t, g = res["corpus"], res.get("track"), res.get("git")
    na = "n/a"
    rows = [
        ("Corpus: articles", f"{c['articles']:,}"),
        ("Corpus: versions generated (files)", f"{c['files']:,} ({c['rounds']} rounds)"),
        ("Corpus: distinct versions (expected)", f"{c['distinct_versions']:,} "
                                                  f"({c['whitespace_rescrapes']} whitespace-only re-scrapes)"),
        ("Corpus: total bytes, all versions", f"{c['total_bytes']:,} ({mb(c['total_bytes']):.1f} MB)"),
    ]
    if t:
        ok = t["versions_stored"] == c["distinct_versions"]
        rows += [
            ("track: versions stored", f"{t['versions_stored']:,}" + ("" if ok else " **(≠ expected)**")),
            ("track: wall time, s", f"{t['wall_s']:.2f}"),
            ("track: versions/s (target ≥ 2,000)", f"{t['versions_per_s']:,.0f} {mark(t['versions_per_s'] >= TARGET_VERSIONS_PER_S)}"),
            ("track: files/s", f"{t['files_per_s']:,.0f}"),
            ("track: peak RSS, MB (target < 200)", f"{t['peak_rss_mb']:.1f} {mark(t['peak_rss_mb'] < TARGET_PEAK_RSS_MB)}"
                                                   + (f" (floor {t['rss_floor_mb']:.0f})" if t.get("rss_floor_mb") else "")),
            ("track: store, MB", f"{mb(t['store_bytes']):.2f}"),
        ]
    else:
        rows.append(("track", "skipped"))
    if g:
        rows += [
            ("git (NewsDiffs): commits", f"{g['commits']:,}"),
            ("git: store after gc --aggressive, MB", f"{mb(g['store_bytes']):.2f}"),
            ("git: fast-import + gc, s", f"{g['build_gc_s']:.1f}"),
        ]
    else:
        rows.append(("git", "skipped"))
    if res.get("ratio_track_git") is not None:
        r = res["ratio_track_git"]
        rows.append(("store ratio track/git (target ≤ 1.5)", f"{r:.2f} {mark(r <= TARGET_STORE_RATIO)}"))
    env = res["environment"]
    lines = [
        f"## Ingest benchmark — {res['date']}",
        "",
        f"`{res['command']}`  ",
        f"track: {t['track_version'] if t else na}; git: {env['git_version']}; "
        f"{env['platform']}, {env['cpus']} CPUs; seed {res['seed']}",
        "",
        "| Metric | Value |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in rows],
        "",
    ]
    return "\n".join(lines)


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def git_version() -> str:
    try:
        return subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "git not found"


# ---------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--track", type=Path, default=REPO_ROOT / "target/release/track",
                    help="path to the track binary (default: %(default)s)")
    ap.add_argument("--articles", type=int, default=1000, help="number of articles (default: %(default)s)")
    ap.add_argument("--versions", type=int, default=10, help="scrape rounds per article (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "bench-out/ingest",
                    help="output directory; corpus/, track.db and git/ are recreated (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="corpus RNG seed (default: %(default)s)")
    ap.add_argument("--skip-track", action="store_true", help="only generate the corpus (and git)")
    ap.add_argument("--skip-git", action="store_true", help="skip the git comparison")
    args = ap.parse_args(argv)
    if args.articles < 1 or not 1 <= args.versions <= 99:
        ap.error("--articles must be ≥ 1 and --versions in 1..99")
    return args


def clean_out(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("corpus", "git"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    for name in ("track.db", "track.db-wal", "track.db-shm", "results.json"):
        (out / name).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.resolve()
    track = args.track.resolve()
    track_version = None if args.skip_track else check_track(track)  # fail fast, before generating
    clean_out(out)

    print(f"generating corpus: {args.articles} articles x {args.versions} versions -> {out / 'corpus'}",
          file=sys.stderr)
    stats, history = generate_corpus(out, args.articles, args.versions, args.seed)
    print(f"  {stats.files} files, {stats.distinct_versions} distinct versions, "
          f"{mb(stats.total_bytes):.1f} MB in {stats.seconds:.1f} s", file=sys.stderr)

    res: dict = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python3 scripts/bench_ingest.py " + " ".join(
            f"--{k} {getattr(args, k)}" for k in ("articles", "versions", "seed")),
        "seed": args.seed,
        "targets": {"versions_per_s_min": TARGET_VERSIONS_PER_S, "peak_rss_mb_max": TARGET_PEAK_RSS_MB,
                    "store_ratio_track_git_max": TARGET_STORE_RATIO},
        "environment": {"platform": platform.platform(), "cpus": os.cpu_count(),
                        "python": platform.python_version(), "git_version": git_version()},
        "corpus": {k: v for k, v in stats.__dict__.items()},
        "track": None, "git": None, "ratio_track_git": None,
    }

    if not args.skip_track:
        print(f"ingesting with {track}", file=sys.stderr)
        t = bench_track(track, out, args.versions)
        t["track_version"] = track_version
        t["rss_floor_mb"] = rss_floor_mb()
        t["versions_per_s"] = t["versions_stored"] / t["wall_s"] if t["wall_s"] else 0.0
        t["files_per_s"] = stats.files / t["wall_s"] if t["wall_s"] else 0.0
        if t["versions_stored"] != stats.distinct_versions:
            print(f"warning: track stored {t['versions_stored']} versions, expected "
                  f"{stats.distinct_versions} distinct", file=sys.stderr)
        res["track"] = t

    if not args.skip_git:
        print("building git repository (fast-import + gc --aggressive)", file=sys.stderr)
        res["git"] = bench_git(out, history, args.articles)
        print(f"  {res['git']['commits']} commits, {mb(res['git']['store_bytes']):.2f} MB "
              f"in {res['git']['build_gc_s']:.1f} s", file=sys.stderr)

    if res["track"] and res["git"] and res["git"]["store_bytes"]:
        res["ratio_track_git"] = res["track"]["store_bytes"] / res["git"]["store_bytes"]

    (out / "results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report_markdown(res))
    print(f"results written to {out / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
