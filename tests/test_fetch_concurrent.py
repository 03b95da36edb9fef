"""Fetching many hosts at once (issue 16, part 1): `kb feeds update` and feed entries in
`kb ingest` fetch across hosts concurrently, still one request per host per `delay`, with
robots.txt, deadlines and hosts given up as before; results are stored in the order a
sequential run stores them. Servers listen on 127.0.0.2, 127.0.0.3 ... (this machine, and
to the client distinct hosts). Times are only compared structurally (overlaps, gaps)."""
from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from typing import Iterator

import pytest
from click.testing import CliRunner

from ingest.crawl import FetchPool, iter_feed_updates
from ingest.fetch import Fetcher
from kb import jobs, store
from kb.cli import cli

from conftest import CORPUS, need
from localserver import QuietHandler, closed_port, serve, silent

PAGES = sorted((CORPUS / "html" / "pages").glob("*.html"))[:40] if CORPUS.exists() else []
DELAY = 0.25  # politeness delay in these tests (the default is 1 s)


def make_handler(n: int, entries: int, links: list[str] | None = None, disallow: str = "") -> type[QuietHandler]:
    """A host serving /feed.xml (entries linking to its own /page/i, or `links`), pages of
    the corpus (host n gets its own), a robots.txt, and a log of when requests arrived."""

    class Host(QuietHandler):
        log: list[tuple[str, float]] = []
        lock = threading.Lock()

        def do_GET(self) -> None:
            with self.lock:
                self.log.append((self.path, time.monotonic()))
            self.path = self.path.split("?")[0]
            if self.path == "/robots.txt":
                body = f"User-agent: *\nDisallow: {disallow}\n".encode() if disallow else b""
                return self.send(200 if disallow else 404, body)
            if self.path == "/feed.xml":
                base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
                hrefs = links if links is not None else [f"/page/{i}" for i in range(entries)]
                items = "".join(f"<item><title>Host {n} entry {i}</title><link>{h}</link>"
                                f"<description>Summary {n}-{i}.</description></item>" for i, h in enumerate(hrefs))
                body = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Host {n}</title>"
                        f"<link>{base}/</link>{items}</channel></rss>").encode()
                return self.send(200, body, "application/rss+xml")
            if self.path.startswith(("/page/", "/private/")):
                page = PAGES[(n * entries + int(self.path.rsplit("/", 1)[1])) % len(PAGES)]
                return self.send(200, page.read_bytes(), "text/html; charset=utf-8")
            return self.send(404, b"")

    return Host


@pytest.fixture
def hosts() -> Iterator[list[tuple[str, type]]]:
    """Three hosts, 127.0.0.2-4, four entries each."""
    need(CORPUS / "html" / "pages")
    with ExitStack() as stack:
        out = []
        for n in range(3):
            handler = make_handler(n, 4)
            out.append((stack.enter_context(serve(handler, f"127.0.0.{n + 2}")), handler))
        yield out


def update(db, **fetcher) -> dict[str, jobs.Report]:
    with Fetcher(**{"timeout": 5, "retries": 0, "delay": DELAY, **fetcher}) as f:
        reports, _ = jobs.feeds_update(db, extract_after=False, fetcher=f)
    return reports


def pages_of(handler: type) -> list[float]:
    return [t for path, t in handler.log if path.startswith("/page/")]


def test_hosts_are_fetched_at_once_each_at_its_own_pace(hosts) -> None:
    db = store.open_db(memory=True)
    for base, _ in hosts:
        jobs.feeds_add(db, base + "/feed.xml")
    reports = update(db, concurrency=8)
    assert [r.new for r in reports.values()] == [4, 4, 4]
    assert db.execute("SELECT count(*) FROM articles WHERE kind = 'feed-entry' AND text != ''").fetchone()[0] == 12
    spans = []
    for _, handler in hosts:
        times = sorted(t for _, t in handler.log)   # robots.txt, the feed, four pages
        assert len(times) == 6
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= DELAY * 0.9, gaps      # never two requests to one host within the delay
        spans.append((times[0], times[-1]))
    # the three hosts were served in the same stretch of time, not one after another
    assert max(start for start, _ in spans) < min(end for _, end in spans)


def articles(db) -> list[tuple]:
    return [(r["source"], r["title"], r["kind"], r["content_hash"])
            for r in db.query("SELECT * FROM articles ORDER BY id")]


