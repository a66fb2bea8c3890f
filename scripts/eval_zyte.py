#!/usr/bin/env python3
"""Score article extraction on the Zyte article-extraction benchmark (dev data).

The metric is the benchmark's own, as ../shared/data/extraction-zyte/README.md describes it:

- tokens: maximal runs of word characters (Python's `\\w` on a str: `str.isalnum()` or `_`;
  combining marks separate tokens), case kept;
- shingles: every run of 4 tokens (1-3 tokens: one shingle of them all), as a multiset;
- per page: TP = sum min(g, p), FP = sum max(0, p - g), FN = sum max(0, g - p);
  precision 1 if FP = FN = 0, else 0 if TP = FP = 0, else TP / (TP + FP); recall likewise;
- P = mean precision over pages with a predicted shingle, R = mean recall over pages with a gold
  shingle, F1 = 2PR / (P + R) from those means; accuracy = share of pages whose token list equals
  the gold's; `±` = standard deviation over 1,000 bootstrap resamples of the pages (unseeded, as
  the benchmark; the benchmark's evaluate.py prints 1.96 times that, shown as ci95).

`track` is scored through the release binary: every page is decompressed into a scratch folder,
ingested into one scratch store (`track add`, one batch, keyed by the page ID), read back with
`track show --format json ID`, and its title line (the first line, when it equals the JSON's
`title`, with the blank line after it) is dropped, since the gold has no headline.

Usage:
    python3 scripts/eval_zyte.py [--data DIR] [--bin target/release/track] [--worst N]
    python3 scripts/eval_zyte.py --cv          # 5-fold cross-validated figure of the furniture
                                               # classifier (cargo example `furniture`)
    python3 scripts/eval_zyte.py --peers       # also trafilatura, newspaper4k, readability-lxml
                                               # and goose3, from a venv (see --venv)
    python3 scripts/eval_zyte.py --pred-dir D  # score texts already extracted: D/ID.json with
                                               # {"title": ..., "text": ...}

Python 3.11+, stdlib only (the peers run in their own venv, never a dependency of `track`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "extraction-zyte"
DEFAULT_BIN = REPO_ROOT / "target" / "release" / "track"
DEFAULT_VENV = Path("/tmp/zyte-peers-venv")
PEERS = ["trafilatura", "newspaper4k", "readability-lxml", "goose3"]
PEER_PACKAGES = ["trafilatura", "newspaper4k", "readability-lxml", "goose3", "html-text"]

# Python's \w on a str is exactly "isalnum() or _", the benchmark's word character.
TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(toks: list[str], n: int = 4) -> Counter:
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def tp_fp_fn(gold: str, pred: str) -> tuple[int, int, int]:
    g = shingles(tokens(gold))
    p = shingles(tokens(pred))
    tp = fp = fn = 0
    for s in g.keys() | p.keys():
        gc, pc = g.get(s, 0), p.get(s, 0)
        tp += min(gc, pc)
        fp += max(0, pc - gc)
        fn += max(0, gc - pc)
    return tp, fp, fn


def precision(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp: int, fp: int, fn: int) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def aggregate(rows: list[dict]) -> dict:
    ps = [precision(*r["counts"]) for r in rows if r["counts"][0] + r["counts"][1] > 0]
    rs = [recall(*r["counts"]) for r in rows if r["counts"][0] + r["counts"][2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    acc = sum(1 for x in rows if x["exact"]) / len(rows) if rows else 0.0
    return {"precision": p, "recall": r, "f1": f1, "accuracy": acc}


def score(gold: dict[str, str], pred: dict[str, str], n_bootstrap: int) -> tuple[dict, list[dict]]:
    rows = []
    for pid in sorted(gold):
        body = pred.get(pid, "")
        counts = tp_fp_fn(gold[pid], body)
        rows.append(
            {
                "id": pid,
                "counts": counts,
                "exact": tokens(gold[pid]) == tokens(body),
                "p": precision(*counts),
                "r": recall(*counts),
            }
        )
    metrics = aggregate(rows)
    samples: dict[str, list[float]] = {k: [] for k in metrics}
    for _ in range(n_bootstrap):
        sample = [rows[random.randrange(len(rows))] for _ in rows]
        for k, v in aggregate(sample).items():
            samples[k].append(v)
    for k, vs in samples.items():
        metrics[k + "_sd"] = statistics.stdev(vs) if len(vs) > 1 else 0.0
    return metrics, rows


def paired(a: list[dict], b: list[dict], n_bootstrap: int) -> dict[str, float]:
    """Share of bootstrap resamples of the pages (the same pages for both) in which `a` is
    ahead of `b`, per measure: how much an "ahead" on the point estimate is worth."""
    wins = {"precision": 0, "recall": 0, "f1": 0}
    for _ in range(n_bootstrap):
        picks = [random.randrange(len(a)) for _ in a]
        ma, mb = aggregate([a[i] for i in picks]), aggregate([b[i] for i in picks])
        for k in wins:
            wins[k] += ma[k] > mb[k]
    return {k: v / max(1, n_bootstrap) for k, v in wins.items()}


def drop_title(text: str, title: str | None) -> str:
    """The gold has no headline: drop `show`'s title line and the blank line after it."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    if first != title:
        return text
    return rest[1:] if rest.startswith("\n") else rest


