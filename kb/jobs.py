"""What the commands do: ingest sources, run extraction, follow feeds.

The CLI is a thin face over these functions; they take a database and report
what happened, and never raise for one bad source (it is recorded and skipped).
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator
from urllib.parse import urlparse

import sqlite_utils

from ingest.article import Article, Failure, Unchanged
from ingest.fetch import Fetcher
from ingest.crawl import iter_feed_updates
from ingest.sources import display_source, iter_source
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
    skipped: int = 0  # recorded in failures with stage "skip" (hidden, not a text file, ...)
    not_modified: bool = False  # a followed feed that answered 304 Not Modified
    extracted: int = 0
    claims: int = 0
    messages: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was skipped, and why
    new_ids: list[int] = field(default_factory=list)
    on_message: Callable[[str], None] | None = field(default=None, repr=False, compare=False)  # told as it happens

    def summary(self) -> str:
        parts = [f"{self.new} new", f"{self.changed} changed", f"{self.unchanged} unchanged"]
        if self.duplicate:
            parts.append(f"{self.duplicate} duplicate")
        if self.near_duplicate:
            parts.append(f"{self.near_duplicate} near-duplicate")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
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
    if report.on_message:
        report.on_message(report.messages[-1])


def _stopped(report: Report, exc: store.Locked) -> None:
    """The run could not write (another run held the database too long): say so, stop."""
    report.failed += 1
    report.messages.append(str(exc))
    if report.on_message:
        report.on_message(report.messages[-1])


def _store(db: sqlite_utils.Database, report: Report, item: Article | Failure | Unchanged,
           source_id: int) -> None:
    if isinstance(item, Unchanged):
        report.unchanged += 1
        return
    if isinstance(item, Failure) and item.stage == "skip":  # a notice: recorded, not an error
        store.record_failure(db, item)
        report.skipped += 1
        report.notices.append(f"{item.source}: {item.reason}")
        return
    if isinstance(item, Failure):
        _fail(db, report, item)
        return
    try:
        pk, status = store.store_article(db, item, source_id)
    except store.Locked:
        raise                 # no write gets through: the run stops (see ingest)
    except Exception as exc:  # a row the database refuses must not stop the run
        _fail(db, report, Failure(item.source, "store", f"could not store article: {exc}"))
        return
    setattr(report, status, getattr(report, status) + 1)
    if status in ("new", "changed", "duplicate", "near_duplicate"):
        report.new_ids.append(pk)


def ingest(db: sqlite_utils.Database, sources: Iterable[str], *, fetch_entries: bool = True,
           extract_after: bool = True, progress: Progress = _no_progress, fetcher=None,
           on_message: Callable[[str], None] | None = None, workers: int = 0,
           scheduler: str | None = None) -> Report:
    """Store the articles of every source; then extract what is new (unless told not to).
    `on_message` hears of each failure as it is recorded; `workers`/`scheduler`: see extract."""
    report = Report(on_message=on_message)
    try:
        with (nullcontext(fetcher) if fetcher else Fetcher()) as f:  # one client for the run: robots.txt and delays per host
            for source in progress(list(sources), label="ingest"):
                sid = store.upsert_source(db, display_source(source), source_kind(source))
                try:
                    for item in iter_source(source, fetch_entries=fetch_entries, fetcher=f,
                                            known=lambda entry: store.entry_stored(db, entry)):
                        _store(db, report, item, sid)
                except store.Locked:
                    raise
                except Exception as exc:  # a parser bug must cost one source, not the run
                    _fail(db, report, Failure(display_source(source), "read", f"unexpected error: {type(exc).__name__}: {exc}"))
    except store.Locked as exc:   # every article stored so far is whole; a re-run goes on from there
        _stopped(report, exc)
        return report
    if extract_after:
        extract(db, report=report, progress=progress, workers=workers, scheduler=scheduler)
    return report


def extract(db: sqlite_utils.Database, *, everything: bool = False, report: Report | None = None,
            progress: Progress = _no_progress, batch_size: int = 16, n_process: int = 1,
            on_message: Callable[[str], None] | None = None, budget=None, workers: int = 0,
            scheduler: str | None = None) -> Report:
    """Run the NLP on articles not yet processed (or all), then recompute claim threads.

    Texts are read and analysed as a stream (a batch at a time, never all in memory); the
    results of a batch are saved in one write transaction, each article whole (a killed run
    leaves every article saved in full or not at all). An article over its time or
    size budget (``budget``, default kb.nlp.budget.Budget.from_env) or one the pipeline fails
    on is recorded in failures (stage extract) and skipped by later runs until its text
    changes or ``everything``. Another run extracting at the same time is no harm: an
    article it did meanwhile is skipped. ``n_process`` is not used (one process).

    With ``workers`` (a local Dask cluster of that many processes) or ``scheduler`` (the
    address of a running one) the NLP runs on the cluster (kb.dask_extract) and this process
    saves the results, in article order, exactly as a local run would.
    """
    from kb.dask_extract import ClusterError

    report = report or Report(on_message=on_message)
    try:
        _extract(db, everything, report, progress, batch_size, budget, workers, scheduler)
    except (store.Locked, ClusterError) as exc:  # each article saved so far is whole; a re-run goes on from there
        _stopped(report, exc)
    return report


@contextmanager
def _analyses(texts: Iterator, todo: list, budget, batch_size: int, workers: int,
              scheduler: str | None, closing: list) -> Iterator[Iterator[list]]:
    """The (key, result or AnalysisError) pairs of each batch of (key, text), a batch at a
    time: analysed in this process, or on Dask. Both cut the batches alike
    (kb.dask_extract.batches, the rule of kb.nlp.budget.analyze_stream). A Dask cluster is
    left closing in a thread appended to ``closing``."""
    if not todo:                       # no model loaded, no cluster started for nothing
        yield iter(())
    elif workers or scheduler:
        from kb import dask_extract

        with dask_extract.connect(workers, scheduler, closing=closing) as client:
            yield dask_extract.analysis_batches(texts, client, budget=budget, batch_size=batch_size)
    else:
        yield _local_batches(texts, budget, batch_size)


def _local_batches(texts: Iterator, budget, batch_size: int) -> Iterator[list]:
    """Each batch's results, analysed in this process (those of a batch come out together)."""
    from kb.dask_extract import batches
    from kb.nlp import load_nlp
    from kb.nlp.budget import analyze_stream

    nlp = load_nlp()
    for batch in batches(texts, batch_size):
        yield list(analyze_stream(batch, nlp, budget=budget, batch_size=batch_size, reports=True))


