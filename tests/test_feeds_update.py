"""`kb feeds update` against a real local server: conditional GET, entries already stored
are not fetched again, failures are retried on the next run, refused schemes recorded."""
from __future__ import annotations

from typing import Iterator

import pytest

from ingest.fetch import Fetcher
from kb import jobs, store

from conftest import CORPUS, need
from localserver import QuietHandler, serve

PAGES = ["html/pages/0a3108e507c54157a95fe7a1338f5e9c.html", "html/newspaper4k/html/cnn_article.html"]


class Handler(QuietHandler):
    hits: dict[str, int] = {}
    state = {"title": "Entry", "flaky_fails": 1}

    def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        super().send(status, body, ctype, **headers)

    def feed(self) -> bytes:
        links = [f"/page/{i}" for i in range(len(PAGES))] + ["/flaky", "file:///etc/passwd"]
        items = "".join(f"<item><title>{self.state['title']} {i}</title><link>{link}</link>"
                        f"<description>Summary {i}.</description></item>" for i, link in enumerate(links))
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
                f"<link>http://127.0.0.1:{self.server.server_address[1]}/</link>{items}</channel></rss>").encode()

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/robots.txt":
            return self.send(404, b"")
        if self.path in ("/etag.xml", "/plain.xml"):
            body = self.feed()
            tag = f'"{hash(body) & 0xffffffff:x}"'
            if self.path == "/etag.xml" and self.headers.get("If-None-Match") == tag:
                return self.send(304)
            extra = {"ETag": tag} if self.path == "/etag.xml" else {}
            return self.send(200, body, "application/rss+xml", **extra)
        if self.path.startswith("/page/"):
            return self.send(200, (CORPUS / PAGES[int(self.path.rsplit("/", 1)[1])]).read_bytes())
        if self.path == "/flaky":
            if self.state["flaky_fails"] > 0:
                self.state["flaky_fails"] -= 1
                return self.send(503, b"busy")
            return self.send(200, (CORPUS / PAGES[0]).read_bytes().replace(b"Jewish oligarchs", b"Two oligarchs"))
        return self.send(404, b"")


@pytest.fixture
def server() -> Iterator[str]:
    for page in PAGES:
        need(CORPUS / page)
    Handler.hits.clear()
    Handler.state.update(title="Entry", flaky_fails=1)
    with serve(Handler) as base:
        yield base


def update(db) -> jobs.Report:
    with Fetcher(timeout=5, retries=0) as f:
        reports, _ = jobs.feeds_update(db, extract_after=False, fetcher=f)
    (report,) = reports.values()
    return report


def page_hits() -> int:
    return sum(n for p, n in Handler.hits.items() if p.startswith(("/page/", "/flaky")))


@pytest.mark.parametrize("path", ["/etag.xml", "/plain.xml"])
def test_second_update_fetches_no_page(server: str, path: str) -> None:
    db = store.open_db(memory=True)
    jobs.feeds_add(db, server + path)
    first = update(db)
    assert (first.new, first.failed) == (4, 2)  # /flaky answered 503; file: refused
    failures = {r["source"]: r for r in db["failures"].rows}
    (refused,) = [f for src, f in failures.items() if src.startswith("file:")]
    assert refused["stage"] == "fetch" and "refused scheme 'file'" in refused["reason"]
    assert "503" in failures[server + "/flaky"]["reason"]
    stored = {r["source"]: r for r in db["articles"].rows}
    assert stored[server + "/page/0"]["url"] .startswith("https://www.investmentwatchblog.com/")
    assert "Jewish oligarchs" in stored[server + "/page/0"]["text"]
    assert stored[server + "/flaky"]["text"] == "Summary 2."  # the entry's own text, for now
    assert page_hits() == 3

    second = update(db)  # the failures are retried: the feed is fetched in full, once
    assert (second.new, second.changed, second.unchanged, second.failed) == (0, 1, 3, 0)
    assert page_hits() == 4 and Handler.hits["/flaky"] == 2
    assert "Two oligarchs" in db["articles"].get(stored[server + "/flaky"]["id"])["text"]
    assert db.execute("SELECT resolved_at FROM failures WHERE source = ?", [server + "/flaky"]).fetchone()[0]

    Handler.state["title"] = "Renamed entry"  # every entry changes: pages fetched again
    third = update(db)
    assert page_hits() == 7 and third.unchanged == 4 and third.failed == 1  # same texts; file: refused again


def test_not_modified_when_nothing_failed(server: str) -> None:
    db = store.open_db(memory=True)
    Handler.state["flaky_fails"] = 0
    jobs.feeds_add(db, server + "/etag.xml")
    update(db)
    feed_hits = Handler.hits["/etag.xml"]
    report = update(db)
    assert report.not_modified and report.new == report.changed == report.unchanged == 0
    assert Handler.hits["/etag.xml"] == feed_hits + 1 and page_hits() == 3
