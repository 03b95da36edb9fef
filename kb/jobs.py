"""What the commands do: ingest sources, run extraction, follow feeds.

The CLI is a thin face over these functions; they take a database and report
what happened, and never raise for one bad source (it is recorded and skipped).
"""
from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator
from urllib.parse import urlparse

import sqlite_utils

from ingest.article import Article, Failure, Unchanged
from ingest.fetch import Fetcher
from ingest.sources import iter_feed_update, iter_source
from kb import store

Progress = Callable[[Iterable], Iterator]


def _no_progress(items: Iterable, **_: object) -> Iterator:
    yield from items


@dataclass
class Report:
    """Counts of one run, and the one-line messages of what failed."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: int = 0
    not_modified: bool = False  # a followed feed that answered 304 Not Modified
    extracted: int = 0
    claims: int = 0
    messages: list[str] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.new} new", f"{self.changed} changed", f"{self.unchanged} unchanged"]
        if self.duplicate:
            parts.append(f"{self.duplicate} duplicate")
        if self.near_duplicate:
            parts.append(f"{self.near_duplicate} near-duplicate")
        parts.append(f"{self.failed} failed")
        text = ", ".join(parts)
        if self.extracted:
            text += f"; extracted {self.extracted} article(s), {self.claims} claim(s)"
        return text


def source_kind(source: str) -> str:
    if urlparse(source).scheme in ("http", "https"):
        return "url"
    return "folder" if os.path.isdir(source) else "file"


def _fail(db: sqlite_utils.Database, report: Report, failure: Failure) -> None:
    store.record_failure(db, failure)
    report.failed += 1
    report.messages.append(f"{failure.source}: {failure.reason}")


def _store(db: sqlite_utils.Database, report: Report, item: Article | Failure | Unchanged,
           source_id: int) -> None:
    if isinstance(item, Unchanged):
        report.unchanged += 1
        return
    if isinstance(item, Failure):
        _fail(db, report, item)
        return
    try:
        pk, status = store.store_article(db, item, source_id)
    except Exception as exc:  # a row the database refuses must not stop the run
        _fail(db, report, Failure(item.source, "store", f"could not store article: {exc}"))
        return
    setattr(report, status, getattr(report, status) + 1)
    if status in ("new", "changed", "duplicate", "near_duplicate"):
        report.new_ids.append(pk)


def ingest(db: sqlite_utils.Database, sources: Iterable[str], *, fetch_entries: bool = True,
           extract_after: bool = True, progress: Progress = _no_progress, fetcher=None) -> Report:
    """Store the articles of every source; then extract what is new (unless told not to)."""
    report = Report()
    with (nullcontext(fetcher) if fetcher else Fetcher()) as f:  # one client for the run: robots.txt and delays per host
        for source in progress(list(sources), label="ingest"):
            sid = store.upsert_source(db, source, source_kind(source))
            try:
                for item in iter_source(source, fetch_entries=fetch_entries, fetcher=f,
                                        known=lambda entry: store.entry_stored(db, entry)):
                    _store(db, report, item, sid)
            except Exception as exc:  # a parser bug must cost one source, not the run
                _fail(db, report, Failure(source, "read", f"unexpected error: {type(exc).__name__}: {exc}"))
    if extract_after:
        extract(db, report=report, progress=progress)
    return report


def extract(db: sqlite_utils.Database, *, everything: bool = False, report: Report | None = None,
            progress: Progress = _no_progress, batch_size: int = 16, n_process: int = 1) -> Report:
    """Run the NLP on articles not yet processed (or all), then recompute claim threads."""
    from kb import nlp
    from kb.track import update_threads

    report = report or Report()
    todo = store.articles_to_extract(db, everything)
    if not todo:
        return report
    results = nlp.analyze_many((a["text"] for a in todo), batch_size=batch_size, n_process=n_process, reports=True)
    for art in progress(todo, label="extract"):
        try:
            result = next(results)
            store.save_analysis(db, art["id"], result)
        except StopIteration:
            break
        except Exception as exc:
            _fail(db, report, Failure(f"article {art['id']}", "extract", f"{type(exc).__name__}: {exc}"))
            continue
        report.extracted += 1
        report.claims += len(result.get("claims", []))
    update_threads(db)
    db.execute("PRAGMA optimize")  # keeps the query planner's statistics fresh as the database grows
    return report


# --- feeds ----------------------------------------------------------------------------

def feeds_add(db: sqlite_utils.Database, url: str) -> int:
    """Follow a feed (by URL or local path); returns its source id."""
    sid = store.upsert_source(db, url, "feed")
    db["sources"].update(sid, {"followed": 1})
    return sid


def feeds_update(db: sqlite_utils.Database, *, fetch_entries: bool = True, extract_after: bool = True,
                 progress: Progress = _no_progress, fetcher=None) -> tuple[dict[str, Report], Report]:
    """Fetch every followed feed (conditional GET where the server allows).

    Returns a report per feed and the report of the extraction that followed.
    """
    reports: dict[str, Report] = {}
    feeds = list(db.query("SELECT id, source, etag, last_modified FROM sources WHERE followed = 1 ORDER BY id"))
    with (nullcontext(fetcher) if fetcher else Fetcher()) as f:
        _update_feeds(db, feeds, reports, fetch_entries, progress, f)
    extracted = Report()
    if extract_after and any(r.new_ids for r in reports.values()):
        extract(db, report=extracted, progress=progress)
    return reports, extracted


def _update_feeds(db, feeds, reports, fetch_entries, progress, fetcher) -> None:
    for feed in progress(feeds, label="feeds"):
        report = reports[feed["source"]] = Report()
        state: dict = {"etag": feed["etag"], "last_modified": feed["last_modified"]}
        if store.has_open_failures(db, feed["id"], feed["source"]):
            state = {}  # something failed last time: fetch the feed in full to retry it
        try:
            for item in iter_feed_update(feed["source"], state, fetch_entries=fetch_entries, fetcher=fetcher,
                                         known=lambda entry: store.entry_stored(db, entry)):
                _store(db, report, item, feed["id"])
        except Exception as exc:
            _fail(db, report, Failure(feed["source"], "feed", f"unexpected error: {type(exc).__name__}: {exc}"))
        report.not_modified = state.get("status") == "not modified"
        db["sources"].update(feed["id"], {"etag": state.get("etag"), "last_modified": state.get("last_modified"),
                                          "last_checked_at": store.now(),
                                          "last_status": state.get("status") or ("failed" if report.failed else "ok")})