def _extract(db: sqlite_utils.Database, everything: bool, report: Report, progress: Progress,
             batch_size: int, budget, workers: int = 0, scheduler: str | None = None) -> None:
    from kb.nlp.budget import Budget
    from kb.track import update_threads

    todo = store.articles_to_extract(db, everything)
    foreign = [art for art in todo if not_english(art["language"])]     # kept, not analysed: below
    todo = [art for art in todo if not not_english(art["language"])]

    def texts() -> Iterator[tuple[tuple[int, str, str], str]]:
        for art in progress(todo, label="extract"):
            found = store.text_to_extract(db, art["id"], everything)
            if found is not None:        # else gone, or extracted by another run meanwhile
                title = _headline(db, art["id"], found[0])
                if title:                # analysed on its own: its claims join the body's (_save_all)
                    yield (art["id"], art["source"], found[1], "title"), title
                yield (art["id"], art["source"], found[1]), found[0]

    closing: list = []
    with _analyses(texts(), todo, budget or Budget.from_env(), batch_size, workers, scheduler, closing) as results:
        _save_all(db, report, results, everything)
    _save_unread(db, report, foreign, everything)
    try:
        with store.write(db):      # the write lock first: the threads' update reads, then writes
            update_threads(db)     # (also with nothing to extract: a run killed before this point)
    finally:
        for thread in closing:     # the Dask cluster closed meanwhile
            thread.join()
    try:
        db.execute("PRAGMA optimize")  # keeps the query planner's statistics fresh as the database grows
    except sqlite3.OperationalError:
        pass                           # another run is writing: next time


def not_english(language: str | None) -> bool:
    """The article's language is known and is not English (the spaCy model reads English only;
    its entities and claims on German or Chinese text are noise). Unknown counts as English."""
    return bool(language) and not language.lower().startswith("en")


def _save_unread(db: sqlite_utils.Database, report: Report, arts: list[dict], everything: bool) -> None:
    """Articles in another language: kept and marked extracted with no mentions or claims, the
    reason recorded (failures, stage extract: not retried) and told as a notice."""
    for art in arts:
        found = store.text_to_extract(db, art["id"], everything)
        if found is None or not store.save_analysis(db, art["id"], {}, content_hash=found[1],
                                                    if_unextracted=not everything):
            continue
        reason = f"not analysed: the text is in language '{art['language']}'; the NLP model reads English"
        store.record_failure(db, Failure(art["source"], "extract", reason))   # save_analysis resolved the last
        report.skipped += 1
        report.notices.append(f"{art['source']}: {reason}")


OFFSETS = ("speaker_start", "speaker_end", "cue_start", "cue_end", "content_start", "content_end")


def _headline(db: sqlite_utils.Database, article_id: int, text: str) -> str | None:
    """The article's title when its text does not begin with it (the title is analysed too)."""
    row = db.execute("SELECT title FROM articles WHERE id = ?", [article_id]).fetchone()
    title = (row[0] or "").strip() if row else ""
    return title if title and not text.lstrip().startswith(title) else None


