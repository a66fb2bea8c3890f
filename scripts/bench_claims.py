#!/usr/bin/env python3
"""Claims benchmark: extraction throughput, and `track diff` of the two seeds, claims included.

1. `cargo run --release --example bench_claims`: claim extraction over ~100 KB Arabic
   articles on one thread (target >= 20 MB/s per core); run --extraction-runs times (each its
   own process: a process's speed on this kind of shared machine varies more than the rounds
   inside one), the median and the range reported.
2. The two seed articles (two outlets) in a fresh store; `track diff --format json 000 004`
   (articles mode: sentence alignment + claims of both + cross-outlet claim comparison),
   end to end per process: the first run (nothing cached) and the median of N warm runs
   (segmentation and claims cached by text hash). Target <= 10 ms end to end.

Usage: python3 scripts/bench_claims.py [--track target/release/track] [--runs 50] [--extraction-runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = ["000_00b06d22c5d2f91c", "004_f29be4e2a4ac97ad"]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ms = (time.perf_counter() - start) * 1000
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    return ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--track", type=Path, default=REPO / "target" / "release" / "track")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--extraction-runs", type=int, default=5)
    args = ap.parse_args()
    if not args.track.is_file():
        sys.exit(f"{args.track} not found: run `cargo build --release` first")
    speeds, line = [], ""
    for _ in range(max(1, args.extraction_runs)):
        extraction = subprocess.run(
            ["cargo", "run", "-q", "--release", "--example", "bench_claims"], cwd=REPO, capture_output=True, text=True
        )
        if extraction.returncode != 0:
            sys.exit(extraction.stderr)
        line = extraction.stdout.strip()
        speeds.append(float(line.split(" = ")[1].split(" MB/s")[0]))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "track.db"
        subprocess.run([str(args.track), "--db", str(db), "add", str(REPO / "fixtures" / "seeds")],
                       check=True, stdout=subprocess.DEVNULL)
        cmd = [str(args.track), "--db", str(db), "diff", "--format", "json", SEEDS[0], SEEDS[1]]
        cold = timed(cmd)
        warm = sorted(timed(cmd) for _ in range(args.runs))
    median = statistics.median(warm)
    p90 = warm[int(len(warm) * 0.9)]
    print(f"## Claims benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(f"`python3 scripts/bench_claims.py --runs {args.runs} --extraction-runs {args.extraction_runs}`\n")
    speed = statistics.median(speeds)
    print(f"- {line}")
    print(f"- claim extraction over {len(speeds)} runs: median {speed:.1f} MB/s (range {min(speeds):.1f}–"
          f"{max(speeds):.1f}); target ≥ 20 MB/s per core {'✅' if speed >= 20 else '❌'}")
    print(f"- `track diff --format json {SEEDS[0]} {SEEDS[1]}` (articles mode, claims included), whole process: "
          f"first run {cold:.1f} ms (nothing cached), then median {median:.1f} ms, p90 {p90:.1f} ms "
          f"over {args.runs} runs (segmentation and claims cached by text hash); target ≤ 10 ms "
          f"{'✅' if median <= 10 else '❌'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
