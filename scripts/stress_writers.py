#!/usr/bin/env python3
"""Stress test: several `track add` writers and reader loops on one store at once.

What it does
------------
1. Writes, for each of W writers, two folders of K HTML articles (~6 KB) (round 1 and
   round 2).  Writers overlap: writer w covers the keys w*K/2 .. w*K/2+K-1, so every key
   is written by two writers.  Round 1 text depends on the key only (the second writer
   sees it unchanged); round 2 text depends on the key and the writer (new versions).
2. Starts the W writers at once, each running ``track add DIR1`` then ``track add DIR2``,
   and R reader loops running ``track verify`` and ``track list --format json`` until the
   writers are done.
3. Checks: every process exited 0 (no "database is locked"), each article's version
   numbers are 1..n without gaps (read with Python's sqlite3), every article has at least
   one version, and a final ``track verify`` is clean.
4. Prints writers, keys, seconds, reader runs and errors; exits 1 on any error.

Usage:
    python3 scripts/stress_writers.py [--track target/release/track] [--writers 8]
        [--keys 2000] [--readers 2] [--out DIR]

Python 3.8+, stdlib only.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

SENTENCES = [
    "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد المحلي.",
    "وقال المتحدث باسم الوزارة إن الإجراءات ستبدأ الشهر المقبل.",
    "The ministry said the measures would start next month.",
    "وأضاف أن الميزانية المخصصة تبلغ ملايين الدولارات.",
    "Analysts expect the plan to be debated in parliament.",
]


def article_html(key: int, round_: int, writer: int) -> str:
    """A ~6 KB HTML page, like a real scrape."""
    paras = []
    for i in range(12):
        words = " ".join(SENTENCES[(key + i + j) % len(SENTENCES)] for j in range(3))
        paras.append(f"<p>{words} ({key}-{i})</p>")
    if round_ == 2:
        paras.insert(3, f"<p>Update from writer {writer}: figure {key * 7 + writer}.</p>")
    return (
        '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>Article {key}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Article {key}</h1>{''.join(paras)}</article>"
        "<footer>Footer text</footer></body></html>\n"
    )


def write_corpus(root: Path, writers: int, keys: int) -> list[tuple[Path, Path]]:
    dirs = []
    for w in range(writers):
        pair = []
        for round_ in (1, 2):
            d = root / f"w{w}" / f"r{round_}"
            d.mkdir(parents=True)
            for i in range(keys):
                key = w * keys // 2 + i
                (d / f"k{key:06d}.html").write_text(
                    article_html(key, round_, w), encoding="utf-8"
                )
            pair.append(d)
        dirs.append((pair[0], pair[1]))
    return dirs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--track", default=str(REPO_ROOT / "target" / "release" / "track"))
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--keys", type=int, default=2000)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--out", help="work folder (default: a temporary one, removed)")
    args = ap.parse_args()

    track = str(Path(args.track).resolve())
    if not Path(track).is_file():
        print(f"{track}: no track binary (cargo build --release)", file=sys.stderr)
        return 2
    tmp = None
    if args.out:
        root = Path(args.out)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="track-stress-")
        root = Path(tmp.name)
    db = root / "track.db"
    dirs = write_corpus(root / "corpus", args.writers, args.keys)

    errors: list[str] = []
    lock = threading.Lock()

    def run(argv: list[str], who: str) -> int:
        p = subprocess.run(
            [track, "--db", str(db), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if p.returncode != 0:
            last = (p.stderr.strip().splitlines() or p.stdout.strip().splitlines() or [""])[-1]
            with lock:
                errors.append(f"{who}: `track {' '.join(argv[:1])}` exit {p.returncode}: {last}")
        return p.returncode

    finished = [0.0] * args.writers

    def writer(w: int, r1: Path, r2: Path) -> None:
        if run(["add", str(r1)], f"writer {w}") == 0:
            run(["add", str(r2)], f"writer {w}")
        finished[w] = time.monotonic() - started

    done = threading.Event()
    reader_runs = [0] * args.readers

    def reader(n: int) -> None:
        while not done.is_set():
            run(["verify"], f"reader {n} verify")
            run(["list", "--format", "json"], f"reader {n} list")
            reader_runs[n] += 1

    # The store exists before the readers start: reading commands refuse a missing one.
    seed = root / "seed.txt"
    seed.write_text("The store's first article.\n", encoding="utf-8")
    if run(["add", str(seed)], "seed") != 0:
        print("\n".join(errors), file=sys.stderr)
        return 1
    started = time.monotonic()
    readers = [threading.Thread(target=reader, args=(n,)) for n in range(args.readers)]
    writers = [
        threading.Thread(target=writer, args=(w, r1, r2)) for w, (r1, r2) in enumerate(dirs)
    ]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    seconds = time.monotonic() - started
    done.set()
    for t in readers:
        t.join()

    # Versions contiguous, every key present.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT a.key, group_concat(v.number) FROM articles a "
        "LEFT JOIN versions v ON v.article_id = a.id GROUP BY a.id"
    ).fetchall()
    conn.close()
    expected_keys = (args.writers - 1) * args.keys // 2 + args.keys + 1  # + seed
    if len(rows) != expected_keys:
        errors.append(f"{len(rows)} articles stored, expected {expected_keys}")
    versions = 0
    for key, numbers in rows:
        nums = sorted(int(n) for n in (numbers or "").split(",") if n)
        versions += len(nums)
        if nums != list(range(1, len(nums) + 1)) or not nums:
            errors.append(f"{key}: versions {nums} are not 1..n")
    run(["verify"], "final verify")

    print(f"writers:  {args.writers} (each: add {args.keys} files, then add {args.keys} more)")
    print(f"keys:     {expected_keys} articles, {versions} versions")
    print(f"readers:  {args.readers} loops, {sum(reader_runs)} rounds of verify + list")
    print(f"seconds:  {seconds:.1f} (writers done after {min(finished):.1f} .. {max(finished):.1f} s)")
    print(f"errors:   {len(errors)}")
    for e in errors[:20]:
        print(f"  {e}")
    if tmp is not None:
        tmp.cleanup()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
