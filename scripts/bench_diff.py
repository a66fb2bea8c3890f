#!/usr/bin/env python3
"""Diff benchmark for `track`: end-to-end `track diff` on a long article, against git.

What it measures
----------------
Two versions of a ~10,000-word Arabic article (the ingest benchmark's generator): version 2
has 5% of its sentences edited (a number changed or a word replaced) and a few paragraphs
moved. Both are ingested into a fresh store; then, each run being a whole process:

* `track diff KEY@1 KEY@2` (term, no colour; and json), end to end: start-up, opening the
  store, reading both versions (delta chains decoded), segmentation, alignment, word diffs,
  rendering;
* `git diff --no-index --word-diff a.txt b.txt` on the same two texts, which does less (no
  sentence alignment, no moves, no orthographic analysis).

Reports the median and the 90th percentile of N runs and the ratio track/git.
Target: `track diff` <= 20 ms end to end, and faster than git.

Usage:
    python3 scripts/bench_diff.py [--track target/release/track] [--runs 50] [--words 10000] [--seed 1]
        [--first]   # also the first diff of the pair: the cached comparison deleted before each
                    # run (each version's analyses stay cached, as after any earlier diff or
                    # `track reanalyse`)
        [--cold]    # also a diff right after `track add`: each run on a fresh copy of the store
                    # as `add` left it (nothing analysed, nothing compared)
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest as corpus  # noqa: E402  (same folder: the article generator)

REPO_ROOT = Path(__file__).resolve().parent.parent


def make_versions(words: int, seed: int) -> tuple[str, str, dict]:
    """Version 1 of ~`words` words, and version 2 with 5% of sentences edited and 3 paragraphs moved."""
    rng = random.Random(seed)
    writer = corpus.Writer(rng, corpus.load_vocabulary(rng))
    writer.topic = writer.vocab.sample(rng, 40)
    art = corpus.Article(" ".join(writer.words(10)), [])
    while sum(len(s.split()) for p in art.paragraphs for s in p) < words:
        art.paragraphs.append([writer.sentence() for _ in range(rng.randint(2, 5))])
    v1 = art.render()
    v2 = art.copy()
    spots = [(p, s) for p, para in enumerate(v2.paragraphs) for s in range(len(para))]
    edited = rng.sample(spots, k=max(1, len(spots) * 5 // 100))
    for p, s in edited:
        tokens = v2.paragraphs[p][s].split(" ")
        i = rng.randrange(len(tokens) - 1)
        tokens[i] = str(rng.randint(2, 9999)) if rng.random() < 0.5 else writer.words(1)[0]
        v2.paragraphs[p][s] = " ".join(tokens)
    for _ in range(3):
        para = v2.paragraphs.pop(rng.randrange(len(v2.paragraphs)))
        v2.paragraphs.insert(rng.randrange(len(v2.paragraphs)), para)
    stats = {
        "words": len(v1.split()),
        "sentences": len(spots),
        "edited_sentences": len(edited),
        "moved_paragraphs": 3,
        "bytes": len(v1.encode()),
    }
    return v1, v2.render(), stats


def time_runs(cmd: list[str], runs: int, ok_codes: tuple[int, ...], before=None) -> list[float]:
    """Wall-clock milliseconds of `runs` executions (after one warm-up run); `before` runs
    untimed before each."""
    out = []
    for i in range(runs + 1):
        if before is not None:
            before()
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode not in ok_codes:
            sys.exit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
        if i > 0:
            out.append(elapsed)
    return out


def summary(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.9))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--track", type=Path, default=REPO_ROOT / "target" / "release" / "track")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", action="store_true", help="also time the first diff of the pair")
    ap.add_argument("--cold", action="store_true", help="also time a diff right after add (fresh store copy)")
    args = ap.parse_args()
    if not args.track.is_file():
        sys.exit(f"{args.track} not found: run `cargo build --release` first")
    if shutil.which("git") is None:
        sys.exit("git not found")

    v1, v2, stats = make_versions(args.words, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        a, b, db = tmp / "a.txt", tmp / "b.txt", tmp / "track.db"
        a.write_text(v1, encoding="utf-8")
        b.write_text(v2, encoding="utf-8")
        for f in (a, b):
            subprocess.run([str(args.track), "--db", str(db), "add", "--key", "long", str(f)], check=True,
                           stdout=subprocess.DEVNULL)
        # The store as `add` left it, for --cold (`add` folds its write-ahead log in).
        as_added = tmp / "as-added.db"
        shutil.copyfile(db, as_added)
        counts = subprocess.run([str(args.track), "--db", str(db), "diff", "--format", "json", "long@1", "long@2"],
                                capture_output=True, text=True)
        import json
        found = json.loads(counts.stdout)["counts"]

        base = [str(args.track), "--db", str(db), "diff", "long@1", "long@2"]
        track_term = time_runs(base + ["--color", "never"], args.runs, (0, 1))
        track_json = time_runs(base + ["--format", "json"], args.runs, (0, 1))
        git = time_runs(["git", "diff", "--no-index", "--word-diff", str(a), str(b)], args.runs, (0, 1))
        git_cmd = ["git", "diff", "--no-index", "--word-diff", str(a), str(b)]

        def beside_git(cmd: list[str], before) -> tuple[list[float], list[float]]:
            """Interleaved with git, round by round: the machine's speed drifts faster than one
            block of runs takes."""
            ours, theirs = [], []
            for _ in range(args.runs):
                ours += time_runs(cmd, 1, (0, 1), before)[-1:]
                theirs += time_runs(git_cmd, 1, (0, 1))[-1:]
            return ours, theirs

        # (label, track's times, git's times beside them)
        interleaved = []
        if args.first:
            import sqlite3

            def forget_comparison() -> None:
                con = sqlite3.connect(db)
                con.execute("DELETE FROM comparisons")
                con.commit()
                con.close()

            interleaved.append(("first diff of the pair (term; comparison not cached)", "first diff",
                                *beside_git(base + ["--color", "never"], forget_comparison)))
        if args.cold:
            cold_db = tmp / "cold.db"

            def fresh_store() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{cold_db}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(as_added, cold_db)

            cold_cmd = [str(args.track), "--db", str(cold_db), "diff", "long@1", "long@2", "--color", "never"]
            interleaved.append(("diff right after add (term; nothing analysed or cached)", "diff after add",
                                *beside_git(cold_cmd, fresh_store)))

    t_med, t_p90 = summary(track_term)
    j_med, j_p90 = summary(track_json)
    g_med, g_p90 = summary(git)
    print(f"## Diff benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(f"`python3 scripts/bench_diff.py --runs {args.runs} --words {args.words} --seed {args.seed}`\n")
    print(f"Article: {stats['words']:,} words, {stats['sentences']} sentences, {stats['bytes']:,} bytes; "
          f"version 2: {stats['edited_sentences']} sentences edited, {stats['moved_paragraphs']} paragraphs moved. "
          f"track found: {found}.\n")
    print("| command (whole process, warm cache) | median ms | p90 ms |")
    print("|---|---|---|")
    print(f"| `track diff long@1 long@2` (term) | {t_med:.1f} | {t_p90:.1f} |")
    print(f"| `track diff --format json long@1 long@2` | {j_med:.1f} | {j_p90:.1f} |")
    print(f"| `git diff --no-index --word-diff a.txt b.txt` | {g_med:.1f} | {g_p90:.1f} |")
    ratios = []
    for label, short, ours, theirs in interleaved:
        o_med, o_p90 = summary(ours)
        t_med2, t_p902 = summary(theirs)
        print(f"| {label} | {o_med:.1f} | {o_p90:.1f} |")
        print(f"| git, each run beside a {short} | {t_med2:.1f} | {t_p902:.1f} |")
        ratios.append(f"{short}/git (medians, interleaved): {o_med / t_med2:.2f}")
    for line in ratios:
        print(f"\n{line}")
    verdict = "✅" if t_med <= 20 else "❌"
    print(f"\ntrack/git (median): {t_med / g_med:.2f}; target ≤ 20 ms end to end: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
