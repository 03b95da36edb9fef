"""News archives, read as streams: WARC files and JSON lines of articles.

- WARC (`.warc`, `.warc.gz`: Common Crawl's CC-NEWS, Internet Archive and Webrecorder
  captures), read with warcio one record at a time. Each HTML response (HTTP 200, an HTML
  media type or a body that is HTML) is a page: parsed by ingest/html.py with its
  WARC-Target-URI as URL and source, and its WARC-Date as capture date (`extra`, and the
  article's date when the page gives none). Other records (requests, metadata, images,
  redirects, errors) are counted and reported once per archive as skipped.
- JSON lines (`.jsonl`, `.jsonl.gz`): one article per line, `{"url", "title",
  "published_at", "text"}` (the shape most news datasets come in; `byline`/`author` and
  `language` are read too). The source of each is its URL, else `ARCHIVE#line-N`.

Nothing holds the archive in memory: records and lines are read, parsed and handed on one
at a time (a record or line over MAX_RECORD_BYTES is refused, not read). A record or line
that cannot be read costs itself only (a Failure); an archive that breaks off (ill-formed
WARC, truncated gzip) keeps what came before and says where it stopped.
"""
from __future__ import annotations

import gzip
import io
import json
import logging
import zlib
from collections import Counter
from contextlib import redirect_stderr
from pathlib import Path
from typing import IO, Any, Iterator

from warcio.archiveiterator import ArchiveIterator

from .article import Article, Failure, IngestError, url_host
from .html import parse_html
from .text import clean_text, guess_language, to_iso

MAX_RECORD_BYTES = 20_000_000
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
SKIP = "skip"
Item = Article | Failure
logging.getLogger("warcio").setLevel(logging.ERROR)  # its warnings become our one-line failures


def archive_kind(path: Path | str) -> str | None:
    """'warc', 'jsonl' or None, by the file's name."""
    name = str(path).lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return None


def iter_archive(path: Path, source: str) -> Iterator[Item]:
    """The articles of an archive file, one at a time, and Failures for what could not be
    read. Never raises for the archive's content."""
    kind = archive_kind(path)
    try:
        with open(path, "rb") as fh:
            if kind == "warc":
                yield from _iter_warc(fh, source)
            else:
                yield from _iter_jsonl(fh, source)
    except OSError as exc:
        yield Failure(source, "read", f"cannot read: {exc.strerror or type(exc).__name__}")


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


# --- WARC ------------------------------------------------------------------------------

def _iter_warc(fh: IO[bytes], source: str) -> Iterator[Item]:
    skipped: Counter[str] = Counter()
    n, broke, said = 0, False, io.StringIO()   # said: what warcio writes to stderr (kept out of the output)
    records = iter(ArchiveIterator(fh, block_size=65536))
    while True:
        said.seek(0)
        said.truncate()   # only this record's
        try:
            with redirect_stderr(said):
                record = next(records)
        except StopIteration:
            break
        except (zlib.error, EOFError, OSError) as exc:
            broke = True
            yield Failure(source, "read", f"archive breaks off after {n} record(s) "
                                          f"(truncated or corrupt: {type(exc).__name__}: {_short(exc)})")
            break
        except Exception as exc:  # ArchiveLoadFailed, or warcio tripping over a garbled header
            broke = True
            yield Failure(source, "read", f"ill-formed WARC after {n} record(s): {_short(exc)}")
            break
        n += 1
        if record.format not in ("warc", "arc2warc"):
            yield Failure(source, "read", f"not a WARC file: record {n} has no WARC header")
            break
        try:
            with redirect_stderr(said):
                item = _warc_item(record, source, n)
                missing = _drain(record)
        except Exception as exc:  # the record's body broke off, or its HTTP head is garbled
            item, missing = Failure(_where(record, source, n), "read",
                                    f"record {n} cannot be read: {type(exc).__name__}: {_short(exc)}"), 0
        if missing:   # the file ends inside this record: what was read of it is not kept
            told = said.getvalue().strip().splitlines()
            why = f" ({' '.join(told[-1].split())[:120]})" if told else ""
            yield Failure(_where(record, source, n), "read",
                          f"record {n} is cut short: the archive ends {missing} bytes early (truncated?){why}")
            break
        if isinstance(item, str):
            skipped[item] += 1
        else:
            yield item
    if skipped:
        what = ", ".join(f"{count} {why}" for why, count in skipped.most_common(6))
        yield Failure(source, SKIP, f"skipped {sum(skipped.values())} record(s) that are not HTML pages: {what}")
    elif n == 0 and not broke:
        yield Failure(source, "read", "not a WARC file: no records")


