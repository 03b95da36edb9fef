"""`kb feeds update` twice on unchanged feeds served by a local 127.0.0.1 server.

Feeds of entries that link to the corpus pages (html/pages) are served with ETag and
Last-Modified ("conditional") and without them ("plain": the feed is fetched and parsed
again, but no entry page is fetched again). The second run should cost under 5% of the
first. Last line: BENCH {...}.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=4)
    ap.add_argument("--entries", type=int, default=10)
    args = ap.parse_args()
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
