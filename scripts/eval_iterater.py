#!/usr/bin/env python3
"""Versions-mode precision measured on IteraTeR news (real Wikinews edits with human intents).

Each edit of `edits.jsonl` is one sentence before and after one edit, labelled with why the editor
made it (`meaning-changed`, `clarity`, `fluency`, `coherence`, `style`). Every edit goes through
`track` exactly as a user would run it: `before` is added as version 1 of a key, `after` as version
2 of the same key (two `track add` passes over a folder of files named by key), then
`track diff KEY@1 KEY@2 --format json`. The edit is flagged when a claim row is `changed`, `added`
or `removed` (`reworded` is not a flag); flagged edits are compared with the `meaning-changed`
ones. Edits whose `after` is empty cannot be a version and are left out (as the data's README
says). An `after` that only differs in what normalisation ignores (whitespace) makes no version 2:
the edit is counted as not flagged.

Reports precision / recall / F1 of the flag (and of `changed` rows alone), the confusion by
intent, and with `--errors N` examples of false positives and false negatives.

Flagged rows carry a `confidence` (the probability the row reflects a change of meaning, from
`src/claims/versions_model.json`), and human outputs show only rows from the model's
`min_confidence` up. The committed model was trained on this very data, so its figures here are
in-sample (optimistic); the honest ones are out-of-fold: the script runs
`target/release/examples/versions_model cv --oof FILE` (5-fold cross-validation by document, the
threshold chosen inside each training part; build it with `cargo build --release --example
versions_model`) and reports precision / recall of the rows shown by default and of `changed`
rows shown, the calibration error (ECE, 10 bins, over flagged rows), the spread over five fold
assignments, and whether the example's rows are the CLI's.

The data is read from ../shared/data/iterater-news-dev/ (never copied into the repository).

Usage:
    python3 scripts/eval_iterater.py [--data DIR] [--track target/release/track]
        [--jobs N]     # parallel `track diff` calls (default: CPU count)
        [--errors N]   # print N false positives and N false negatives
        [--seed S]     # which examples --errors picks (default: the first ones)
        [--dump FILE]  # every edit with its `track diff` report, as JSON lines
        [--cv target/release/examples/versions_model]  # the out-of-fold run ('' skips it)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
POSITIVE = "meaning-changed"
FLAGS = {"changed", "added", "removed"}
INTENTS = ["meaning-changed", "clarity", "fluency", "coherence", "style", "others"]


def key_of(edit: dict) -> str:
    return "e-" + edit["id"]


def diff(track: Path, db: Path, key: str) -> dict | None:
    """The JSON report of `track diff KEY@1 KEY@2`, or None when there is no version 2."""
    proc = subprocess.run(
        [str(track), "--db", str(db), "diff", f"{key}@1", f"{key}@2", "--format", "json"],
        capture_output=True, text=True,
    )
    if proc.returncode == 2 and "version" in proc.stderr.lower():
        return None
    if proc.returncode not in (0, 1):
        sys.exit(f"track diff {key} failed ({proc.returncode}): {proc.stderr}")
    return json.loads(proc.stdout)


def versions(track: Path, db: Path, key: str) -> int:
    proc = subprocess.run([str(track), "--db", str(db), "log", key, "--format", "json"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"track log {key} failed: {proc.stderr}")
    return len(json.loads(proc.stdout))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def ece(items: list[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error: per equal-width bin, |mean confidence - rate|, weighted."""
    acc = [[0, 0.0, 0] for _ in range(bins)]
    for q, y in items:
        b = acc[min(int(q * bins), bins - 1)]
        b[0] += 1
        b[1] += q
        b[2] += int(y)
    n = max(1, len(items))
    return sum(c / n * abs(sq / c - sy / c) for c, sq, sy in acc if c)


def ece_floor(confidences: list[float], draws: int = 2000) -> tuple[float, float]:
    """The ECE a perfectly calibrated model would show on rows with these confidences (labels
    drawn from them; fixed seed): its mean, and how often it is at most 0.05. On a hundred-odd
    rows the bins' sampling noise alone is about the size of the issue's target."""
    rng = random.Random(0)
    runs = [ece([(q, rng.random() < q) for q in confidences]) for _ in range(draws)]
    return sum(runs) / draws, sum(1 for e in runs if e <= 0.05) / draws


