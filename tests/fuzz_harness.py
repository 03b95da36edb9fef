"""Hostile inputs and the properties ingest must keep on them (issue 12).

Shared by tests/test_fuzz.py (hypothesis, a few hundred cases) and bench/fuzz_inputs.py
(thousands, with extraction). Inputs are real corpus files (../shared/corpus, read in
place) mutated byte-wise, random bytes, and JSON Feeds of odd values. The properties:
parsers never raise anything but IngestError; every string they return is valid UTF-8;
a folder ingest stores or records every file in it, and stores what it yields.
"""
from __future__ import annotations

import json
import os
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ingest.article import Article, Failure, IngestError, safe_name
from ingest.feeds import parse_feed
from ingest.html import parse_html
from ingest.sources import iter_source
from ingest.text import parse_text
from kb import jobs, store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"
#: bytes that make parsers take odd paths: NUL, BOMs, an encoded surrogate, bad UTF-8,
#: gzip magic, markup and JSON punctuation, entities and escapes of surrogates.
PAYLOADS = (b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xc3", b"\xff",
            b"\x1f\x8b", b"%PDF-", b"<", b">", b"</", b"<![CDATA[", b"]]>", b"<item>", b"<entry>",
            b"<?xml version='1.0' encoding='utf-16'?>", b"<html>", b"&#xd800;", b"&#0;", b"&bogus;",
            b'"', b"{", b"}", b"[", b"]", b"\\ud800", b"\\udcff", b"\r", b"\n\n", b"\x85", b"\xe2\x80\xa8")
EXTENSIONS = (".txt", ".TXT", ".md", ".TEXT", ".html", ".htm", ".xml", ".rss", ".json", ".bin", "")
Op = tuple[str, float, float, bytes]  # (kind, where 0..1, how much 0..1, payload)
OPS = ("insert", "delete", "replace", "truncate", "duplicate", "flip")


def corpus_files(kind: str, max_bytes: int) -> list[Path]:
    """Feeds ("feeds") or pages ("html") of the shared corpus up to max_bytes, by name."""
    root = CORPUS / kind
    if not root.exists():
        return []
    suffixes = {"feeds": {".xml", ".rss", ".atom", ".json", ".rdf"}, "html": {".html", ".htm"}}[kind]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                  and p.stat().st_size <= max_bytes)


def mutate(data: bytes, ops: Sequence[Op]) -> bytes:
    """`data` changed by each op in turn (positions are fractions of the current length)."""
    buf = bytearray(data)
    for kind, where, much, payload in ops:
        at = int(where * len(buf))
        span = max(1, int(much * min(len(buf), 4096)))
        if kind == "insert":
            buf[at:at] = payload
        elif kind == "delete":
            del buf[at:at + span]
        elif kind == "replace":
            buf[at:at + len(payload)] = payload
        elif kind == "truncate":
            del buf[at:]
        elif kind == "duplicate":
            buf[at:at] = buf[at:at + span]
        elif kind == "flip" and at < len(buf):
            buf[at] ^= 1 << int(much * 7.99)
    return bytes(buf)


