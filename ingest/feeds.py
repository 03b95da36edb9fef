"""Feeds: RSS 0.9x/1.0/2.0, Atom and CDF through feedparser (given bytes), JSON Feed by hand.

`parse_feed` returns the feed's metadata and one Article per entry; the entry's text is its
content (else summary) turned from HTML into plain paragraphs. An entry's outlet is the one
the entry or the feed names, else its link's host (the rule is in ingest/article.py).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import warnings
import zlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from typing import Any

import feedparser
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from .article import Article, Failure, IngestError, clean_surrogates, outlet_name, url_host
from .text import clean_text, decode_bytes, guess_language, looks_binary, to_iso

warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

MAX_DECOMPRESSED = 50_000_000
_FEED_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|RDF|channel)[\s>/]", re.I)
_JSONFEED = re.compile(rb'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org', re.I)
_BLOCK = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre", "section", "article", "ul", "ol", "table", "figure", "hr", "dd", "dt")


def _maybe_gunzip(data: bytes) -> bytes:
    """Decompress a gzip'd document (capped), else return the bytes unchanged."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, MAX_DECOMPRESSED)
        return out if not d.unconsumed_tail else data
    except (zlib.error, OSError, EOFError, gzip.BadGzipFile):
        return data


def _head_text(data: bytes, n: int = 4096) -> bytes:
    """The first bytes as ASCII-compatible bytes (UTF-16/32 squeezed), for sniffing."""
    head = data[: n * 4]
    if head[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or head[:4] in (b"<\x00\x00\x00", b"\x00\x00\x00<"):
        return head.replace(b"\x00", b"")[:n]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:2] in (b"<\x00", b"\x00<"):
        return head.replace(b"\x00", b"")[:n]
    return head[:n]


def looks_like_feed(data: bytes) -> bool:
    """Cheap sniff: an RSS/Atom/RDF root near the top, or a JSON Feed version."""
    data = _maybe_gunzip(data[:200_000]) if data[:2] == b"\x1f\x8b" else data
    head = _head_text(data).lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
    if head[:1] in (b"{", b"["):
        return bool(_JSONFEED.search(data[:20_000]))
    if re.search(rb"<html[\s>]", head, re.I) and not re.search(rb"<(?:rss|feed)[\s>]", head[:300], re.I):
        return False
    return bool(_FEED_TAG.search(head))