def out_of_fold(cv: Path, data: Path) -> tuple[dict[str, dict], str]:
    """The example's out-of-fold rows per edit id, and its summary line."""
    with tempfile.TemporaryDirectory() as tmp:
        oof = Path(tmp) / "oof.jsonl"
        proc = subprocess.run([str(cv), "cv", "--data", str(data), "--oof", str(oof)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"{cv} failed: {proc.stderr}")
        with oof.open(encoding="utf-8") as f:
            rows = {r["id"]: r for r in map(json.loads, f)}
    summary = [l for l in proc.stdout.splitlines() if l.startswith("out-of-fold")]
    return rows, summary[0] if summary else ""


def rows_of(report: dict | None) -> list[tuple[str, list[tuple[str, str]]]]:
    if report is None:
        return []
    return [(c["status"], [(ch["slot"], ch["kind"]) for ch in c.get("changes", [])])
            for c in report["claims"] if c["status"] != "unchanged"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path,
                    default=REPO_ROOT.parent / "shared" / "data" / "iterater-news-dev")
    ap.add_argument("--track", type=Path, default=REPO_ROOT / "target" / "release" / "track")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--dump", type=Path, help="write every edit with its intent and `track diff` report as JSON lines")
    ap.add_argument("--cv", default=str(REPO_ROOT / "target" / "release" / "examples" / "versions_model"),
                    help="the versions_model example, run for out-of-fold figures ('' skips them)")
    args = ap.parse_args()
    edits_path = args.data / "edits.jsonl"
    if not edits_path.is_file():
        sys.exit(f"{edits_path} not found (the data lives in ../shared/data/iterater-news-dev/)")
    if not args.track.is_file():
        sys.exit(f"{args.track} not found: run `cargo build --release` first")
    with edits_path.open(encoding="utf-8") as f:
        every = [json.loads(line) for line in f if line.strip()]
    edits = [e for e in every if e["after"].strip()]

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "track.db"
        for side in ("before", "after"):
            folder = tmp / side
            folder.mkdir()
            for e in edits:
                (folder / f"{key_of(e)}.txt").write_text(e[side] + "\n", encoding="utf-8")
            add = subprocess.run([str(args.track), "--db", str(db), "add", str(folder)],
                                 capture_output=True, text=True)
            if add.returncode != 0:
                sys.exit(f"track add {side} failed: {add.stderr}")
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            counts = list(pool.map(lambda e: versions(args.track, db, key_of(e)), edits))
            reports = list(pool.map(
                lambda ec: diff(args.track, db, key_of(ec[0])) if ec[1] >= 2 else None,
                zip(edits, counts)))
    elapsed = time.perf_counter() - started

    gold = [e["intent"] == POSITIVE for e in edits]
    rows = [rows_of(r) for r in reports]
    flagged = [any(s in FLAGS for s, _ in rs) for rs in rows]
    changed = [any(s == "changed" for s, _ in rs) for rs in rows]

    def scores(pred: list[bool]) -> tuple[int, int, int, float, float, float]:
        tp = sum(1 for g, p in zip(gold, pred) if g and p)
        fp = sum(1 for g, p in zip(gold, pred) if not g and p)
        fn = sum(1 for g, p in zip(gold, pred) if g and not p)
        return (tp, fp, fn, *prf(tp, fp, fn))

    def table(preds: tuple[tuple[str, list[bool]], ...]) -> None:
        print("| prediction | TP | FP | FN | precision | recall | F1 |")
        print("|---|---|---|---|---|---|---|")
        for name, pred in preds:
            tp, fp, fn, p, r, f = scores(pred)
            print(f"| {name} | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {f:.3f} |")

    print(f"## Versions mode on IteraTeR news (dev half) — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(f"`python3 scripts/eval_iterater.py` — {len(edits)} edits ({len(every) - len(edits)} with an "
          f"empty `after` left out; {sum(1 for c in counts if c < 2)} made no version 2) in "
          f"{elapsed:.1f} s, every edit through `track add` ×2 + `track diff K@1 K@2 --format json`.\n")
    table((("flagged (changed/added/removed)", flagged), ("changed rows alone", changed)))
    base = sum(gold) / len(gold)
    print(f"\nBase rate (meaning-changed): {sum(gold)} / {len(gold)} = {base:.3f}.\n")

    # Rows shown by default: flagged rows from the committed model's threshold up.
    model = json.loads((REPO_ROOT / "src" / "claims" / "versions_model.json").read_text())
    threshold = model["min_confidence"]
    conf = [[(c["status"], c.get("confidence")) for c in (r or {}).get("claims", [])
             if c["status"] in FLAGS] for r in reports]
    missing = sum(1 for cs in conf for _, q in cs if q is None)
    shown = [any(q is not None and q >= threshold for _, q in cs) for cs in conf]
    shown_changed = [any(st == "changed" and q is not None and q >= threshold for st, q in cs)
                     for cs in conf]
    in_sample = [(q, g) for cs, g in zip(conf, gold) for _, q in cs if q is not None]
    print(f"Rows shown by default (confidence ≥ {threshold:.3f}, the committed model's "
          f"`min_confidence`; {missing} flagged rows without a confidence). **In-sample**: the "
          "committed model was trained on these edits.\n")
    table((("shown (changed/added/removed)", shown), ("changed rows shown", shown_changed)))
    print(f"\nCalibration (in-sample) over {len(in_sample)} flagged rows: ECE {ece(in_sample):.3f}.\n")

    if args.cv:
        cv = Path(args.cv)
        if not cv.is_file():
            print(f"Out-of-fold figures skipped: {cv} not found (`cargo build --release --example "
                  "versions_model`).\n")
        else:
            oof, summary = out_of_fold(cv, args.data)
            # The example compares through the library; its rows must be the CLI's.
            agree = sum(1 for e, cs in zip(edits, conf)
                        if [st for st, _ in cs] == [r["status"] for r in oof.get(e["id"], {}).get("rows", [])])
            o_rows = [oof.get(e["id"], {}).get("rows", []) for e in edits]
            o_shown = [any(r["shown"] for r in rs) for rs in o_rows]
            o_changed = [any(r["shown"] and r["status"] == "changed" for r in rs) for rs in o_rows]
            o_items = [(r["confidence"], g) for rs, g in zip(o_rows, gold) for r in rs]
            print(f"**Out-of-fold** (`{cv.relative_to(REPO_ROOT) if cv.is_relative_to(REPO_ROOT) else cv} "
                  "cv`: 5-fold cross-validation by document, salt 0; each fold's threshold chosen "
                  f"inside its training part). The example's flagged rows are the CLI's for {agree} of "
                  f"{len(edits)} edits.\n")
            table((("shown (changed/added/removed)", o_shown), ("changed rows shown", o_changed)))
            floor, lucky = ece_floor([q for q, _ in o_items])
            print(f"\nCalibration (out-of-fold) over {len(o_items)} flagged rows: ECE {ece(o_items):.3f} "
                  f"(a perfectly calibrated model with these confidences: {floor:.3f} on average, "
                  f"≤ 0.05 in {lucky:.0%} of draws).")
            print(f"Spread: {summary}.\n")

    print("Confusion by intent (what the edit's rows were):\n")
    print("| intent | edits | flagged | changed | added/removed only | reworded only | nothing |")
    print("|---|---|---|---|---|---|---|")
    for intent in INTENTS:
        idx = [i for i, e in enumerate(edits) if e["intent"] == intent]
        if not idx:
            continue
        n_flag = sum(1 for i in idx if flagged[i])
        n_changed = sum(1 for i in idx if changed[i])
        n_ar = sum(1 for i in idx if flagged[i] and not changed[i])
        n_rew = sum(1 for i in idx if not flagged[i] and any(s == "reworded" for s, _ in rows[i]))
        n_none = len(idx) - n_flag - n_rew
        print(f"| {intent} | {len(idx)} | {n_flag} ({n_flag / len(idx):.0%}) | {n_changed} | "
              f"{n_ar} | {n_rew} | {n_none} |")

    # What the flags are made of: an edit whose flagged rows only take something out (a
    # removed claim, a slot removed) against one that adds or changes something. Annotators
    # call many deletions "clarity" (more concise); the split shows how much that weighs.
    def direction(rs: list[tuple[str, list[tuple[str, str]]]]) -> str:
        removal = all(s == "removed" or (s == "changed" and chs and all(k == "removed" for _, k in chs))
                      for s, chs in rs if s in FLAGS)
        return "removal only" if removal else "adds or changes"

    print("\nFlags by direction:\n")
    print("| flagged rows | meaning-changed | other intents | precision |")
    print("|---|---|---|---|")
    for d in ("adds or changes", "removal only"):
        idx = [i for i in range(len(edits)) if flagged[i] and direction(rows[i]) == d]
        tp = sum(1 for i in idx if gold[i])
        print(f"| {d} | {tp} | {len(idx) - tp} | {tp / len(idx) if idx else 0:.3f} |")

    kinds = Counter()
    for i, rs in enumerate(rows):
        if flagged[i] and not gold[i]:
            for s, chs in rs:
                if s in FLAGS:
                    kinds[(s, tuple(sorted(set(chs))))] += 1
    if kinds:
        print("\nWhat the false positives' flagged rows were (status, slot changes):\n")
        for (s, chs), n in kinds.most_common(12):
            print(f"- {n} × {s} {', '.join(f'{a}/{b}' for a, b in chs) or '(no slot)'}")

    if args.dump:
        with args.dump.open("w", encoding="utf-8") as f:
            for e, report, flag in zip(edits, reports, flagged):
                f.write(json.dumps({**e, "flagged": flag, "report": report}, ensure_ascii=False) + "\n")
    if args.errors:
        rng = random.Random(args.seed)
        for label, want_gold, want_pred in (("false positive", False, True),
                                            ("false negative", True, False)):
            pool_ = [i for i in range(len(edits)) if gold[i] == want_gold and flagged[i] == want_pred]
            if args.seed is not None:
                rng.shuffle(pool_)
            for i in pool_[: args.errors]:
                e = edits[i]
                print(f"\n[{label}: {e['intent']}] {e['id']}\n  - {e['before'].strip()}\n  + "
                      f"{e['after'].strip()}\n  rows: {rows[i]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
