#!/usr/bin/env python3
"""Monitoring benchmark for `track`: `track check --all` over N URL sources served locally.

What it measures
----------------
1. Generates N deterministic synthetic Arabic article pages (the ingest benchmark's
   generator, ~6 KB of text each, wrapped in a news-site page with navigation, a sidebar and
   a footer, ~9 KB of HTML) and serves them from 127.0.0.1 with a threaded Python HTTP server
   (HTTP/1.1 keep-alive) running inside this script.
2. Writes a sources file with N `url` sources (`every = "15m"`) and runs three passes of
   `track check --all`, each a whole process measured through a small wrapper process (wait4
   rusage of that child only, as in bench_ingest.py):
   * pass 1: every page is new (N new articles);
   * pass 2: a fraction of the pages (default 10%) has a number edited: that many new versions
     and events; the rest are fetched in full and found unchanged. From this pass on the server
     sends an ETag;
   * pass 3: every request is conditional (If-None-Match) and answered 304 Not Modified.
3. Reports, per pass, wall time, sources/s, peak RSS of the track process and events raised,
   and prints a Markdown section; with --append FILE it appends that section to FILE.

Targets: >= 200 sources/s, peak RSS < 150 MB.

Note: the server runs in this (Python) process and shares the machine's cores with track, so
the rates include serving the pages.

Usage:
    python3 scripts/bench_check.py [--track target/release/track] [--sources 1000]
        [--edited 0.1] [--workers 8] [--seed 1] [--out DIR] [--append BENCHMARKS.md]

Python 3.11+, stdlib only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import platform
import random
import shutil
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest as corpus  # noqa: E402  (same folder: the article generator, run_child)

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_SOURCES_PER_S = 200
TARGET_PEAK_RSS_MB = 150


def render_page(title: str, paragraphs: list[list[str]], i: int) -> bytes:
    """A news-site page around the article: what extraction has to cut through."""
    nav = "".join(f'<li><a href="/section/{k}">قسم {k}</a></li>' for k in range(12))
    side = "".join(f'<li><a href="/a/{(i + k) % 997}">خبر ذو صلة رقم {k}</a></li>' for k in range(8))
    body = "\n".join(f"<p>{html.escape(' '.join(p))}</p>" for p in paragraphs)
    return (
        '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} | الموقع</title>"
        f'<link rel="canonical" href="/a/{i}"></head><body>'
        f'<header><ul class="nav">{nav}</ul></header>'
        f'<main><article><h1>{html.escape(title)}</h1><div class="byline">بقلم مراسل الموقع</div>\n'
        f"{body}</article>"
        f'<aside><h3>اقرأ أيضاً</h3><ul>{side}</ul></aside></main>'
        "<footer><p>جميع الحقوق محفوظة ٢٠٢٥</p></footer></body></html>"
    ).encode("utf-8")


def make_pages(n: int, seed: int, edited: float) -> tuple[list[bytes], list[bytes], int]:
    """Version 1 of every page, version 2 (a number edited in `edited` of them), edits made."""
    rng = random.Random(seed)
    vocab = corpus.load_vocabulary(rng)
    seeds = [rng.getrandbits(64) for _ in range(n)]
    changed = set(rng.sample(range(n), k=round(n * edited)))
    v1, v2 = [], []
    for i in range(n):
        arng = random.Random(seeds[i])
        writer = corpus.Writer(arng, vocab)
        writer.topic = vocab.sample(arng, 30)
        art = writer.article(arng.randint(corpus.TARGET_BYTES - 1000, corpus.TARGET_BYTES + 1000))
        v1.append(render_page(art.title, art.paragraphs, i))
        if i in changed:
            new = art.copy()
            while new.render() == art.render():
                corpus.edit_number(writer, new)
            v2.append(render_page(new.title, new.paragraphs, i))
        else:
            v2.append(v1[-1])
    return v1, v2, len(changed)


class Site:
    """The pages being served, switchable between passes."""

    def __init__(self, pages: list[bytes]):
        self.pages = pages
        self.etags = False
        self.requests = 0
        self.not_modified = 0
        self.lock = threading.Lock()


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: track's agent reuses connections

        def do_GET(self):  # noqa: N802 (http.server's naming)
            with site.lock:
                site.requests += 1
            try:
                i = int(self.path.rsplit("/", 1)[1])
                body = site.pages[i]
            except (ValueError, IndexError):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
            if site.etags and self.headers.get("If-None-Match") == etag:
                with site.lock:
                    site.not_modified += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if site.etags:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # quiet
            pass

    return Handler


def run_pass(track: Path, db: Path, sources: Path, events: Path, n: int) -> dict:
    before = sum(1 for _ in events.open()) if events.exists() else 0
    wall, rss_kib, _, stderr = corpus.run_child([
        str(track), "--db", str(db), "check", "--config", str(sources), "--all",
        "--events", str(events)])
    after = sum(1 for _ in events.open()) if events.exists() else 0
    return {"wall_s": round(wall, 3), "sources_per_s": round(n / wall, 1),
            "peak_rss_mb": round(rss_kib / 1024, 1), "events": after - before,
            "summary": stderr.strip().splitlines()[-1] if stderr.strip() else ""}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--track", type=Path, default=REPO_ROOT / "target" / "release" / "track")
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--edited", type=float, default=0.1)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="work folder (default: a temporary one, removed)")
    ap.add_argument("--append", type=Path, help="append the Markdown section to this file")
    args = ap.parse_args()

    try:
        version = corpus.check_track(args.track)
    except corpus.BenchError as e:
        print(e, file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-check-"))
    out.mkdir(parents=True, exist_ok=True)
    db, sources, events = out / "track.db", out / "sources.toml", out / "events.jsonl"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), events):
        p.unlink(missing_ok=True)

    print(f"generating {args.sources} pages …", file=sys.stderr)
    v1, v2, n_edited = make_pages(args.sources, args.seed, args.edited)
    site = Site(v1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    lines = [f"workers = {args.workers}\n"]
    for i in range(args.sources):
        lines.append(f'[[source]]\nname = "s{i:05d}"\nurl = "http://127.0.0.1:{port}/a/{i}"\nevery = "15m"\n')
    sources.write_text("\n".join(lines), encoding="utf-8")

    results = {}
    try:
        print("pass 1: new articles …", file=sys.stderr)
        results["new"] = run_pass(args.track, db, sources, events, args.sources)
        site.pages, site.etags = v2, True
        print("pass 2: some pages edited …", file=sys.stderr)
        results["edited"] = run_pass(args.track, db, sources, events, args.sources)
        print("pass 3: conditional GETs (304) …", file=sys.stderr)
        before_304 = site.not_modified
        results["not_modified"] = run_pass(args.track, db, sources, events, args.sources)
        results["not_modified"]["answered_304"] = site.not_modified - before_304
    except corpus.BenchError as e:
        print(e, file=sys.stderr)
        return 1
    finally:
        server.shutdown()
    _, _, listing, _ = corpus.run_child([str(args.track), "--db", str(db), "list", "--format", "json"])
    items = json.loads(listing)
    stored = sum(int(a["versions"]) for a in items)

    page_kb = sum(len(p) for p in v1) / len(v1) / 1000
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = (f"python3 scripts/bench_check.py --sources {args.sources} --edited {args.edited} "
           f"--workers {args.workers} --seed {args.seed}")
    ok = lambda good: "✅" if good else "❌"  # noqa: E731
    rows = [
        ("1: all new", results["new"], 0),
        (f"2: {n_edited} edited, rest unchanged", results["edited"], n_edited),
        ("3: conditional GET, all 304", results["not_modified"], 0),
    ]
    md = [
        f"## Monitoring: `track check` over {args.sources:,} sources — {now}",
        "",
        f"`{cmd}`  ",
        f"track: {version}; {platform.platform()}, {os_cpus()} CPUs; pages: {args.sources:,} synthetic "
        f"Arabic articles, {page_kb:.1f} KB of HTML each, served from 127.0.0.1 by a threaded Python "
        "HTTP/1.1 server in the benchmark process (it shares the cores with track).",
        "",
        "Targets: ≥ 200 sources/s, peak RSS < 150 MB.",
        "",
        "| `track check --all` pass | wall s | sources/s | peak RSS, MB | events (expected) |",
        "|---|---|---|---|---|",
    ]
    for name, r, expected in rows:
        md.append(f"| {name} | {r['wall_s']:.2f} | {r['sources_per_s']:,.0f} "
                  f"{ok(r['sources_per_s'] >= TARGET_SOURCES_PER_S)} | {r['peak_rss_mb']:.1f} "
                  f"{ok(r['peak_rss_mb'] < TARGET_PEAK_RSS_MB)} | {r['events']} ({expected}) |")
    md += [
        "",
        f"Stored afterwards: {len(items):,} articles, {stored:,} versions "
        f"(expected {args.sources + n_edited:,}); pass 3: {results['not_modified']['answered_304']:,} "
        "requests answered 304.",
        "Pass 1 raises no events: a newly tracked article is not a change (`new_articles = false`).",
        f"Each pass is one process: start-up, {args.workers} fetch workers (decode and extract in "
        "parallel), one writer thread recording in chunked commits, the state of every source "
        "updated. Peak RSS is that process's (wait4 through a small wrapper).",
        "",
    ]
    section = "\n".join(md)
    print(section)
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.append:
        with args.append.open("a", encoding="utf-8") as f:
            f.write("\n" + section)
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    good = all(r["sources_per_s"] >= TARGET_SOURCES_PER_S and r["peak_rss_mb"] < TARGET_PEAK_RSS_MB
               for _, r, _ in rows)
    return 0 if good else 1


def os_cpus() -> int:
    import os
    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