def test_stored_in_the_same_order_as_one_at_a_time(hosts) -> None:
    dbs = []
    for concurrency in (1, 8):
        db = store.open_db(memory=True)
        for base, _ in reversed(hosts):   # feeds in an order the network would not give
            jobs.feeds_add(db, base + "/feed.xml")
        update(db, concurrency=concurrency, delay=0.02)
        dbs.append(db)
    assert len(articles(dbs[0])) == 12
    assert articles(dbs[0]) == articles(dbs[1])
    second = update(dbs[1], concurrency=8, delay=0.02)   # nothing changed: no page fetched again
    assert [r.unchanged for r in second.values()] == [4, 4, 4]


def test_dead_and_slow_hosts_cost_only_their_own_entries() -> None:
    need(CORPUS / "html" / "pages")
    with ExitStack() as stack:
        dead = f"http://127.0.0.5:{closed_port('127.0.0.5')}"
        slow = stack.enter_context(silent("127.0.0.6"))
        good = make_handler(0, 3)
        good_base = stack.enter_context(serve(good, "127.0.0.2"))
        links = [f"{dead}/page/{i}" for i in range(3)] + [f"{slow}/page/{i}" for i in range(3)] + \
                [f"{good_base}/page/{i}" for i in range(5, 8)]
        mixed = make_handler(1, 0, links=links)
        mixed_base = stack.enter_context(serve(mixed, "127.0.0.3"))
        db = store.open_db(memory=True)
        for base in (mixed_base, good_base, dead, slow):
            jobs.feeds_add(db, base + "/feed.xml")
        reports = update(db, concurrency=4, timeout=1, give_up_after=2)
    r_mixed, r_good, r_dead, r_slow = reports.values()
    assert (r_good.new, r_good.failed) == (3, 0)
    assert r_mixed.failed == 6 and r_mixed.new + r_mixed.duplicate == 9   # pages, or the entry when its page failed
    assert (r_dead.failed, r_slow.failed) == (1, 1)
    reasons = {r["source"]: r["reason"] for r in db["failures"].rows}
    assert "connection failed" in reasons[f"{dead}/page/0"]
    assert "timed out after 1 s" in reasons[f"{slow}/page/0"]
    assert "host given up after 2 failures" in reasons[f"{slow}/page/2"]
    assert "given up" in reasons[f"{dead}/feed.xml"] or "connection failed" in reasons[f"{dead}/feed.xml"]
    good_pages = db.execute("SELECT count(*) FROM articles WHERE source LIKE ? AND title NOT LIKE 'Host %'",
                            [good_base + "/page/%"]).fetchone()[0]
    assert good_pages == 6   # the good host's pages (of both feeds), fetched and parsed, not the entries' text


def test_robots_txt_is_asked_once_per_host_and_obeyed(hosts) -> None:
    need(CORPUS / "html" / "pages")
    handler = make_handler(5, 3, links=["/page/0", "/private/1", "/page/2"], disallow="/private/")
    with serve(handler, "127.0.0.7") as base:
        db = store.open_db(memory=True)
        jobs.feeds_add(db, base + "/feed.xml")
        for other, _ in hosts:
            jobs.feeds_add(db, other + "/feed.xml")
        reports = update(db, concurrency=8, delay=0.02)
    assert reports[base + "/feed.xml"].failed == 1
    (reason,) = [r["reason"] for r in db["failures"].rows]
    assert reason.startswith("disallowed by robots.txt")
    for _, h in [(base, handler), *hosts]:
        assert [p for p, _ in h.log].count("/robots.txt") == 1


def test_feed_entries_of_kb_ingest_are_fetched_across_hosts(hosts) -> None:
    links = [f"{base}/page/{i}" for base, _ in hosts for i in range(2)]   # one host after another
    handler = make_handler(9, 0, links=links)
    with serve(handler, "127.0.0.8") as feed_base:
        with Fetcher(timeout=5, retries=0, delay=DELAY, concurrency=4) as f:
            report = jobs.ingest(store.open_db(memory=True), [feed_base + "/feed.xml"], extract_after=False, fetcher=f)
    assert (report.new, report.failed) == (6, 0)
    starts = [pages_of(h) for _, h in hosts]
    assert all(len(s) == 2 for s in starts)
    assert max(s[0] for s in starts) < min(s[1] for s in starts)   # every host's first page before any second