def html_to_text(value: str | None) -> str:
    """Plain paragraphs from an HTML fragment (feed content, summary, title)."""
    if not value or not isinstance(value, str):
        return ""
    value = clean_surrogates(value)
    if "<" not in value and "&" not in value:
        return clean_text(value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(value, "html.parser")
    for bad in soup.find_all(["script", "style", "noscript"]):
        bad.decompose()
    for tag in soup.find_all(("sup", "sub")):  # "ft<sup>2</sup>": a token of its own
        tag.insert_before(" ")
        tag.insert_after(" ")
    for tag in soup.find_all(_BLOCK):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text("")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


def _iso_from_raw(raw: str | None, parsed: Any) -> str | None:
    """A feed date as ISO 8601, keeping the feed's own UTC offset when it gives one."""
    if raw:
        raw = raw.strip()
        try:
            dt = parsedate_to_datetime(raw)
            if dt is not None:
                return dt.isoformat(timespec="seconds")
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat(timespec="seconds")
        except ValueError:
            pass
    return to_iso(parsed) if parsed else None


def _norm_lang(value: str | None) -> str | None:
    m = re.match(r"\s*([A-Za-z]{2,3})\b", value or "")
    return m.group(1).lower() if m else None


def _entry_text(entry: Any) -> str:
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        text = value.strip() if content.get("type") == "text/plain" else html_to_text(value)
        if len(text) > len(best):
            best = text
    summary = html_to_text(entry.get("summary"))
    return best if len(best) >= len(summary) else summary


def entry_link(entry: Any, base: str | None) -> tuple[str | None, str | None]:
    """The entry's link as the feed gives it, and the same link made absolute (or None).

    The link is kept as written (after xml:base, which feedparser applies), because that
    is what the feed says; the absolute form, resolved against the feed's address or its
    home page, is the one to fetch and the article's unique source. A bare non-URL guid
    that feedparser promoted to a link ("id-2") is no link at all.
    """
    link = (dict.get(entry, "link") or "").strip() or None
    if not link or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", link):
        return link, link
    looks_relative = link.startswith(("/", "./", "../", "?")) or (
        not dict.get(entry, "guidislink") and re.match(r"[\w.-]+/", link) is not None)
    if not looks_relative:
        return None, None
    return link, (urljoin(base, link) if base else None)


def _entry_outlet(entry: Any, link: str | None, feed_outlet: str | None, home: str | None) -> str | None:
    """Who published the entry: the outlet it names (RSS <source>, dc:publisher), the one
    the feed names, else the host of its link (feedburner's original link first) or of the
    feed's home page."""
    source = entry.get("source")
    for cand in ((source or {}).get("title") if isinstance(source, dict) else None,
                 dict.get(entry, "publisher"), feed_outlet):
        name = outlet_name(cand)
        if name:
            return name
    return url_host(dict.get(entry, "feedburner_origlink")) or url_host(link) or url_host(home)


def _entry_article(entry: Any, index: int, source: str, feed_lang: str | None,
                   base: str | None = None, feed_outlet: str | None = None, home: str | None = None) -> Article:
    link, absolute = entry_link(entry, base)
    entry_id = dict.get(entry, "id") or None
    title = html_to_text(entry.get("title")) or None
    get = dict.get  # plain dict access: no feedparser "updated" -> "published" aliasing
    published = _iso_from_raw(get(entry, "published"), get(entry, "published_parsed"))
    updated = _iso_from_raw(get(entry, "updated"), get(entry, "updated_parsed"))
    if published is None:
        published = updated or _iso_from_raw(get(entry, "created"), get(entry, "created_parsed"))
    authors = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
    byline = "; ".join(dict.fromkeys(authors)) or entry.get("author") or None
    text = _entry_text(entry) or title or ""
    lang = None
    for detail in (entry.get("title_detail"), entry.get("summary_detail")):
        if detail and detail.get("language"):
            lang = _norm_lang(detail["language"])
            break
    extra: dict[str, Any] = {"entry_id": entry_id}
    if entry.get("summary"):
        extra["summary"] = html_to_text(entry.get("summary"))
    tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    if tags:
        extra["categories"] = tags
    fingerprint = "\x1f".join(str(v or "") for v in (link, entry_id, entry.get("title"), get(entry, "published"),
                                                     get(entry, "updated"), text, byline))
    return Article(
        entry_hash=hashlib.sha1(fingerprint.encode("utf-8", "replace")).hexdigest(),
        source=absolute or link or f"{source}#{entry_id or index}", text=text, title=title,
        url=link, byline=byline, published_at=published,
        updated_at=updated if updated != published else None,
        language=lang or feed_lang, kind="feed-entry", feed=source, extra=extra,
        outlet=_entry_outlet(entry, absolute, feed_outlet, home),
    )


_JSON_STRINGS = ("title", "content_html", "content_text", "summary", "url", "external_url",
                 "date_published", "date_modified", "language")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number",
            str: "a string", type(None): "null"}.get(type(value), type(value).__name__)


def _jsonfeed_item(item: Any, i: int, source: str, doc: dict, meta: dict, feed_authors: list) -> Article:
    """One JSON Feed item as an article. Raises IngestError ("entry") for an item that is
    not an object or whose text fields are not strings."""
    if not isinstance(item, dict):
        raise IngestError(f"{source}#item-{i}", "entry", f"item {i} is {_json_type(item)}, not an object")
    item_id = item.get("id")
    where = f"{source}#{item_id if isinstance(item_id, (str, int, float)) and item_id != '' else i}"
    for key in _JSON_STRINGS:
        if item.get(key) is not None and not isinstance(item[key], str):
            raise IngestError(where, "entry", f"item {i}: {key} is {_json_type(item[key])}, not a string")
    link = item.get("url") or item.get("external_url") or None
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else feed_authors)
    names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"]] \
        if isinstance(authors, list) else []
    title = html_to_text(item.get("title")) or None
    text = html_to_text(item.get("content_html")) or clean_text(item.get("content_text") or "") \
        or html_to_text(item.get("summary")) or title or ""
    published = to_iso(item.get("date_published"))
    updated = to_iso(item.get("date_modified"))
    extra: dict[str, Any] = {"entry_id": None if item_id is None else str(item_id)}
    if item.get("summary"):
        extra["summary"] = item["summary"]
    if item.get("tags"):
        extra["categories"] = item["tags"]
    home, feed_url = (u if isinstance(u, str) else None for u in (doc.get("home_page_url"), doc.get("feed_url")))
    return Article(
        source=link if link else where,
        text=text, title=title, url=link, byline="; ".join(names) or None,
        published_at=published or updated, updated_at=updated if updated != published else None,
        language=_norm_lang(item.get("language")) or meta["language"],
        kind="feed-entry", feed=source, extra=extra,
        outlet=url_host(link) or url_host(home) or url_host(feed_url))


