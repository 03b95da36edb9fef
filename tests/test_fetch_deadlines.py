"""Slow and dead servers (issue 12, item 6): one total deadline per request, timeouts not
retried, a host that keeps failing given up for the run, failures told as they happen.

Every server is on 127.0.0.1: one that trickles its body or its headers a byte at a time,
one that accepts and never answers (localserver.silent), a closed port (closed_port).
Wall times are checked loosely: a 1 s deadline must end a fetch in about 1 s, not 5-20.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from ingest.article import IngestError
from ingest.fetch import Fetcher
from kb import jobs, store
from kb.cli import cli

from localserver import QuietHandler, closed_port, serve, silent


class Slow(QuietHandler):
    """Paths: /trickle-body, /trickle-headers (a byte every 0.25 s), /hang (3 s), /always503, /ok."""

    hits: dict[str, int] = {}

    def do_GET(self) -> None:
        path = self.path
        self.hits[path] = self.hits.get(path, 0) + 1
        if path == "/robots.txt":
            return self.send(404)
        if path.startswith("/trickle-body"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            return self.trickle(b"<p>" + b"x" * 200)
        if path.startswith("/trickle-headers"):
            return self.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 200)
        if path.startswith("/hang"):
            time.sleep(3)
            return self.send(200, b"too late")
        if path.startswith("/always503"):
            return self.send(503, b"down")
        return self.send(200, b"<html><body><p>A page that answers at once.</p></body></html>", "text/html")

    def trickle(self, data: bytes) -> None:
        try:
            for i in range(len(data)):
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                time.sleep(0.25)
        except OSError:  # the client gave up: expected
            pass
        self.close_connection = True


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(Slow) as base:
        yield base


def timed_failure(fetcher: Fetcher, url: str) -> tuple[IngestError, float]:
    start = time.monotonic()
    with pytest.raises(IngestError) as info:
        fetcher.fetch(url)
    return info.value, time.monotonic() - start


def failing_reasons(fetcher: Fetcher, urls: list[str]) -> tuple[list[str], float]:
    """Why each URL failed (each must), and the wall time of them all."""
    start = time.monotonic()
    reasons = [timed_failure(fetcher, url)[0].reason for url in urls]
    return reasons, time.monotonic() - start


# --- one deadline per request ------------------------------------------------------------

def test_trickled_body_ends_at_the_deadline(server: str) -> None:
    with Fetcher(timeout=1) as f:
        err, elapsed = timed_failure(f, f"{server}/trickle-body-1")
    assert err.stage == "fetch" and err.reason.startswith("timed out after 1 s")
    assert elapsed < 3, elapsed                 # the old per-read limits let it run ~10 s
    assert Slow.hits["/trickle-body-1"] == 1    # a timeout is not retried


def test_trickled_headers_end_at_the_deadline(server: str) -> None:
    """Every read gets a byte in time: only a deadline over the whole request stops it."""
    with Fetcher(timeout=1) as f:
        err, elapsed = timed_failure(f, f"{server}/trickle-headers-1")
    assert err.reason.startswith("timed out")
    assert elapsed < 3, elapsed
    assert Slow.hits["/trickle-headers-1"] == 1


def test_server_that_never_answers() -> None:
    with silent() as base, Fetcher(timeout=1) as f:   # robots.txt on: it shares the deadline
        err, elapsed = timed_failure(f, f"{base}/page")
    assert err.reason.startswith("timed out")
    assert elapsed < 2.5, elapsed               # was robots 1 s + 3 attempts of 1 s + backoff


def test_5xx_retries_stay_within_the_deadline(server: str) -> None:
    with Fetcher(timeout=1, retries=5, backoff=0.3) as f:
        err, elapsed = timed_failure(f, f"{server}/always503-1")
    assert "HTTP 503" in err.reason
    assert 2 <= Slow.hits["/always503-1"] < 6   # retried, but not past the deadline
    assert elapsed < 2, elapsed


# --- hosts that keep failing -------------------------------------------------------------

def test_host_that_never_answers_is_given_up() -> None:
    """Eight URLs of a dead host cost two timeouts, not eight."""
    with silent() as base, Fetcher(timeout=0.5, give_up_after=2) as f:
        reasons, elapsed = failing_reasons(f, [f"{base}/entry-{i}" for i in range(8)])
    assert all(r.startswith("timed out") for r in reasons[:2]), reasons[:2]
    host = base.split("//")[1]
    assert all(r.startswith(f"host given up after 2 failures in this run: {host}") for r in reasons[2:]), reasons
    assert elapsed < 2.5, elapsed


def test_unreachable_host_is_given_up() -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    with Fetcher(timeout=2) as f:
        reasons, elapsed = failing_reasons(f, [f"{dead}/entry-{i}" for i in range(10)])
        assert f.given_up(f"{dead}/other")
    assert reasons[0].startswith("connection failed") and "given up" not in reasons[0]
    assert sum("host given up after 2 failures" in r for r in reasons) == 8
    assert elapsed < 1.5, elapsed               # no backoff, no retries of a refused connect


def test_only_failures_in_a_row_count_and_other_hosts_are_untouched(server: str) -> None:
    with Fetcher(timeout=0.5, give_up_after=2) as f:
        for i in range(3):                      # slow, fine, slow, fine...: never given up
            with pytest.raises(IngestError, match="timed out"):
                f.fetch(f"{server}/hang-{i}")
            assert f.fetch(f"{server}/ok-{i}").status == 200
        with silent() as dead:
            for i in range(3):
                with pytest.raises(IngestError):
                    f.fetch(f"{dead}/x{i}")
            assert f.given_up(f"{dead}/x") and not f.given_up(f"{server}/ok")
        assert f.fetch(f"{server}/ok-again").status == 200


# --- the run records every failure and tells it as it happens --------------------------------

def test_ingest_records_each_failure_and_tells_it_at_once(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    text = tmp_path / "later.txt"
    text.write_text("Officials said the port would reopen on Monday.", encoding="utf-8")
    db = store.open_db(tmp_path / "kb.db")
    heard: list[tuple[str, int]] = []

    def on_message(message: str) -> None:        # the text file comes after: not stored yet
        heard.append((message, db.execute("SELECT count(*) FROM articles").fetchone()[0]))

    sources = [f"{dead}/a{i}" for i in range(5)] + [str(text)]
    with Fetcher(timeout=2) as f:
        report = jobs.ingest(db, sources, extract_after=False, fetcher=f, on_message=on_message)
    assert report.new == 1 and report.failed == 5
    assert [m for m, _ in heard] == report.messages and all(stored == 0 for _, stored in heard)
    failures = {r["source"]: r["reason"] for r in db.query("SELECT source, reason FROM failures")}
    assert set(failures) >= set(sources[:5])    # nothing lost: each URL recorded
    assert sum("host given up after 2 failures" in r for r in failures.values()) == 3


def test_cli_prints_each_failure_once(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(cli, ["ingest", "--no-extract", "--db", str(tmp_path / "kb.db"),
                                      f"{dead}/a", f"{dead}/b", f"{dead}/c"])
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, result.stderr
    assert "host given up after 2 failures" in errors[2]
    assert "3 failed" in result.stdout and result.exit_code == 1
