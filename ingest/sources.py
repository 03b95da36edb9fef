"""From a source as given (URL, file, folder) to Articles and Failures, never raising.

`iter_source` classifies the source, reads or fetches it, picks the parser (feed, html,
text) by Content-Type, extension and sniffing, and for feeds optionally fetches each
entry's page (many hosts at once when the Fetcher's concurrency allows: ingest/crawl.py).
News archives (WARC, JSON lines) are streamed record by record (ingest/archives.py).
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from .archives import archive_kind, iter_archive
from .article import Article, Failure, IngestError, Unchanged, safe_name, scrubbed, url_host
from .feeds import _maybe_gunzip, looks_like_feed, parse_feed
from .fetch import Fetcher, Response
from .html import parse_html
from .text import parse_text

MAX_FILE_BYTES = 20_000_000
FEED_EXTENSIONS = {".xml", ".rss", ".atom", ".rdf", ".json", ".feed"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_EXTENSIONS = {".txt", ".text", ".md"}
FOLDER_EXTENSIONS = FEED_EXTENSIONS | HTML_EXTENSIONS | TEXT_EXTENSIONS  # any case: .TXT, .Md
SKIP = "skip"  # the stage of a Failure that is a notice: recorded and reported, not an error
FEED_TYPES = ("rss", "atom", "rdf", "feed+json", "application/json", "application/feed", "/xml", "+xml")
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.I)

Item = Article | Failure | Unchanged


@dataclass
class _Run:
    """What every step of one source needs: entry fetching on/off, the client, and which
    entries are already stored as they are (their pages are not fetched again). With
    `defer`, an entry page to fetch is handed on as a `Pending` (ingest/crawl.py fetches it)."""

    fetch_entries: bool
    fetcher: Fetcher | None
    known: Callable[[Article], bool] | None = None
    defer: bool = False

    def deferred(self) -> "_Run":
        return _Run(self.fetch_entries, self.fetcher, self.known, defer=True)


@dataclass
class Pending:
    """A feed entry whose page is still to be fetched from `link`."""

    entry: Article
    link: str


def _sniff(data: bytes) -> str:
    """'feed', 'html' or 'text' from the first bytes."""
    if looks_like_feed(data):
        return "feed"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_SNIFF.search(head[:2048]) or head[:1] == b"<":
        return "html"
    return "text"


def classify_file(path: Path, data: bytes) -> str:
    """'feed', 'html' or 'text' for a file, by extension and, when unknown, by sniffing."""
    ext = path.suffix.lower()
    if ext in HTML_EXTENSIONS:
        return "feed" if looks_like_feed(data) and not _HTML_SNIFF.search(data[:2048]) else "html"
    if ext in FEED_EXTENSIONS:
        return "feed"
    if ext in TEXT_EXTENSIONS:
        return "text"
    return _sniff(data)


def classify_response(resp: Response) -> str:
    """'feed', 'html' or 'text' for a fetched response: Content-Type, then sniffing."""
    ctype = resp.content_type
    if "html" in ctype:
        return "feed" if looks_like_feed(resp.content) else "html"
    if any(t in ctype for t in FEED_TYPES):
        return "feed" if looks_like_feed(resp.content) else _sniff(resp.content)
    if ctype == "text/plain":
        return "feed" if looks_like_feed(resp.content) else "text"
    return _sniff(resp.content)


def _parse(kind: str, data: bytes, source: str, url: str | None, run: _Run,
           headers: dict | None = None) -> Iterator[Item]:
    try:
        if kind == "feed":
            meta, entries = parse_feed(data, source, headers=headers)
            problems = meta.get("problems") or []
            if not entries and not problems:
                yield Failure(source, SKIP, "feed has no entries")
            yield from problems
        elif kind == "html":
            art = parse_html(data, source, url=url)
            art.kind = "page" if url else "file"
            yield art
            return
        else:
            art = parse_text(data, source)
            if url:
                art.kind, art.url, art.outlet = "page", url, url_host(url)
            yield art
            return
    except IngestError as exc:
        yield exc.failure()
        return
    except Exception as exc:  # a parser bug must not stop the other sources
        yield Failure(source, "parse", f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:160]}")
        return
    concurrent = run.fetch_entries and run.fetcher is not None and run.fetcher.concurrency > 1
    if not (run.defer or concurrent):
        for entry in entries:
            yield from _entry_items(scrubbed(entry), run)
        return
    items = (item for entry in entries for item in _entry_items(scrubbed(entry), run.deferred()))
    if run.defer:
        yield from items
    else:  # the entries' pages, many hosts at once, in the feed's order
        from .crawl import resolve
        yield from resolve(items, run.fetcher)


def _entry_items(entry: Article, run: _Run) -> Iterator[Item]:
    """A feed entry as an article; with fetch_entries, its linked page parsed as HTML.

    An entry the store already holds as it is (`run.known`) is not fetched again."""
    link = entry.source if entry.url else ""  # the entry's link made absolute
    scheme = urlsplit(link).scheme.lower()
    if not run.fetch_entries or not link:
        yield entry
        return
    if run.known is not None and run.known(entry):
        yield Unchanged(entry.source)
        return
    if scheme not in ("http", "https"):
        yield entry
        yield Failure(link, "fetch", f"refused scheme {scheme or '(none)'!r}: only http and https")
        return
    if run.defer:
        yield Pending(entry, link)
        return
    own = run.fetcher is None
    f = run.fetcher or Fetcher()
    try:
        got: Response | BaseException = f.fetch(link)
    except Exception as exc:
        got = exc
    finally:
        if own:
            f.close()
    yield from entry_page(entry, link, got)


def entry_page(entry: Article, link: str, got: Response | BaseException) -> Iterator[Item]:
    """A feed entry once its page was fetched (`got`, or why not): the page parsed as HTML,
    with the entry's fields where the page has none; else the entry and a Failure."""
    try:
        if isinstance(got, BaseException):
            raise got
        page = parse_html(got.content, link, url=got.url)
    except IngestError as exc:
        yield entry
        yield Failure(link, "fetch" if exc.stage == "fetch" else exc.stage, exc.reason)
        return
    except Exception as exc:
        yield entry
        yield Failure(link, "parse", f"unexpected {type(exc).__name__}")
        return
    page.kind, page.feed, page.entry_hash = "feed-entry", entry.feed, entry.entry_hash
    page.title = page.title or entry.title
    page.published_at = page.published_at or entry.published_at
    page.updated_at = page.updated_at or entry.updated_at
    page.byline = page.byline or entry.byline
    page.language = page.language or entry.language
    page.url = page.url or link
    page.outlet = page.outlet or entry.outlet
    page.extra.update({k: v for k, v in entry.extra.items() if k not in page.extra})
    page.extra["entry_title"] = entry.title
    page.extra["entry_link"] = entry.url
    yield page


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read (a FIFO would block for ever), or None."""
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISDIR, "a folder"))
    return "skipped: " + next((name for test, name in kinds if test(mode)), "a special file") + \
        ", not a regular file"


def _read_file(path: Path, source: str) -> bytes | Failure:
    """The bytes of a regular file (gunzipped), else a Failure. Never blocks: a FIFO or
    device is refused before it is opened, and opened without blocking in case it was
    swapped in meanwhile."""
    try:
        why = _not_regular(os.stat(path).st_mode)
        if why:
            return Failure(source, SKIP, why)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            why = _not_regular(st.st_mode)
            if why:
                return Failure(source, SKIP, why)
            if st.st_size > MAX_FILE_BYTES:
                return Failure(source, "read", f"file too large: {st.st_size} bytes (limit {MAX_FILE_BYTES})")
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        return Failure(source, "read", "permission denied")
    except OSError as exc:
        return Failure(source, "read", f"cannot read: {exc.strerror or type(exc).__name__}")
    if len(data) > MAX_FILE_BYTES:
        return Failure(source, "read", f"file too large: over {MAX_FILE_BYTES} bytes (limit {MAX_FILE_BYTES})")
    return _maybe_gunzip(data)


def _iter_file(path: Path, source: str, run: _Run) -> Iterator[Item]:
    if archive_kind(path):   # WARC or JSON lines: streamed, record by record
        try:
            why = _not_regular(os.stat(path).st_mode)
        except OSError as exc:
            why = f"cannot read: {exc.strerror or type(exc).__name__}"
        if why:
            yield Failure(source, "read" if why.startswith("cannot") else SKIP, why)
        else:
            yield from iter_archive(path, source)
        return
    data = _read_file(path, source)
    if isinstance(data, Failure):
        yield data
        return
    yield from _parse(classify_file(path, data), data, source, None, run)


def _skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not read, or None when it is."""
    if path.name.startswith("."):
        return "skipped: hidden file (its name starts with a dot)"
    if path.suffix.lower() not in FOLDER_EXTENSIONS and not archive_kind(path):
        return f"skipped: not a text, HTML or feed file ({path.suffix or 'no extension'})"
    return None


