#!/usr/bin/env python3
"""A hostile web server on 127.0.0.1, and one `track check` pass against it.

What it serves (each path is one `url` source of the generated sources file):

  /bomb      gzip bomb: ~1 MB on the wire that inflates to 1 GiB of zeros
             (1024 concatenated gzip members of 1 MiB each), Content-Encoding: gzip
  /chunked   an endless chunked body (Transfer-Encoding: chunked) of HTML paragraphs
  /drip      headers, then one byte of body per second, forever
  /headers   header lines sent one per 10 ms, forever (never a body)
  /big       an HTML page just under the default max_bytes (5 MB) of paragraphs:
             the largest page a pass accepts, decoded and extracted in full
  /feed      an RSS feed just under 5 MB whose 200 items link /bomb?n=… (so the
             bomb is fetched again by the article items of the feed in the same pass)

It then runs `track check` (4 workers, timeout 10s) on a fresh store under
/usr/bin/time -v when available, and reports the peak RSS of the pass (also read
through resource.getrusage(RUSAGE_CHILDREN) as a cross-check), the wall time and
the per-source outcome lines.

Usage:
    python3 scripts/hostile_server.py [--track target/release/track] [--workers 4]
        [--timeout 10s] [--keep DIR]

Only 127.0.0.1 is used. Python 3.9+, stdlib only.
"""

import argparse
import gzip
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MIB = 1 << 20


def make_bomb(mib):
    member = gzip.compress(b"\0" * MIB, compresslevel=9)
    return member * mib


PARA = (
    "<p>قال وزير الداخلية إن 12 شخصاً أصيبوا في الحادث الذي وقع صباح اليوم في وسط "
    "العاصمة، وأضاف المتحدث باسم الوزارة أن التحقيق مستمر منذ ثلاثة أيام.</p>\n"
)


def make_big(limit):
    head = "<!doctype html><html lang=ar><head><meta charset=utf-8><title>كبير</title></head><body><article><h1>كبير</h1>\n"
    tail = "</article></body></html>\n"
    para = PARA.encode()
    n = (limit - len(head.encode()) - len(tail.encode()) - 1000) // len(para)
    return head.encode() + para * n + tail.encode()


def make_feed(port, limit):
    items = []
    for i in range(200):
        items.append(
            f"<item><title>t{i}</title><link>http://127.0.0.1:{port}/bomb?n={i}</link>"
            f"<description>{'x' * 100}</description></item>"
        )
    body = "".join(items)
    pad_item = "<item><title>pad</title><description>" + "y" * 20000 + "</description></item>"
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>hostile</title>'
    tail = "</channel></rss>"
    out = head + body
    while len(out.encode()) + len(pad_item) + len(tail) < limit - 1000:
        out += pad_item
    return (out + tail).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bomb = b""
    big = b""
    feed = b""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        try:
            if path == "/bomb":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(self.bomb)))
                self.end_headers()
                self.wfile.write(self.bomb)
            elif path == "/chunked":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = (PARA * 200).encode()
                frame = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
                for _ in range(100_000):  # ~6 GB at most
                    self.wfile.write(frame)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(10 * MIB))
                self.end_headers()
                for _ in range(3600):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(1)
            elif path == "/headers":
                self.send_response(200)
                for i in range(1_000_000):
                    self.send_header(f"X-Pad-{i}", "z" * 100)
                    self.flush_headers()
                    time.sleep(0.01)
            elif path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(self.big)))
                self.end_headers()
                self.wfile.write(self.big)
            elif path == "/feed":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(self.feed)))
                self.end_headers()
                self.wfile.write(self.feed)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            pass


def peak_rss_from_time(stderr):
    for line in stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1].strip())  # KiB
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--track", default="target/release/track")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--timeout", default="10s")
    ap.add_argument("--keep", help="work in this folder and keep it")
    ap.add_argument(
        "--big",
        type=int,
        default=0,
        help="also N url sources of distinct 5 MB pages (/big?n=…), all fetched in the pass",
    )
    args = ap.parse_args()

    track = os.path.abspath(args.track)
    if not os.access(track, os.X_OK):
        sys.exit(f"{args.track}: not an executable (cargo build --release first)")

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # clients hanging up on hostile answers is the point

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    Handler.bomb = make_bomb(1024)
    Handler.big = make_big(5_000_000)
    Handler.feed = make_feed(port, 5_000_000)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(
        f"serving on 127.0.0.1:{port}: bomb {len(Handler.bomb)} bytes -> 1 GiB inflated, "
        f"big page {len(Handler.big)} bytes, feed {len(Handler.feed)} bytes",
        file=sys.stderr,
    )

    work = args.keep or tempfile.mkdtemp(prefix="track-hostile-")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "track.db")
    if os.path.exists(db):
        os.remove(db)
    sources = os.path.join(work, "sources.toml")
    base = f"http://127.0.0.1:{port}"
    with open(sources, "w") as f:
        f.write(f'workers = {args.workers}\n[events]\noutput = "events.jsonl"\n\n')
        f.write(f'[defaults]\ntimeout = "{args.timeout}"\nevery = "1h"\n\n')
        for name in ["bomb", "chunked", "drip", "headers", "big", "feed"]:
            kind = "feed" if name == "feed" else "url"
            f.write(f'[[source]]\nname = "{name}"\n{kind} = "{base}/{name}"\n\n')
        for i in range(args.big):
            f.write(f'[[source]]\nname = "big-{i}"\nurl = "{base}/big?n={i}"\n\n')

    cmd = [track, "--db", db, "check", "--config", sources, "-v"]
    timer = ["/usr/bin/time", "-v"] if os.access("/usr/bin/time", os.X_OK) else []
    print("command: " + " ".join(timer + cmd), file=sys.stderr)
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run(timer + cmd, capture_output=True, text=True, cwd=work)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    server.shutdown()

    for line in run.stderr.splitlines():
        if not line.startswith("\t"):
            print("  " + line)
    peak_kib = peak_rss_from_time(run.stderr) if timer else None
    if peak_kib is None:
        peak_kib = after if after > before else None
    print(f"exit status: {run.returncode}")
    print(f"wall time: {wall:.1f} s")
    if peak_kib is not None:
        print(f"peak RSS of the pass: {peak_kib / 1024:.1f} MiB")
    else:
        print("peak RSS of the pass: unknown")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    ok = peak_kib is not None and peak_kib < 200 * 1024
    print("under 200 MB: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
