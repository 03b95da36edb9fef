"""Many hosts at once, one writer: fetches run concurrently, results come out in order.

`FetchPool` runs an `AsyncFetcher` (ingest/fetch.py: asyncio and httpx, every rule of the
sequential Fetcher) on an event loop in a background thread. The caller's thread, the one
that owns the database, drives a `Crawl`: it submits fetches, and while it waits for the
result it needs next it parses whatever else has arrived (feeds, pages) and submits the
fetches those call for. Items come out in the order of the sources and of their entries,
whatever order the network answers in, so a run stores the same rows in the same order as
a sequential one. A dead or slow host holds up only its own entries (and, for the order,
what comes after them, which is fetched meanwhile). Memory stays bounded: at most `window`
feeds are fetched ahead of the one being stored, or `window` entries ahead in one feed.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

from .article import Article, Failure, IngestError
from .fetch import AsyncFetcher, Fetcher, Response
from .sources import Item, Pending, _parse, _Run, checked, entry_page, iter_feed_update

Future = concurrent.futures.Future


class FetchPool:
    """Fetches submitted from the caller's thread run at once on an asyncio loop of their
    own (a background thread), under the rules of `fetcher` (see AsyncFetcher).
    `submit` returns a concurrent.futures.Future of the Response (or its IngestError)."""

    def __init__(self, fetcher: Fetcher, concurrency: int | None = None):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kb-fetch", daemon=True)
        self._thread.start()
        self._aio = AsyncFetcher(fetcher, concurrency or fetcher.concurrency)
        self._closed = False

    def submit(self, url: str, **kwargs: Any) -> Future:
        return asyncio.run_coroutine_threadsafe(self._aio.fetch(url, **kwargs), self._loop)

    def close(self) -> None:
        """Cancel what is still running, close the connections, stop the loop."""
        if self._closed:
            return
        self._closed = True

        async def shutdown() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._aio.aclose()

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
        except Exception:   # (a task that would not stop) the loop is stopped all the same
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            if not self._thread.is_alive():
                self._loop.close()


@dataclass
class _Slot:
    """A place in the output: its items, or None while they are being fetched."""

    items: list[Item] | None = None


@dataclass
class _Feed:
    """A followed feed in the crawl: its slots once its own fetch answered."""

    source: str
    state: dict
    slots: list[_Slot] | None = None
    local: bool = False


class Crawl:
    """Fetches in flight and what to do with each answer, in the caller's thread."""

    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher
        self.window = max(32, 4 * fetcher.concurrency)
        self.pool = FetchPool(fetcher)
        self._done: queue.SimpleQueue = queue.SimpleQueue()
        self._in_flight = 0

    def __enter__(self) -> "Crawl":
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.close()

    def fetch(self, url: str, then: Callable[[Response | BaseException], None], **kwargs: Any) -> None:
        """Fetch `url`; `then(response or error)` runs in this thread once it is done."""
        fut = self.pool.submit(url, **kwargs)
        self._in_flight += 1
        fut.add_done_callback(lambda f: self._done.put((f, then)))

    def wait(self, ready: Callable[[], bool]) -> None:
        """Handle finished fetches until `ready()`."""
        while not ready():
            if self._in_flight == 0:
                raise RuntimeError("crawl: waiting for a result no fetch will bring")
            fut, then = self._done.get()
            self._in_flight -= 1
            try:
                got: Response | BaseException = fut.result()
            except Exception as exc:      # its IngestError
                got = exc
            except BaseException:         # cancelled (the run is ending)
                got = RuntimeError("fetch cancelled")
            then(got)

    def page(self, pending: Pending) -> _Slot:
        """The slot of a feed entry whose page is being fetched."""
        slot = _Slot()

        def then(got: Response | BaseException) -> None:
            try:
                slot.items = list(checked(entry_page(pending.entry, pending.link, got)))
            except Exception as exc:  # never leave a slot empty
                slot.items = [pending.entry, Failure(pending.link, "parse", f"unexpected {type(exc).__name__}")]

        self.fetch(pending.link, then)
        return slot

    def slots(self, items: Iterable[Item | Pending]) -> Iterator[_Slot]:
        """A slot per item, each page to fetch submitted as it comes."""
        for item in items:
            yield self.page(item) if isinstance(item, Pending) else _Slot(list(checked([item])))

    def drain(self, slot: _Slot) -> list[Item]:
        self.wait(lambda: slot.items is not None)
        items, slot.items = slot.items or [], []
        return items


def resolve(items: Iterable[Item | Pending], fetcher: Fetcher) -> Iterator[Item]:
    """Items with every Pending entry's page fetched, `window` at a time, in their order."""
    with Crawl(fetcher) as crawl:
        ahead: deque[_Slot] = deque()
        source = crawl.slots(items)
        for slot in source:
            ahead.append(slot)
            if len(ahead) >= crawl.window:
                yield from crawl.drain(ahead.popleft())
        while ahead:
            yield from crawl.drain(ahead.popleft())