def _save_all(db: sqlite_utils.Database, report: Report, groups: Iterable[list], everything: bool) -> None:
    """Save the analyses of each batch in one write transaction, each article in it whole (a
    savepoint of its own: an article the database refuses costs that article only); record
    what could not be analysed or saved. A killed run loses at most the batch being saved, and
    every article is saved in full or not at all: a re-run does the rest."""
    headlines: dict[int, list[dict]] = {}
    for group in groups:
        done: list[int] = []              # claims of each article saved, counted once committed
        stop = None
        with store.write(db):
            for key, result in group:
                try:
                    saved = _save_one(db, report, key, result, headlines, everything)
                except store.Locked as exc:
                    stop = exc            # the articles before it are kept: committed below
                    break
                if saved is not None:
                    done.append(saved)
        report.extracted += len(done)
        report.claims += sum(done)
        if stop is not None:
            raise stop


def _save_one(db: sqlite_utils.Database, report: Report, key: tuple, result, headlines: dict,
              everything: bool) -> int | None:
    """Save one analysis (or record why there is none); its number of claims once saved."""
    if len(key) == 4:         # the title's claims ('..., diplomat says'), without body offsets
        if not isinstance(result, Exception):
            headlines[key[0]] = [{**c, **dict.fromkeys(OFFSETS)} for c in result.get("claims", [])]
        return None
    article_id, source, content_hash = key
    if not isinstance(result, Exception) and headlines.get(article_id):
        result = {**result, "claims": headlines.pop(article_id) + list(result.get("claims", []))}
    if isinstance(result, Exception):
        _fail(db, report, Failure(source, "extract", f"article {article_id} not analysed: {result}"))
        return None
    try:
        saved = store.save_analysis(db, article_id, result, content_hash=content_hash,
                                    if_unextracted=not everything)
    except store.Locked:
        raise
    except Exception as exc:  # a result the database refuses costs that article only
        _fail(db, report, Failure(source, "extract", f"article {article_id} not saved: {type(exc).__name__}: {exc}"))
        return None
    return len(result.get("claims", [])) if saved else None


# --- feeds ----------------------------------------------------------------------------

def feeds_add(db: sqlite_utils.Database, url: str) -> int:
    """Follow a feed (by URL or local path); returns its source id."""
    sid = store.upsert_source(db, url, "feed")
    db["sources"].update(sid, {"followed": 1})
    return sid


def feeds_update(db: sqlite_utils.Database, *, fetch_entries: bool = True, extract_after: bool = True,
                 progress: Progress = _no_progress, fetcher=None,
                 on_message: Callable[[str], None] | None = None) -> tuple[dict[str, Report], Report]:
    """Fetch every followed feed (conditional GET where the server allows).

    Returns a report per feed and the report of the extraction that followed.
    """
    reports: dict[str, Report] = {}
    feeds = list(db.query("SELECT id, source, etag, last_modified FROM sources WHERE followed = 1 ORDER BY id"))
    extracted = Report(on_message=on_message)
    try:
        with (nullcontext(fetcher) if fetcher else Fetcher()) as f:
            _update_feeds(db, feeds, reports, fetch_entries, progress, f, on_message)
    except store.Locked as exc:   # every entry stored so far is whole; a re-run goes on from there
        _stopped(extracted, exc)
        return reports, extracted
    if extract_after and any(r.new_ids for r in reports.values()):
        extract(db, report=extracted, progress=progress)
    return reports, extracted


def _update_feeds(db, feeds, reports, fetch_entries, progress, fetcher, on_message=None) -> None:
    states = [{} if store.has_open_failures(db, feed["id"], feed["source"])  # failed last time: fetch it in full
              else {"etag": feed["etag"], "last_modified": feed["last_modified"]} for feed in feeds]
    batches = iter_feed_updates([(feed["source"], state) for feed, state in zip(feeds, states)],  # many hosts at
                                fetch_entries=fetch_entries, fetcher=fetcher,    # once, stored in order (crawl.py)
                                known=lambda entry: store.entry_stored(db, entry))
    for feed, state in progress(list(zip(feeds, states)), label="feeds"):
        report = reports[feed["source"]] = Report(on_message=on_message)
        try:
            for item in next(batches):
                _store(db, report, item, feed["id"])
        except store.Locked:
            raise
        except Exception as exc:
            _fail(db, report, Failure(feed["source"], "feed", f"unexpected error: {type(exc).__name__}: {exc}"))
        report.not_modified = state.get("status") == "not modified"
        with store.write(db):
            db["sources"].update(feed["id"], {"etag": state.get("etag"), "last_modified": state.get("last_modified"),
                                              "last_checked_at": store.now(),
                                              "last_status": state.get("status") or ("failed" if report.failed else "ok")})