def folder_entries(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Everything under `folder`, in name order, with the reason it is skipped (or None
    for a file to read): hidden folders and links to folders are not entered."""
    found: list[tuple[Path, str | None]] = []
    errors: list[OSError] = []
    for root, dirs, names in os.walk(folder, onerror=errors.append):
        keep = []
        for d in dirs:
            if d.startswith("."):
                found.append((Path(root) / d, "skipped: hidden folder (its name starts with a dot)"))
            elif os.path.islink(os.path.join(root, d)):
                found.append((Path(root) / d, "skipped: a link to a folder (not followed)"))
            else:
                keep.append(d)
        dirs[:] = sorted(keep)
        found.extend((Path(root) / n, _skip_reason(Path(n))) for n in names)
    for err in errors:
        if err.filename is not None and os.fsdecode(err.filename) != os.fsdecode(folder):
            found.append((Path(os.fsdecode(err.filename)), f"cannot read folder: {err.strerror or type(err).__name__}"))
        elif err.filename is not None:
            raise err  # the folder itself: reported by iter_source
    yield from sorted(found, key=lambda pair: pair[0])


def _iter_folder(folder: Path, source: str, run: _Run) -> Iterator[Item]:
    """Every file under the folder: its articles, or a Failure saying why not (one bad
    file costs that file only)."""
    for path, skip in folder_entries(folder):
        name = os.path.join(source, str(path.relative_to(folder)))
        if skip:
            yield Failure(name, "read" if skip.startswith("cannot") else SKIP, skip)
            continue
        try:
            yield from _iter_file(path, name, run)
        except Exception as exc:  # a bug on one file must not end the folder
            yield Failure(name, "read", f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:160]}")


def _iter_url(url: str, run: _Run) -> Iterator[Item]:
    own = run.fetcher is None
    f = run.fetcher or Fetcher()
    run = _Run(run.fetch_entries, f, run.known)
    try:
        try:
            resp = f.fetch(url)
        except IngestError as exc:
            yield exc.failure()
            return
        if resp.not_modified:
            return
        kind = classify_response(resp)
        yield from _parse(kind, resp.content, url, resp.url, run, headers=resp.headers)
    finally:
        if own:
            f.close()


def checked(items: Iterable[Item]) -> Iterator[Item]:
    """Items fit to store: every string valid UTF-8 (names escaped, lone surrogates
    replaced), and a file or page without text turned into a Failure ("no text"). A feed
    entry is kept even without text: it is an item of its feed (its id, a headline, a link)."""
    for item in items:
        item = scrubbed(item)
        if isinstance(item, Article) and not item.feed and not (item.text or "").strip():
            yield Failure(item.source, "parse", "no text")
        else:
            yield item


def display_source(source: str) -> str:
    """A source as given (perhaps with undecodable bytes) as valid UTF-8 for the database."""
    return safe_name(source)


def iter_source(source: str, *, fetch_entries: bool = True, fetcher: Fetcher | None = None,
                known: Callable[[Article], bool] | None = None) -> Iterator[Item]:
    """Articles and Failures from one source (URL, file or folder). Never raises for it.

    `known(entry)` says a feed entry is stored as it is: its page is not fetched again and
    an `Unchanged` marker is yielded instead. Every string is valid UTF-8 (see `checked`)."""
    yield from checked(_iter_source(source, fetch_entries=fetch_entries, fetcher=fetcher, known=known))


def _iter_source(source: str, *, fetch_entries: bool, fetcher: Fetcher | None,
                 known: Callable[[Article], bool] | None) -> Iterator[Item]:
    run = _Run(fetch_entries, fetcher, known)
    scheme = urlsplit(source).scheme.lower() if "://" in source else ""
    if scheme in ("http", "https"):
        yield from _iter_url(source, run)
        return
    if scheme and scheme != "file":
        yield Failure(source, "fetch", f"refused scheme {scheme!r}: only http and https")
        return
    path = Path(urlsplit(source).path if scheme == "file" else source).expanduser()
    try:
        if path.is_dir():
            yield from _iter_folder(path, source, run)
        elif path.is_file():
            yield from _iter_file(path, source, run)
        elif path.exists():
            yield Failure(source, "read", "not a regular file or folder")
        else:
            yield Failure(source, "read", "no such file or directory")
    except OSError as exc:
        yield Failure(source, "read", f"cannot read: {exc.strerror or type(exc).__name__}")


def iter_feed_update(source: str, state: dict, *, fetch_entries: bool = True,
                     fetcher: Fetcher | None = None,
                     known: Callable[[Article], bool] | None = None) -> Iterator[Item]:
    """Articles of a followed feed, fetched with a conditional GET.

    `state` carries the feed's `etag` and `last_modified` from the previous run and is
    updated in place (plus `status`: "not modified", "ok" or "failed"). A local feed
    file is simply read again.
    """
    scheme = urlsplit(source).scheme.lower() if "://" in source else ""
    if scheme not in ("http", "https"):
        items = list(iter_source(source, fetch_entries=fetch_entries, fetcher=fetcher, known=known))
        state["status"] = "failed" if items and all(isinstance(i, Failure) and i.stage != SKIP
                                                     for i in items) else "ok"
        yield from items
        return
    own = fetcher is None
    f = fetcher or Fetcher()
    try:
        try:
            resp = f.fetch(source, etag=state.get("etag"), last_modified=state.get("last_modified"))
        except IngestError as exc:
            state["status"] = "failed"
            yield exc.failure()
            return
        if resp.not_modified:
            state["status"] = "not modified"
            return
        state.update(etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"), status="ok")
        yield from checked(_parse("feed", resp.content, source, resp.url, _Run(fetch_entries, f, known),
                                  headers=resp.headers))
    finally:
        if own:
            f.close()