def iter_feed_updates(feeds: Sequence[tuple[str, dict]], *, fetch_entries: bool = True,
                      fetcher: Fetcher | None = None,
                      known: Callable[[Article], bool] | None = None) -> Iterator[Iterator[Item]]:
    """For each followed feed `(source, state)`, in order, an iterator of its items, as
    `iter_feed_update` gives them (and updating `state` the same way); each must be
    consumed before the next is asked for. Feeds and entry pages on different hosts are
    fetched at once (`fetcher.concurrency`); with a concurrency of 1, one after another."""
    own = fetcher is None
    f = fetcher or Fetcher()
    try:
        if f.concurrency <= 1:
            for source, state in feeds:
                yield iter_feed_update(source, state, fetch_entries=fetch_entries, fetcher=f, known=known)
            return
        with Crawl(f) as crawl:
            yield from _crawl_feeds(crawl, feeds, _Run(fetch_entries, f, known, defer=True))
    finally:
        if own:
            f.close()


def _crawl_feeds(crawl: Crawl, feeds: Sequence[tuple[str, dict]], run: _Run) -> Iterator[Iterator[Item]]:
    todo = iter(feeds)
    ahead: deque[_Feed] = deque()

    def admit() -> None:
        for source, state in todo:
            feed = _Feed(source, state, local=not source.lower().startswith(("http://", "https://")))
            ahead.append(feed)
            if not feed.local:
                crawl.fetch(source, lambda got, feed=feed: _feed_answered(crawl, feed, got, run),
                            etag=state.get("etag"), last_modified=state.get("last_modified"))
            if len(ahead) >= crawl.window:
                return

    admit()
    while ahead:
        feed = ahead.popleft()
        if feed.local:   # a feed file: read when its turn comes
            yield iter_feed_update(feed.source, feed.state, fetch_entries=run.fetch_entries,
                                   fetcher=crawl.fetcher, known=run.known)
        else:
            yield _feed_items(crawl, feed)
        admit()


def _feed_items(crawl: Crawl, feed: _Feed) -> Iterator[Item]:
    crawl.wait(lambda: feed.slots is not None)
    for slot in feed.slots or []:
        yield from crawl.drain(slot)
    feed.slots = []


def _feed_answered(crawl: Crawl, feed: _Feed, got: Response | BaseException, run: _Run) -> None:
    """A followed feed's answer: parse it, submit its entries' pages; never raises."""
    state = feed.state
    if isinstance(got, BaseException):
        state["status"] = "failed"
        failure = got.failure() if isinstance(got, IngestError) else \
            Failure(feed.source, "fetch", f"unexpected {type(got).__name__}")
        feed.slots = [_Slot([failure])]
        return
    if got.not_modified:
        state["status"] = "not modified"
        feed.slots = []
        return
    state.update(etag=got.headers.get("etag"), last_modified=got.headers.get("last-modified"), status="ok")
    slots: list[_Slot] = []
    try:
        slots.extend(crawl.slots(_parse("feed", got.content, feed.source, got.url, run, headers=got.headers)))
    except Exception as exc:  # a parser bug costs this feed only
        slots.append(_Slot([Failure(feed.source, "feed", f"unexpected error: {type(exc).__name__}: {exc}")]))
    feed.slots = slots


class Prefetch:
    """Fetches the http(s) sources of a run ahead, many hosts at once, for a consumer that
    takes them one by one (`kb ingest URL URL ...`): `fetcher.fetch(url)` then takes the
    answer fetched ahead. At most `window` answers are fetched ahead of the one taken."""

    def __init__(self, fetcher: Fetcher, sources: Iterable[str]):
        self.fetcher = fetcher
        self.todo = deque(dict.fromkeys(s for s in sources if s.lower().startswith(("http://", "https://"))))
        self.window = 2 * fetcher.concurrency
        self.pool = FetchPool(fetcher) if fetcher.concurrency > 1 and len(self.todo) > 1 else None
        self.waiting: dict[str, Future] = {}
        self._fill()

    def __enter__(self) -> "Prefetch":
        return self

    def __exit__(self, *exc: object) -> None:
        for url in self.waiting:
            self.fetcher.ahead.pop(url, None)
        if self.pool is not None:
            self.pool.close()

    def _fill(self) -> None:
        while self.pool is not None and self.todo and len(self.waiting) < self.window:
            url = self.todo.popleft()
            self.waiting[url] = self.pool.submit(url)
            self.fetcher.ahead[url] = lambda url=url: self._take(url)

    def _take(self, url: str) -> Response:
        fut = self.waiting.pop(url)
        self._fill()
        return fut.result()   # the Response, or raises its IngestError as fetch() would
