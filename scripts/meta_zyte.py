#!/usr/bin/env python3
"""Page metadata on the Zyte article-extraction pages: how many pages get a byline, a
published and a modified time from `track`, and what the bylines are (to eyeball).

Each page of ../shared/data/extraction-zyte/html/*.html.gz is added to a temporary store
(`track add --key ID --input-format html -`), then read back with `track show --format json`.
Prints the counts, and with --tsv writes one line per page: id, title, byline, published,
modified (compare two builds with `diff` or `paste`). Nothing is copied into the repository.

Usage:
    python3 scripts/meta_zyte.py [--track target/release/track]
        [--data ../shared/data/extraction-zyte] [--tsv OUT.tsv] [--bylines]

Python 3.11+, stdlib only.
"""

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--track", default=str(root / "target/release/track"))
    ap.add_argument("--data", default=str(root.parent / "shared/data/extraction-zyte"))
    ap.add_argument("--tsv", help="write id, title, byline, published, modified per page")
    ap.add_argument("--bylines", action="store_true", help="list every byline found")
    args = ap.parse_args()

    pages = sorted(Path(args.data, "html").glob("*.html.gz"))
    if not pages:
        print(f"no pages under {args.data}/html", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp, "track.db"))
        for page in pages:
            key = page.name.removesuffix(".html.gz")
            html = gzip.decompress(page.read_bytes())
            subprocess.run(
                [args.track, "--db", db, "add", "--key", key, "--input-format", "html", "-"],
                input=html, capture_output=True, check=False,
            )
            shown = subprocess.run(
                [args.track, "--db", db, "show", "--format", "json", key],
                capture_output=True, check=False,
            )
            try:
                meta = json.loads(shown.stdout)
            except json.JSONDecodeError:
                meta = {}
            field = lambda k: " ".join(str(meta.get(k) or "").split())  # noqa: E731
            rows.append((key, field("title"), field("byline"), field("published"),
                         field("modified")))

    n = len(rows)
    count = lambda i: sum(1 for r in rows if r[i])  # noqa: E731
    print(f"{n} pages: byline {count(2)}, published {count(3)}, modified {count(4)}")
    if args.bylines:
        for r in rows:
            if r[2]:
                print(f"{r[0][:12]}  {r[2]}")
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:
            for r in rows:
                out.write("\t".join(r) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