def load_gold(data: Path) -> dict[str, str]:
    truth = json.loads((data / "ground-truth.json").read_text("utf8"))
    return {pid: item["articleBody"] for pid, item in truth.items()}


def load_urls(data: Path) -> dict[str, str]:
    truth = json.loads((data / "ground-truth.json").read_text("utf8"))
    return {pid: item.get("url", "") for pid, item in truth.items()}


def page_html(data: Path, pid: str) -> str:
    with gzip.open(data / "html" / f"{pid}.html.gz", "rt", encoding="utf8") as f:
        return f.read()


# ---------------------------------------------------------------------------- track


def run_track(binary: Path, data: Path, ids: list[str]) -> tuple[dict[str, str], float]:
    """Bodies extracted by the release binary, and the wall time of the `add` batch."""
    scratch = Path(tempfile.mkdtemp(prefix="eval-zyte-"))
    try:
        pages = scratch / "pages"
        pages.mkdir()
        for pid in ids:
            with gzip.open(data / "html" / f"{pid}.html.gz", "rb") as f:
                (pages / f"{pid}.html").write_bytes(f.read())
        db = scratch / "track.db"
        base = [str(binary), "--db", str(db)]
        # One batch: without --url the key is the page's canonical URL, else the file stem.
        # Pages sharing a canonical URL would become versions of one article, so those are
        # ingested again one by one under their own ID.
        t0 = time.perf_counter()
        out = subprocess.run(
            base + ["add", "--format", "json", str(pages)],
            capture_output=True,
            text=True,
        )
        add_seconds = time.perf_counter() - t0
        key_of: dict[str, str] = {}
        seen: Counter = Counter()
        for line in out.stdout.splitlines():
            rec = json.loads(line)
            if "input" in rec and "key" in rec:
                pid = Path(rec["input"]).name.removesuffix(".html")
                key_of[pid] = rec["key"]
                seen[rec["key"]] += 1
        for pid in ids:
            if pid not in key_of or seen[key_of[pid]] > 1:
                r = subprocess.run(
                    base + ["add", "--key", pid, "--format", "json", str(pages / f"{pid}.html")],
                    capture_output=True,
                    text=True,
                )
                key_of[pid] = pid if r.returncode == 0 else ""
        bodies = {}
        for pid in ids:
            if not key_of.get(pid):
                bodies[pid] = ""
                continue
            r = subprocess.run(
                base + ["show", "--format", "json", key_of[pid]], capture_output=True, text=True
            )
            if r.returncode != 0:
                bodies[pid] = ""
                continue
            doc = json.loads(r.stdout)
            bodies[pid] = drop_title(doc.get("text") or "", doc.get("title"))
        return bodies, add_seconds
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def read_pred_dir(d: Path, ids: list[str]) -> dict[str, str]:
    bodies = {}
    for pid in ids:
        f = d / f"{pid}.json"
        if not f.exists():
            bodies[pid] = ""
            continue
        doc = json.loads(f.read_text("utf8"))
        bodies[pid] = drop_title(doc.get("text") or "", doc.get("title"))
    return bodies