def test_cli_concurrency_option_and_env_delay(hosts, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KB_FETCH_DELAY", "0.05")
    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    for base, _ in hosts:
        assert runner.invoke(cli, ["feeds", "add", base + "/feed.xml", "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["feeds", "update", "--no-extract", "--concurrency", "3", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.output.count("4 new") == 3
    bad = runner.invoke(cli, ["feeds", "update", "--concurrency", "0", "--db", db])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


@pytest.mark.parametrize("stop_early", [False, True])
def test_feeds_are_fetched_a_window_ahead_not_all_at_once(stop_early: bool) -> None:
    """Memory stays bounded: with 80 feeds, the crawl fetches at most its window of feeds
    ahead of the one being stored."""
    handler = make_handler(0, 0)
    with serve(handler, "127.0.0.9") as base:
        with Fetcher(timeout=5, delay=0, concurrency=2) as f:   # window: max(32, 4 x 2)
            feeds = [(f"{base}/feed.xml?n={i}", {}) for i in range(80)]
            batches = iter_feed_updates(feeds, fetcher=f)
            list(next(batches))
            time.sleep(0.3)                      # let the pool run ahead as far as it may
            asked = sum(p.startswith("/feed.xml") for p, _ in handler.log)
            assert 1 < asked <= 33
            if stop_early:   # a run that stops (the database was locked): the fetching stops with it
                batches.close()
                assert not [t for t in threading.enumerate() if t.name == "kb-fetch" and t.is_alive()]
                return
            rest = [item for batch in batches for item in batch]
            assert len(rest) == 79, rest[:3]
            assert {item.reason for item in rest} == {"feed has no entries"}
            assert sum(p.startswith("/feed.xml") for p, _ in handler.log) == 80


class Flaky(QuietHandler):
    """/busy answers 503 once, then 200; /big is 2 MB; /loop redirects to itself."""
    seen: dict[str, int] = {}

    def do_GET(self) -> None:
        self.seen[self.path] = self.seen.get(self.path, 0) + 1
        if self.path == "/robots.txt":
            return self.send(404)
        if self.path == "/busy":
            return self.send(503 if self.seen[self.path] == 1 else 200, b"ok")
        if self.path == "/big":
            return self.send(200, b"x" * 2_000_000)
        if self.path == "/loop":
            return self.send(302, b"", Location="/loop")
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return None
        return self.send(200, b"fine")


def test_the_async_fetcher_keeps_every_rule() -> None:
    Flaky.seen.clear()
    with serve(Flaky, "127.0.0.10") as base, \
            Fetcher(timeout=1, retries=1, backoff=0.01, delay=0.01, max_bytes=1_000_000) as f:
        pool = FetchPool(f, 4)
        try:
            results = {}
            for path in ("/busy", "/big", "/loop", "/trickle", "/ok"):
                fut = pool.submit(base + path)
                try:
                    results[path] = fut.result(timeout=10).status
                except Exception as exc:   # IngestError, with its reason
                    results[path] = getattr(exc, "reason", repr(exc))
        finally:
            pool.close()
    assert results["/busy"] == 200 and Flaky.seen["/busy"] == 2    # 503 retried
    assert results["/big"].startswith("too large")
    assert results["/loop"].startswith("redirect loop")
    assert results["/trickle"].startswith("timed out after 1 s")  # one deadline for the whole fetch
    assert results["/ok"] == 200
    assert Flaky.seen["/robots.txt"] == 1


def test_kb_ingest_of_many_page_urls_fetches_them_ahead_in_order(hosts, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KB_FETCH_DELAY", str(DELAY))
    dead = f"http://127.0.0.5:{closed_port('127.0.0.5')}/page/0"
    urls = [f"{base}/page/{i}" for base, _ in hosts for i in range(2)]   # one host after another
    urls.insert(3, dead)
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(cli, ["ingest", "--no-extract", "--concurrency", "4", "--db", str(db), *urls])
    assert result.exit_code == 1 and "6 new" in result.output and "1 failed" in result.output
    assert "connection failed" in result.output and "Traceback" not in result.output
    stored = [r["source"] for r in store.open_db(db).query("SELECT source FROM articles ORDER BY id")]
    assert stored == [u for u in urls if u != dead]          # stored in the order given
    starts = [pages_of(h) for _, h in hosts]
    assert max(s[0] for s in starts) < min(s[1] for s in starts)   # the hosts were fetched at once