def _drain(record: Any) -> int:
    """Read the rest of a record; the number of bytes its header promised but the file lacks."""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    return max(0, int(getattr(raw, "limit", 0) or 0))


def _where(record: Any, source: str, n: int) -> str:
    """A record's source: its target URI when it is a web address, else ARCHIVE#record-N."""
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    return uri if uri.lower().startswith(("http://", "https://")) else f"{source}#record-{n}"


def _warc_item(record: Any, source: str, n: int) -> Item | str:
    """An HTML response record as a page (or its Failure); else why it is skipped."""
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():
        return Failure(_where(record, source, n), "read",
                       f"ill-formed WARC record {n}: Content-Length {length or '(none)'!r}")
    if record.rec_type != "response":
        return f"{record.rec_type or 'untyped'}"
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    where = _where(record, source, n)
    http = record.http_headers
    if http is None:
        return "response without HTTP headers"
    status = http.get_statuscode() or ""
    if status != "200":
        return f"HTTP {status or '?'}"
    ctype = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if ctype and "html" not in ctype and ctype not in ("text/plain", "application/octet-stream"):
        return ctype
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        return Failure(where, "read", f"record {n} too large: over {MAX_RECORD_BYTES} bytes")
    captured = to_iso(record.rec_headers.get_header("WARC-Date"))
    try:
        art = parse_html(body, where, url=uri or None)
    except IngestError as exc:
        return Failure(where, exc.stage, f"record {n}: {exc.reason}")
    except Exception as exc:  # a parser bug costs this record only
        return Failure(where, "parse", f"record {n}: unexpected {type(exc).__name__}: {_short(exc)}")
    art.kind = "page"
    art.url = art.url or uri or None
    art.published_at = art.published_at or captured
    art.extra.update({"captured_at": captured, "archive": source,
                      "warc_record_id": record.rec_headers.get_header("WARC-Record-ID")})
    return art


# --- JSON lines --------------------------------------------------------------------------

def _iter_jsonl(fh: io.BufferedReader, source: str) -> Iterator[Item]:
    stream: IO[bytes] = gzip.GzipFile(fileobj=fh) if fh.peek(2)[:2] == b"\x1f\x8b" else fh  # gunzipped as read
    n = 0
    while True:
        try:
            line = stream.readline(MAX_RECORD_BYTES + 1)
        except (zlib.error, EOFError, OSError) as exc:
            yield Failure(source, "read", f"archive breaks off after line {n} "
                                          f"(truncated or corrupt gzip: {type(exc).__name__}: {_short(exc)})")
            return
        if not line:
            return
        n += 1
        if len(line) > MAX_RECORD_BYTES:
            yield Failure(f"{source}#line-{n}", "read", f"line {n} too long: over {MAX_RECORD_BYTES} bytes")
            while line and not line.endswith(b"\n"):   # skip the rest of it, a block at a time
                line = stream.readline(1 << 20)
            continue
        if line.strip():
            yield _jsonl_item(line, source, n)


_FIELDS = ("url", "title", "published_at", "text", "byline", "author", "language")


def _jsonl_item(line: bytes, source: str, n: int) -> Item:
    where = f"{source}#line-{n}"
    try:
        doc = json.loads(line.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError) as exc:
        return Failure(where, "parse", f"line {n}: invalid JSON ({getattr(exc, 'msg', type(exc).__name__)})")
    if not isinstance(doc, dict):
        return Failure(where, "parse", f"line {n}: a JSON {type(doc).__name__}, not an object")
    for key in _FIELDS:
        if doc.get(key) is not None and not isinstance(doc[key], str):
            return Failure(where, "parse", f"line {n}: {key} is not a string")
    url = (doc.get("url") or "").strip() or None
    if url and url.lower().startswith(("http://", "https://")):
        where = url
    text = clean_text(doc.get("text") or "")
    if not text.strip():
        return Failure(where, "parse", f"line {n}: no text")
    return Article(source=where, text=text, title=clean_text(doc.get("title") or "") or None, url=url,
                   byline=doc.get("byline") or doc.get("author") or None,
                   published_at=to_iso(doc.get("published_at")),
                   language=(doc.get("language") or "").lower()[:3] or guess_language(text[:3000]),
                   kind="page" if url else "file", outlet=url_host(url),
                   extra={"archive": source, "line": n})