def run_cv(data: Path, folds: int, extra: list[str]) -> dict[str, str]:
    out = Path(tempfile.mkdtemp(prefix="eval-zyte-cv-"))
    try:
        cmd = [
            "cargo", "run", "--release", "--quiet", "--example", "furniture", "--",
            "cv", "--data", str(data), "--folds", str(folds), "--out", str(out), *extra,
        ]
        subprocess.run(cmd, cwd=REPO_ROOT, check=True)
        return read_pred_dir(out, sorted(load_gold(data)))
    finally:
        shutil.rmtree(out, ignore_errors=True)


# ---------------------------------------------------------------------------- peers


def peer_worker(name: str, data: Path, out: Path) -> None:
    """Runs inside the peers' venv: extract every page as the benchmark's runner does."""
    urls = load_urls(data)
    result = {}
    for pid in sorted(urls):
        html = page_html(data, pid)
        try:
            if name == "trafilatura":
                import trafilatura

                text = trafilatura.extract(html, include_comments=False) or ""
            elif name == "newspaper4k":
                import newspaper

                # No network here: fetching images (for the top image) only waits on timeouts
                # and changes no text.
                art = newspaper.article(urls[pid], input_html=html, fetch_images=False)
                art.parse()
                text = art.text or ""
            elif name == "readability-lxml":
                import html_text
                from readability import Document

                text = html_text.extract_text(Document(html).summary(html_partial=True))
            elif name == "goose3":
                from goose3 import Goose

                text = Goose().extract(raw_html=html).cleaned_text or ""
            else:
                raise SystemExit(f"unknown peer {name}")
        except Exception as e:  # a peer failing on one page scores that page as empty
            print(f"{name}: {pid}: {type(e).__name__}: {e}", file=sys.stderr)
            text = ""
        result[pid] = text
    out.write_text(json.dumps(result, ensure_ascii=False), "utf8")


def peer_version(venv: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    r = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True)
    return r.stdout.strip() or "?"


