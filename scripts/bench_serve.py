#!/usr/bin/env python3
"""Latency benchmark of `track serve` over HTTP on a store of 100,000 versions.

What it measures
----------------
1. Makes a store with scripts/bench_ingest.py's generator (deterministic synthetic Arabic
   articles, ~6 KB each, 1-3 edits per round, 5 % whitespace-only re-scrapes): by default
   10,500 articles x 10 rounds, about 100,000 distinct versions, ingested round by round with
   `track add --at`. An existing store in OUT is reused (--rebuild makes it anew).
2. Starts `track serve --addr 127.0.0.1:0` on it (loopback only) and requests, over one
   keep-alive connection, each page N times (default 200): the article list (`/`), an
   article's timeline (`/article?key=…`), a diff of two versions (`/diff?from=…&to=…`) and
   searches (`/search?q=…`: a number, two words, a word found in hundreds of sentences), and
   the JSON API's list and search. The first request of each is reported apart (cold only on
   a store no earlier run has read: the analyses a page computes are cached in the store,
   which later runs reuse); then a few
   warm-up requests, a wait until the list's claim-change counts are all computed (the
   background warmer), and the N measured requests: p50, p95, max.
3. Prints a Markdown section for BENCHMARKS.md and writes OUT/serve-results.json.

Targets: p95 <= 50 ms for pages, <= 100 ms for search.

Usage:
    python3 scripts/bench_serve.py [--track target/release/track] [--articles 10500]
        [--versions 10] [--requests 200] [--out bench-out/serve] [--rebuild]

Python 3.11+, stdlib only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ingest  # noqa: E402  (the corpus generator)

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_PAGE_MS = 50
TARGET_SEARCH_MS = 100


def build_store(track: Path, out: Path, articles: int, versions: int, seed: int) -> dict:
    db = out / "track.db"
    if db.exists():
        print(f"reusing {db}", file=sys.stderr)
        return {"reused": True}
    out.mkdir(parents=True, exist_ok=True)
    print(f"generating {articles} articles x {versions} rounds ...", file=sys.stderr)
    stats, _ = bench_ingest.generate_corpus(out, articles, versions, seed)
    (out / "corpus" / "done").write_text("")
    t0 = time.perf_counter()
    for k in range(1, versions + 1):
        at = (bench_ingest.BASE_TIME + dt.timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
        subprocess.run([str(track), "--db", str(db), "add", "--at", at, str(out / "corpus" / f"v{k:02d}")],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"  round {k}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    # The corpus is only needed to build the store.
    shutil.rmtree(out / "corpus", ignore_errors=True)
    return {"reused": False, "ingest_s": round(time.perf_counter() - t0, 1),
            "distinct_versions_generated": stats.distinct_versions}


class Client:
    """Sequential GETs over one keep-alive HTTP/1.1 connection to 127.0.0.1."""

    def __init__(self, host: str, port: int):
        self.conn = http.client.HTTPConnection(host, port, timeout=120)

    def get(self, target: str) -> tuple[int, bytes, float]:
        t0 = time.perf_counter()
        self.conn.request("GET", target)
        r = self.conn.getresponse()
        body = r.read()
        return r.status, body, (time.perf_counter() - t0) * 1000


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--track", type=Path, default=REPO_ROOT / "target/release/track")
    ap.add_argument("--articles", type=int, default=10500)
    ap.add_argument("--versions", type=int, default=10)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "bench-out/serve")
    ap.add_argument("--rebuild", action="store_true", help="make the store anew")
    args = ap.parse_args(argv)
    if args.rebuild and args.out.exists():
        shutil.rmtree(args.out)
    build = build_store(args.track, args.out, args.articles, args.versions, args.seed)
    db = args.out / "track.db"

    server = subprocess.Popen([str(args.track), "--db", str(db), "serve", "--addr", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = server.stdout.readline().strip()  # http://127.0.0.1:PORT/
        parsed = urllib.parse.urlparse(first)
        client = Client(parsed.hostname, parsed.port)
        status, body, _ = client.get("/api/articles?limit=1")
        assert status == 200, body
        status, body, _ = client.get("/api/articles?sort=key&limit=1&offset=4200")
        key = json.loads(body)[0]["key"]
        versions = json.loads(client.get("/api/articles/" + urllib.parse.quote(key, safe="") + "/versions")[1])
        n = len(versions)
        stats = json.loads(subprocess.run([str(args.track), "--db", str(db), "list", "--format", "json"],
                                          capture_output=True, text=True, check=True).stdout)
        total = sum(a["versions"] for a in stats)
        q = urllib.parse.quote
        # A word of the article's latest text that is not everywhere.
        text = json.loads(subprocess.run([str(args.track), "--db", str(db), "show", "--format", "json", key],
                                         capture_output=True, text=True, check=True).stdout)["text"]
        words = [w for w in text.split() if len(w) >= 6 and w.isalpha()]
        common = words[len(words) // 2]
        number = next(w.strip(".,،") for w in text.split() if w.strip(".,،").isdigit() and len(w) >= 3)
        two = words[1] + " " + words[2]

        def matches(query: str) -> str:
            found = json.loads(client.get(f"/api/search?q={q(query)}&limit=500")[1])
            return f"{len(found)}" if len(found) < 500 else "500+"

        cases = [
            ("article list", "/", "page"),
            ("timeline", f"/article?key={q(key, safe='')}", "page"),
            ("diff", f"/diff?from={q(key + '@1', safe='')}&to={q(f'{key}@{n}', safe='')}", "page"),
            (f"search, a number ({matches(number)} hits)", f"/search?q={q(number)}", "search"),
            (f"search, two words ({matches(two)} hits)", f"/search?q={q(two)}", "search"),
            (f"search, a common word ({matches(common)} hits)", f"/search?q={q(common)}", "search"),
            ("API list", "/api/articles", "page"),
            ("API search, the number", f"/api/search?q={q(number)}", "search"),
        ]
        results = []
        for name, target, kind in cases:
            status, body, cold = client.get(target)
            assert status == 200, (target, status, body[:300])
            for _ in range(5):
                client.get(target)
            if "list" in name:
                # Let the warmer count the claim changes of the listed articles (the API
                # lists 100, the page 50).
                t0 = time.perf_counter()
                while b'"claim_changes":null' in client.get("/api/articles")[1] and time.perf_counter() - t0 < 600:
                    time.sleep(1)
            times = []
            for _ in range(args.requests):
                status, body, ms = client.get(target)
                assert status == 200
                times.append(ms)
            target_ms = TARGET_SEARCH_MS if kind == "search" else TARGET_PAGE_MS
            row = {"name": name, "target": target, "cold_ms": round(cold, 1),
                   "p50_ms": round(statistics.median(times), 1), "p95_ms": round(pct(times, 95), 1),
                   "max_ms": round(max(times), 1), "bytes": len(body), "target_ms": target_ms,
                   "ok": pct(times, 95) <= target_ms}
            results.append(row)
            print(f"  {name:40} cold {cold:7.1f} ms  p50 {row['p50_ms']:6.1f}  p95 {row['p95_ms']:6.1f}"
                  f"  max {row['max_ms']:6.1f} ms  ({len(body)} B)", file=sys.stderr)
    finally:
        server.terminate()
        server.wait()

    res = {"date": dt.date.today().isoformat(), "machine": f"{platform.machine()}, {platform.system()}",
           "versions": total, "articles": len(stats), "requests": args.requests, "build": build,
           "store_bytes": bench_ingest.db_size(db), "results": results}
    (args.out / "serve-results.json").write_text(json.dumps(res, indent=2))
    print(f"\n### track serve latency ({res['date']}, {total} versions, {len(stats)} articles, "
          f"{args.requests} requests each, one keep-alive connection)\n")
    print("| request | cold (first) | p50 | p95 | max | target p95 |")
    print("|---|---|---|---|---|---|")
    for r in results:
        mark = "met" if r["ok"] else "MISSED"
        print(f"| {r['name']} | {r['cold_ms']} ms | {r['p50_ms']} ms | {r['p95_ms']} ms | {r['max_ms']} ms "
              f"| {r['target_ms']} ms ({mark}) |")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
