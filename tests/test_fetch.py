"""ingest.fetch and URL sources against a real http.server on 127.0.0.1 (no outside network)."""
from __future__ import annotations

import gzip
import time
from typing import Iterator

import pytest

from ingest.article import Article, Failure, IngestError
from ingest.fetch import USER_AGENT, Fetcher, fetch
from ingest.sources import iter_source

from conftest import CORPUS
from localserver import QuietHandler, serve
PAGE = "html/pages/0a3108e507c54157a95fe7a1338f5e9c.html"


class Handler(QuietHandler):
    hits: dict[str, int] = {}
    agents: list[str] = []

    def do_GET(self) -> None:  # noqa: C901 - a small router
        path = self.path
        self.hits[path] = self.hits.get(path, 0) + 1
        self.agents.append(self.headers.get("User-Agent", ""))
        port = self.server.server_address[1]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n")
        if path.startswith("/corpus/"):
            file = CORPUS / path[len("/corpus/"):]
            ctype = "text/html; charset=utf-8" if file.suffix == ".html" else "application/rss+xml"
            return self.send(200, file.read_bytes(), ctype)
        if path == "/slow":
            time.sleep(2)
            return self.send(200, b"late")
        if path.startswith("/flaky"):
            if self.hits[path] == 1:
                return self.send(500, b"oops")
            return self.send(200, b"<html><body><p>" + b"Recovered article text. " * 20 + b"</p></body></html>",
                             "text/html")
        if path == "/always500":
            return self.send(503, b"down")
        if path in ("/loop1", "/loop2"):
            return self.send(302, b"", Location="/loop2" if path == "/loop1" else "/loop1")
        if path == "/chain":
            return self.send(301, b"", Location=f"http://127.0.0.1:{port}/corpus/{PAGE}")
        if path == "/to-ftp":
            return self.send(302, b"", Location="ftp://127.0.0.1/x")
        if path == "/big":
            return self.send(200, b"x" * 300_000)
        if path == "/gzip-bomb":
            body = gzip.compress(b"\0" * 2_000_000)
            return self.send(200, body, "text/plain", Content_Encoding="gzip")
        if path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                return self.send(304)
            return self.send(200, b"fresh", ETag='"v1"')
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>Entry {i}</title><link>http://127.0.0.1:{port}{link}</link>"
                f"<description>Summary {i} of the entry.</description>"
                f"<pubDate>Mon, 04 Aug 2014 13:29:00 +0800</pubDate></item>"
                for i, link in enumerate([f"/corpus/{PAGE}", "/missing"]))
            body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title>{items}</channel></rss>"
            return self.send(200, body.encode(), "application/rss+xml")
        return self.send(404, b"not found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(Handler) as base:
        yield base


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout=0.5, retries=2, backoff=0.01, max_bytes=100_000) as f:
        yield f


def need_corpus() -> None:
    if not (CORPUS / PAGE).exists():
        pytest.skip(f"shared test data not found: {CORPUS / PAGE}")


def test_fetch_page(server: str, fetcher: Fetcher) -> None:
    need_corpus()
    resp = Fetcher(timeout=5).fetch(f"{server}/corpus/{PAGE}")
    assert resp.status == 200 and resp.content == (CORPUS / PAGE).read_bytes()
    assert resp.headers["content-type"].startswith("text/html") and resp.content_type == "text/html"
    assert resp.charset == "utf-8" and not resp.not_modified
    assert Handler.agents[-1] == USER_AGENT and USER_AGENT.startswith("kb/0.1 (+news knowledge base")


def test_redirects(server: str, fetcher: Fetcher) -> None:
    need_corpus()
    resp = Fetcher(timeout=5).fetch(f"{server}/chain")
    assert resp.url.endswith(PAGE) and resp.status == 200
    with pytest.raises(IngestError, match="redirect loop"):
        fetcher.fetch(f"{server}/loop1")
    with pytest.raises(IngestError, match="too many redirects"):
        Fetcher(max_redirects=0).fetch(f"{server}/chain")
    with pytest.raises(IngestError, match="refused scheme 'ftp'"):
        fetcher.fetch(f"{server}/to-ftp")