def run_peers(venv: Path, data: Path, cache: Path, refresh: bool) -> dict[str, tuple[str, dict]]:
    py = venv / "bin" / "python"
    if not py.exists():
        print(f"creating {venv} and installing {' '.join(PEER_PACKAGES)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=False)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=False)
    cache.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in PEERS:
        f = cache / f"{name}.json"
        if refresh or not f.exists():
            t0 = time.perf_counter()
            r = subprocess.run(
                [str(py), __file__, "--peer-worker", name, "--data", str(data), "--out", str(f)],
                capture_output=True,
                text=True,
            )
            if r.returncode != 0 or not f.exists():
                tail = (r.stderr or "").strip().splitlines()[-1:] or ["?"]
                print(f"peer {name} failed: {tail[0]}", file=sys.stderr)
                continue
            print(f"peer {name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        version = peer_version(venv, name)
        results[name] = (version, json.loads(f.read_text("utf8")))
    return results


# ---------------------------------------------------------------------------- report


def fmt(m: dict, key: str) -> str:
    return f"{m[key]:.3f} ± {m[key + '_sd']:.3f}"


def print_table(entries: list[tuple[str, dict]], n_bootstrap: int) -> None:
    print("| extractor | F1 | precision | recall | accuracy |")
    print("|---|---|---|---|---|")
    for name, m in entries:
        print(
            f"| {name} | {fmt(m, 'f1')} | {fmt(m, 'precision')} | {fmt(m, 'recall')} "
            f"| {fmt(m, 'accuracy')} |"
        )
    print(f"\n(± is the bootstrap standard deviation over {n_bootstrap:,} resamples; the benchmark's")
    print("evaluate.py prints 1.96 times it.)")


def print_worst(rows: list[dict], bodies: dict[str, str], gold: dict[str, str], n: int) -> None:
    def show_extra(pid: str) -> None:
        g = shingles(tokens(gold[pid]))
        for para in bodies[pid].split("\n"):
            sh = shingles(tokens(para))
            if not sh:
                continue
            miss = sum(c for s, c in sh.items() if s not in g)
            if miss / sum(sh.values()) > 0.5:
                print(f"      + {para[:150]}")

    def show_missing(pid: str) -> None:
        p = shingles(tokens(bodies[pid]))
        for para in gold[pid].split("\n"):
            sh = shingles(tokens(para))
            if not sh:
                continue
            miss = sum(c for s, c in sh.items() if s not in p)
            if miss / sum(sh.values()) > 0.5:
                print(f"      - {para[:150]}")

    print(f"\nWorst {n} by precision (+ kept text mostly not in the gold):")
    for row in sorted(rows, key=lambda r: r["p"])[:n]:
        print(f"  {row['id'][:16]} P {row['p']:.3f} R {row['r']:.3f}")
        show_extra(row["id"])
    print(f"\nWorst {n} by recall (- gold text mostly missing):")
    for row in sorted(rows, key=lambda r: r["r"])[:n]:
        print(f"  {row['id'][:16]} P {row['p']:.3f} R {row['r']:.3f}")
        show_missing(row["id"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder (default: %(default)s)")
    ap.add_argument("--bin", type=Path, default=DEFAULT_BIN, help="track binary (default: %(default)s)")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list the N worst pages by P and by R (of the CV run with --cv)")
    ap.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    ap.add_argument("--cv", action="store_true", help="also the k-fold cross-validated figure (cargo example)")
    ap.add_argument("--folds", type=int, default=5, help="folds for --cv (default: 5)")
    ap.add_argument("--cv-args", default="", help="more options for the example's cv (e.g. '--hidden 8')")
    ap.add_argument("--no-track", action="store_true", help="skip scoring the track binary")
    ap.add_argument("--pred-dir", type=Path, help="also score DIR/ID.json ({title, text}) files")
    ap.add_argument("--peers", action="store_true", help="also score the Python peers (venv)")
    ap.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="peers' venv (default: %(default)s)")
    ap.add_argument("--peers-refresh", action="store_true", help="re-run the peers, ignoring cached output")
    ap.add_argument("--dump", type=Path, help="write track's scored bodies to DIR/ID.txt")
    ap.add_argument("--json", type=Path, help="write all figures as JSON")
    ap.add_argument("--peer-worker", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.peer_worker:
        peer_worker(args.peer_worker, args.data, args.out)
        return

    gold = load_gold(args.data)
    ids = sorted(gold)
    entries: list[tuple[str, dict]] = []
    headline_rows: list[dict] | None = None
    peer_rows: list[tuple[str, list[dict]]] = []
    if not args.no_track:
        bodies, add_s = run_track(args.bin, args.data, ids)
        m, rows = score(gold, bodies, args.bootstrap)
        version = subprocess.run([str(args.bin), "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{version}: {len(ids)} pages, `add` batch {add_s:.2f} s ({len(ids) / add_s:.0f} pages/s)")
        entries.append(("track (release binary, final model: in-sample)", m))
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            for pid, b in bodies.items():
                (args.dump / f"{pid}.txt").write_text(b, "utf8")
        if args.worst and not args.cv:
            print_worst(rows, bodies, gold, args.worst)
            print()
    if args.cv:
        cv_bodies = run_cv(args.data, args.folds, args.cv_args.split())
        m, rows = score(gold, cv_bodies, args.bootstrap)
        entries.append((f"track ({args.folds}-fold CV by page: headline)", m))
        headline_rows = rows
        if args.worst:
            print("Cross-validated:")
            print_worst(rows, cv_bodies, gold, args.worst)
            print()
    if args.pred_dir:
        m, rows = score(gold, read_pred_dir(args.pred_dir, ids), args.bootstrap)
        entries.append((f"predictions in {args.pred_dir}", m))
        headline_rows = headline_rows or rows
    if args.peers:
        cache = Path(tempfile.gettempdir()) / "zyte-peers-out"
        for name, (version, texts) in run_peers(args.venv, args.data, cache, args.peers_refresh).items():
            m, rows = score(gold, texts, args.bootstrap)
            entries.append((f"{name} {version}", m))
            peer_rows.append((f"{name} {version}", rows))
    print_table(entries, args.bootstrap)
    if headline_rows and peer_rows:
        print()
        print("Paired bootstrap (the same resampled pages for both): share of resamples in which")
        print("the cross-validated track (or the --pred-dir texts) is ahead of the peer:")
        print()
        print("| peer | precision | recall | F1 |")
        print("|---|---|---|---|")
        for name, rows in peer_rows:
            w = paired(headline_rows, rows, args.bootstrap)
            print(f"| {name} | {w['precision']:.3f} | {w['recall']:.3f} | {w['f1']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(dict(entries), indent=2), "utf8")


if __name__ == "__main__":
    main()
