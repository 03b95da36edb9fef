"""`kb feeds update`: unchanged feeds fetched again, and many hosts at once.

1. Twice on unchanged feeds served by a local 127.0.0.1 server: feeds of entries that link
   to the corpus pages (html/pages) are served with ETag and Last-Modified ("conditional")
   and without them ("plain": the feed is fetched and parsed again, but no entry page is
   fetched again). The second run should cost under 5% of the first.
2. `--hosts N` (issue 16): N hosts on 127.0.0.2, 127.0.0.3 ... (this machine), each with a
   feed of `--entries` entries linking to its own pages, with a politeness delay of
   `--delay` s (1 s: about `entries` x delay plus transfer and parsing when fetched at once).
   `kb feeds update` at `--concurrency` against one fetch at a time (today's sequential
   run) in the same run; `--sequential-hosts K` times the sequential run on K hosts only
   and scales it to N (said so in the output). `--small` serves small pages, to show the
   fetching apart from parsing pages with trafilatura.
Last line: BENCH {...}.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = sorted((ROOT.parent / "shared" / "corpus" / "html" / "pages").glob("*.html"))
STAMP = formatdate(0, usegmt=True)


class Handler(BaseHTTPRequestHandler):
    feeds = 4
    per_feed = 10

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(200 if body or not headers.get("status") else 304)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if parts[0] == "page":
            return self._send(PAGES[int(parts[1]) % len(PAGES)].read_bytes(), "text/html; charset=utf-8")
        if parts[0] in ("conditional", "plain") and len(parts) == 2:
            n = int(parts[1].split(".")[0])
            if parts[0] == "conditional" and (self.headers.get("If-None-Match") == f'"{n}"'
                                              or self.headers.get("If-Modified-Since") == STAMP):
                self.send_response(304)
                self.end_headers()
                return
            items = "".join(f"<item><title>Story {n}-{i}</title><link>/page/{n * self.per_feed + i}</link>"
                            f"<description>Entry {i}.</description></item>" for i in range(self.per_feed))
            body = f"<rss version='2.0'><channel><title>F{n}</title><link>http://127.0.0.1/</link>{items}</channel></rss>"
            extra = {"ETag": f'"{n}"', "Last-Modified": STAMP} if parts[0] == "conditional" else {}
            return self._send(body.encode(), "application/rss+xml", **extra)
        self.send_response(404)
        self.end_headers()


def run(kind: str, base: str, feeds: int) -> tuple[float, float, int]:
    from ingest.fetch import Fetcher
    from kb import jobs, store

    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "kb.db")
        for n in range(feeds):
            jobs.feeds_add(db, f"{base}/{kind}/{n}.xml")
        times = []
        for _ in range(2):
            with Fetcher(local_delay=0, timeout=10) as f:
                start = time.perf_counter()
                jobs.feeds_update(db, extract_after=False, fetcher=f)
                times.append(time.perf_counter() - start)
        return times[0], times[1], db["articles"].count


class HostHandler(BaseHTTPRequestHandler):
    """One of the many hosts: /feed.xml with `entries` entries, /page/i, no robots.txt."""

    entries = 20
    small = False

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        n = int(self.server.server_address[0].rsplit(".", 1)[1])
        if self.path == "/feed.xml":
            items = "".join(f"<item><title>Host {n} story {i}</title><link>/page/{i}</link>"
                            f"<description>Entry {i}.</description></item>" for i in range(self.entries))
            body = f"<rss version='2.0'><channel><title>Host {n}</title><link>http://127.0.0.{n}:{self.server.server_address[1]}/</link>{items}</channel></rss>"
            return self._send(200, body.encode(), "application/rss+xml")
        if self.path.startswith("/page/"):
            i = int(self.path.rsplit("/", 1)[1])
            if self.small:
                words = " ".join(f"word{n}x{i}y{k}" for k in range(200))
                body = (f"<html><head><title>Host {n} story {i}</title></head><body><article><h1>Story {i}</h1>"
                        f"<p>The minister said on Monday that {words}.</p></article></body></html>").encode()
            else:
                body = PAGES[(n * self.entries + i) % len(PAGES)].read_bytes()
            return self._send(200, body, "text/html; charset=utf-8")
        self._send(404, b"", "text/plain")


def many_hosts(hosts: int, concurrency: int, delay: float) -> tuple[float, int, int]:
    """One `feeds update` of the feeds of `hosts` hosts: (seconds, articles, failures)."""
    from ingest.fetch import Fetcher
    from kb import jobs, store

    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "kb.db")
        for n in range(2, hosts + 2):
            jobs.feeds_add(db, f"http://127.0.0.{n}:{HOST_PORTS[n]}/feed.xml")
        with Fetcher(delay=delay, timeout=30, concurrency=concurrency) as f:
            start = time.perf_counter()
            jobs.feeds_update(db, extract_after=False, fetcher=f)
            took = time.perf_counter() - start
        return took, db["articles"].count, db["failures"].count


HOST_PORTS: dict[int, int] = {}


def bench_hosts(args: argparse.Namespace) -> dict:
    HostHandler.entries, HostHandler.small = args.entries, args.small
    servers = []
    for n in range(2, args.hosts + 2):
        httpd = ThreadingHTTPServer((f"127.0.0.{n}", 0), HostHandler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        HOST_PORTS[n] = httpd.server_address[1]
        servers.append(httpd)
    try:
        at_once, stored, failed = many_hosts(args.hosts, args.concurrency, args.delay)
        print(f"{args.hosts} hosts x {args.entries} entries, delay {args.delay:g} s, "
              f"{'small' if args.small else 'corpus'} pages: concurrency {args.concurrency}: "
              f"{at_once:.1f} s ({stored} articles, {failed} failures)", flush=True)
        k = args.sequential_hosts or args.hosts
        seq, seq_stored, seq_failed = many_hosts(k, 1, args.delay)
        scaled = seq * args.hosts / k
        print(f"  one at a time: {seq:.1f} s on {k} hosts ({seq_stored} articles, {seq_failed} failures)"
              + (f", scaled to {args.hosts} hosts: {scaled:.0f} s" if k != args.hosts else "")
              + f"; speed-up {scaled / at_once:.1f}x", flush=True)
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()
    return {"hosts": args.hosts, "entries": args.entries, "delay_s": args.delay, "small_pages": args.small,
            "concurrency": args.concurrency, "concurrent_s": round(at_once, 2), "articles": stored,
            "sequential_s": round(seq, 2), "sequential_hosts": k, "sequential_scaled_s": round(scaled, 1),
            "speedup": round(scaled / at_once, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=4)
    ap.add_argument("--entries", type=int, default=10)
    ap.add_argument("--hosts", type=int, default=0, help="many hosts at once (issue 16), e.g. 50")
    ap.add_argument("--delay", type=float, default=1.0, help="politeness delay per host (--hosts)")
    ap.add_argument("--concurrency", type=int, default=16, help="fetches at once (--hosts)")
    ap.add_argument("--sequential-hosts", type=int, default=0, help="time the sequential run on K hosts only")
    ap.add_argument("--small", action="store_true", help="small pages (--hosts)")
    args = ap.parse_args()
    if args.hosts:
        print("BENCH " + json.dumps(bench_hosts(args)))
        return
    Handler.feeds, Handler.per_feed = args.feeds, args.entries
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    result = {}
    for kind in ("conditional", "plain"):
        first, second, stored = run(kind, base, args.feeds)
        print(f"{kind}: {stored} articles; first run {first:.2f} s, second run {second:.3f} s "
              f"({100 * second / first:.1f}%)")
        result[kind] = {"first_s": round(first, 3), "second_s": round(second, 4),
                        "ratio": round(second / first, 4), "articles": stored}
    httpd.shutdown()
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