def random_ops(rng: random.Random, n: int | None = None) -> list[Op]:
    return [(rng.choice(OPS), rng.random(), rng.random(),
             rng.choice(PAYLOADS) if rng.random() < 0.8 else rng.randbytes(rng.randint(1, 16)))
            for _ in range(rng.randint(1, 4) if n is None else n)]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """An odd JSON value: strings with lone surrogates, numbers, nulls, lists, objects."""
    pick = rng.randint(0, 7 if depth < 3 else 4)
    if pick == 0:
        return None
    if pick == 1:
        return rng.choice([0, -1, 2**64, 1.5, True, False])
    if pick in (2, 3, 4):
        return rng.choice(["", "Plain words, said the minister.", "<p>Some <b>HTML</b> here.</p>",
                           "lone \ud800 surrogate", "low \udcff one", "https://example.org/a",
                           "2014-08-04T13:29:00Z", "\x00nul", "<", "&#xd800;"])
    if pick in (5, 6):
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = ["id", "title", "content_html", "content_text", "summary", "url", "date_published", "authors", "x"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def random_jsonfeed(rng: random.Random) -> bytes:
    items = [random_json(rng, 1) for _ in range(rng.randint(0, 5))]
    doc: Any = {"version": JSONFEED_VERSION, "title": random_json(rng, 2), "items": items}
    if rng.random() < 0.1:
        doc["items"] = random_json(rng, 2)
    return json.dumps(doc).encode("utf-8")


# --- properties -----------------------------------------------------------------------

def utf8_clean(obj: Any) -> bool:
    """Every string of an Article / Failure (or value) encodes as UTF-8."""
    if isinstance(obj, (Article, Failure)):
        obj = vars(obj)
    if isinstance(obj, str):
        try:
            obj.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(obj, dict):
        return all(utf8_clean(k) and utf8_clean(v) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return all(utf8_clean(v) for v in obj)
    return True


def check_feed(data: bytes) -> int:
    """parse_feed never raises but IngestError; returns how many entries and problems."""
    try:
        meta, arts = parse_feed(data, "fuzz.xml")
    except IngestError:
        return 0
    problems = meta.get("problems") or []
    assert all(isinstance(a, Article) for a in arts)
    assert all(isinstance(p, Failure) for p in problems)
    return len(arts) + len(problems)


def check_jsonfeed(data: bytes) -> None:
    """Every item of a JSON Feed becomes an article or a listed problem."""
    try:
        meta, arts = parse_feed(data, "fuzz.json")
    except IngestError:
        return
    doc = json.loads(data)
    assert len(arts) + len(meta["problems"]) == len(doc["items"])


def check_page(data: bytes) -> None:
    try:
        parse_html(data, "fuzz.html")
    except IngestError:
        return


def check_text(data: bytes) -> None:
    try:
        art = parse_text(data, "fuzz.txt")
    except IngestError:
        return
    assert art.text and utf8_clean(art.text)


@dataclass
class FolderResult:
    files: int = 0
    unaccounted: list[str] = field(default_factory=list)  # neither stored nor recorded
    unstored: list[str] = field(default_factory=list)  # yielded but not in the database
    unexpected: list[str] = field(default_factory=list)  # parser bugs caught and recorded


def _accounts_for(item: Any, name: str) -> bool:
    if isinstance(item, Article):
        return item.source == name or item.feed == name
    return item.source == name or item.source.startswith(name + "#") or item.reason.endswith(f"entry of {name})")


def check_folder(files: dict[bytes, bytes], *, extract: bool = False) -> FolderResult:
    """Write `files` (bytes names) to a fresh folder, ingest it into an in-memory database
    and say which files were neither stored nor recorded. Exceptions propagate."""
    result = FolderResult()
    with tempfile.TemporaryDirectory(prefix="kbfuzz") as tmp:
        folder = os.fsencode(tmp)
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as fh:
                fh.write(data)
        result.files = len(files)
        items = list(iter_source(tmp, fetch_entries=False))
        db = store.open_db(memory=True)
        jobs.ingest(db, [tmp], fetch_entries=False, extract_after=extract)
        articles = {r[0] for r in db.execute("SELECT source FROM articles")}
        failures = {r[0] for r in db.execute("SELECT source FROM failures")}
        for r in db.execute("SELECT reason FROM failures WHERE reason LIKE '%unexpected%'"):
            result.unexpected.append(r[0])
        for item in items:
            assert utf8_clean(item), item
            if isinstance(item, (Article, Failure)) and item.source not in (articles if isinstance(item, Article) else failures):
                result.unstored.append(item.source)
        for name in files:
            shown = safe_name(os.path.join(tmp, os.fsdecode(name)))
            if not any(_accounts_for(i, shown) for i in items):
                result.unaccounted.append(shown)
        db.close()
    return result


def random_name(rng: random.Random) -> bytes:
    """A file name of odd bytes (never '/', NUL, '.' or '..'), with a likely extension."""
    alphabet = bytes(b for b in range(1, 256) if b != 0x2F)
    stem = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.5:
        stem = stem.decode("latin-1").encode("ascii", "ignore") or b"f"
    if rng.random() < 0.15:
        stem = b"." + stem
    return stem + rng.choice(EXTENSIONS).encode()


def random_content(rng: random.Random, feeds: list[Path], pages: list[Path]) -> bytes:
    pick = rng.random()
    if pick < 0.25 and feeds:
        return mutate(rng.choice(feeds).read_bytes(), random_ops(rng))
    if pick < 0.4 and pages:
        return mutate(rng.choice(pages).read_bytes(), random_ops(rng))
    if pick < 0.55:
        return random_jsonfeed(rng)
    if pick < 0.8:
        text = "Headline\n\nThe minister said on Monday the plan would go ahead.\n".encode()
        return mutate(text, random_ops(rng))
    return rng.randbytes(rng.randint(0, 200))