def _parse_jsonfeed(doc: dict, source: str) -> tuple[dict, list[Article]]:
    """JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1), item by item: an item that
    is not an object or has a field of the wrong type is left out and listed, as a
    Failure, in meta["problems"]; the other items are kept."""
    items = doc.get("items")
    if not isinstance(items, list):
        raise IngestError(source, "feed", "not a feed: JSON Feed without an items list")
    lang = doc.get("language")
    meta = {"title": doc.get("title") if isinstance(doc.get("title"), str) else None,
            "link": doc.get("home_page_url") if isinstance(doc.get("home_page_url"), str) else None,
            "version": "json" + str(doc.get("version", "")).rstrip("/").rsplit("/", 1)[-1].replace(".", ""),
            "language": _norm_lang(lang if isinstance(lang, str) else None), "feed_url": doc.get("feed_url"),
            "problems": []}
    feed_authors = doc.get("authors") or ([doc["author"]] if isinstance(doc.get("author"), dict) else [])
    out: list[Article] = []
    for i, item in enumerate(items):
        try:
            out.append(_jsonfeed_item(item, i, source, doc, meta, feed_authors))
        except IngestError as exc:
            meta["problems"].append(exc.failure())
        except Exception as exc:  # an odd item must cost that item only
            meta["problems"].append(Failure(f"{source}#{i}", "entry", f"item {i}: unexpected {type(exc).__name__}"))
    return meta, out


def parse_feed(data: bytes, source: str, headers: dict | None = None) -> tuple[dict, list[Article]]:
    """Parse feed bytes into (feed metadata, entry articles). Raises IngestError("feed")
    when the bytes are not a feed; entries that could not be read are listed, as
    Failures, in meta["problems"]. A feed with no entries gives an empty list."""
    if not data or not data.strip():
        raise IngestError(source, "feed", "not a feed: empty file")
    data = _maybe_gunzip(data)
    if looks_binary(data) and not data.lstrip()[:1] == b"<" and _head_text(data)[:1] != b"<":
        raise IngestError(source, "feed", "not a feed: binary file")
    stripped = _head_text(data).lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        text, _ = decode_bytes(data)
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise IngestError(source, "feed", f"not a feed: invalid JSON ({getattr(exc, 'msg', exc)})") from None
        except RecursionError:
            raise IngestError(source, "feed", "not a feed: JSON nested too deeply") from None
        if isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", "")):
            return _parse_jsonfeed(doc, source)
        raise IngestError(source, "feed", "not a feed: JSON without a JSON Feed version")
    try:
        parsed = feedparser.parse(data, response_headers=headers or {})
    except Exception as exc:  # feedparser is defensive, but never let one file crash a run
        raise IngestError(source, "feed", f"not a feed: parser error ({type(exc).__name__})") from None
    feed = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    bozo = parsed.get("bozo_exception")
    reason = " ".join(str(bozo).split())[:200] if bozo else None
    unknown_root = not parsed.get("version") and not looks_like_feed(data)
    if unknown_root or (not entries and (parsed.get("bozo") or not parsed.get("version"))):
        if not unknown_root and looks_like_feed(data):  # a feed, but broken and with nothing in it
            raise IngestError(source, "feed", f"malformed feed with no entries: {reason or 'no version'}")
        why = reason or "no RSS, Atom or RDF root element"
        if re.search(rb"<html[\s>]", _head_text(data), re.I):
            why = "an HTML page"
        raise IngestError(source, "feed", f"not a feed: {why}")
    feed_lang = _norm_lang(feed.get("language") or (feed.get("title_detail") or {}).get("language"))
    meta = {"title": html_to_text(feed.get("title")) or None, "link": dict.get(feed, "link"),
            "version": parsed.get("version") or None, "language": feed_lang,
            "encoding": parsed.get("encoding"), "updated": _iso_from_raw(dict.get(feed, "updated"), dict.get(feed, "updated_parsed"))}
    if parsed.get("bozo"):
        meta["warning"] = reason or "malformed feed"
    base = source if re.match(r"https?://", source) else meta["link"]
    base = base if base and re.match(r"https?://", base) else None
    feed_outlet = outlet_name(dict.get(feed, "publisher"))
    articles: list[Article] = []
    meta["problems"] = []
    for i, e in enumerate(entries):  # one odd entry costs that entry only
        try:
            articles.append(_entry_article(e, i, source, feed_lang, base, feed_outlet, meta["link"] or source))
        except Exception as exc:
            meta["problems"].append(Failure(f"{source}#{i}", "entry",
                                            f"entry {i}: unexpected {type(exc).__name__}"))
    if feed_lang is None:  # no xml:lang / <language>: guess once from all the entries
        guessed = guess_language(" ".join(f"{a.title or ''} {a.text}" for a in articles[:30]))
        for art in articles:
            art.language = art.language or guessed
    return meta, articles