def test_timeout(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(IngestError) as info:
        Fetcher(timeout=0.3, retries=1, backoff=0.01).fetch(f"{server}/slow")
    assert info.value.stage == "fetch" and info.value.reason.startswith("timed out")
    assert time.monotonic() - start < 3
    assert Handler.hits["/slow"] == 1  # a timeout spends the deadline: not retried


def test_retry_then_success(server: str, fetcher: Fetcher) -> None:
    resp = fetcher.fetch(f"{server}/flaky-1")
    assert resp.status == 200 and b"Recovered" in resp.content
    assert Handler.hits["/flaky-1"] == 2
    with pytest.raises(IngestError, match="HTTP 503"):
        fetcher.fetch(f"{server}/always500")
    assert Handler.hits["/always500"] == 3


def test_http_errors_and_size(server: str, fetcher: Fetcher) -> None:
    with pytest.raises(IngestError, match="HTTP 404 Not Found"):
        fetcher.fetch(f"{server}/nothing-here")
    with pytest.raises(IngestError, match="too large"):
        fetcher.fetch(f"{server}/big")
    with pytest.raises(IngestError, match="too large"):  # counted after decompression
        fetcher.fetch(f"{server}/gzip-bomb")


def test_robots(server: str, fetcher: Fetcher) -> None:
    with pytest.raises(IngestError, match="robots.txt"):
        fetcher.fetch(f"{server}/private/secret")
    assert "/private/secret" not in Handler.hits
    assert Fetcher(respect_robots=False, timeout=1).allowed(f"{server}/private/secret")


def test_refused_and_unreachable() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/", "javascript:alert(1)"):
        with pytest.raises(IngestError, match="refused scheme"):
            fetch(url)
    with pytest.raises(IngestError, match="connection failed"):
        Fetcher(timeout=1, retries=0, respect_robots=False).fetch("http://127.0.0.1:9/")


def test_conditional_get(server: str, fetcher: Fetcher) -> None:
    first = fetcher.fetch(f"{server}/etag")
    assert first.headers["etag"] == '"v1"' and first.content == b"fresh"
    again = fetcher.fetch(f"{server}/etag", etag='"v1"')
    assert again.not_modified and again.status == 304 and again.content == b""


def test_per_host_delay(server: str) -> None:
    with Fetcher(local_delay=0.2, timeout=2) as f:
        f.fetch(f"{server}/etag")
        start = time.monotonic()
        f.fetch(f"{server}/etag")
        assert time.monotonic() - start >= 0.18


def test_source_page_url(server: str) -> None:
    need_corpus()
    with Fetcher(timeout=5) as f:
        (art,) = list(iter_source(f"{server}/corpus/{PAGE}", fetcher=f))
    assert isinstance(art, Article) and art.kind == "page"
    assert art.source == f"{server}/corpus/{PAGE}"
    assert art.url.startswith("https://www.investmentwatchblog.com/")  # the page's canonical URL
    assert art.title == "Biggest money laundering scheme in history uncovered in Ukraine"


def test_source_feed_url_fetches_entries(server: str) -> None:
    need_corpus()
    with Fetcher(timeout=2, retries=0) as f:
        items = list(iter_source(f"{server}/feed.xml", fetcher=f))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "Article", "Failure"]
    page, own, failure = items
    assert page.source == f"{server}/corpus/{PAGE}" and page.feed == f"{server}/feed.xml"
    assert page.kind == "feed-entry" and "Jewish oligarchs" in page.text
    assert page.published_at == "2019-10-19"
    assert own.title == "Entry 1" and own.text == "Summary 1 of the entry."
    assert own.published_at == "2014-08-04T13:29:00+08:00"
    assert failure == Failure(f"{server}/missing", "fetch", failure.reason)
    assert "HTTP 404" in failure.reason
    with Fetcher(timeout=2) as f:
        items = list(iter_source(f"{server}/feed.xml", fetch_entries=False, fetcher=f))
    assert [i.title for i in items] == ["Entry 0", "Entry 1"]


def test_source_url_failure(server: str) -> None:
    with Fetcher(timeout=1, retries=0) as f:
        (fail,) = list(iter_source(f"{server}/nothing", fetcher=f))
    assert isinstance(fail, Failure) and fail.stage == "fetch" and "404" in fail.reason
