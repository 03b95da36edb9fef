"""HTML article pages: real encoding, main text (trafilatura, else <p> text) and metadata.

The page is parsed once with lxml (as trafilatura parses it) and the same tree goes to
trafilatura (balanced, then a fast precise pass to trim the edges), htmldate and the
metadata readers: JSON-LD (NewsArticle and friends), Open Graph / <meta>, <link
rel=canonical>, <html lang>. The outlet is the site's own name, else the URL's host
(the rule is in ingest/article.py). Published date: the page's stated metadata, else the dateline
printed under the headline, else htmldate. A standfirst the page shows leads the text.
"""
from __future__ import annotations

import json
import logging
import re
import warnings
from copy import deepcopy
from typing import Any, Iterator
from urllib.parse import urljoin

from bs4 import XMLParsedAsHTMLWarning
from bs4.dammit import EncodingDetector
from lxml import html as lxml_html
from lxml.html import HtmlElement

from .article import Article, IngestError, outlet_name, url_host
from .byline import choose, dateline, page_headline, visible_text
from .maintext import drop_calls_to_action, drop_trailing_link_list, trim_edges, with_standfirst
from .text import _STOPWORDS, clean_text, decode_bytes, guess_language, is_mostly_text, looks_binary, to_iso

try:
    import trafilatura
except ImportError:  # pragma: no cover
    trafilatura = None  # type: ignore[assignment]
try:
    import htmldate
except ImportError:  # pragma: no cover
    htmldate = None  # type: ignore[assignment]

warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
for _name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
    logging.getLogger(_name).setLevel(logging.ERROR)

#: trafilatura's balanced default: on html/expectations.json (dev pages) it found 189/193
#: must_contain snippets with 21/205 leaks, favor_recall=True 187/193 with 22/205.
FAVOR_RECALL = False
STOPWORD_LANGS = set(_STOPWORDS)
MIN_TEXT = 200  # below this, trafilatura's text is completed by the <p> fallback

_FEED_ROOT = re.compile(r"<(?:[\w-]+:)?(rss|feed|RDF|channel)[\s>]", re.I)
_HTML_MARK = re.compile(r"<(?:!doctype\s+html|html|head|body|title|meta|p|div|article|br|h1)[\s>/]", re.I)
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "webpage",
                  "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle",
                  "livelogposting", "scholarlyarticle", "report", "socialmediaposting"}


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page: valid UTF-8 wins, then the declared charset, then detection.

    `declared` is an HTTP charset; the page's own <meta charset> is read from the bytes.
    Pages often declare ISO-8859-1 but are UTF-8; and ISO-8859-1 means cp1252 on the web.
    """
    try:
        text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    meta = EncodingDetector.find_declared_encoding(data[:100_000], is_html=True)
    for enc in (declared, meta):
        if not enc:
            continue
        enc = enc.lower().strip()
        if enc in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1"}:
            enc = "cp1252"
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return decode_bytes(data)


def _check_is_html(data: bytes, text: str, source: str) -> None:
    """Raise IngestError when the bytes are not an HTML page."""
    if not data or not data.strip():
        raise IngestError(source, "parse", "empty file")
    if looks_binary(data) or not is_mostly_text(text):
        raise IngestError(source, "parse", "binary file, not HTML")
    head = text[:4000].lstrip("\ufeff \t\r\n")
    if head[:1] in "{[" and head.rstrip()[-1:] in "}]":
        raise IngestError(source, "parse", "JSON document, not HTML")
    if not _HTML_MARK.search(text[:200_000]):
        if _FEED_ROOT.search(head):
            raise IngestError(source, "parse", "an XML feed, not an HTML page")
        if head.startswith("<?xml") or head.startswith("<"):
            raise IngestError(source, "parse", "XML document, not HTML")
        raise IngestError(source, "parse", "no HTML markup found")
    if _FEED_ROOT.search(head) and not re.search(r"<html[\s>]", head, re.I):
        raise IngestError(source, "parse", "an XML feed, not an HTML page")


# ----------------------------------------------------------------------------- metadata

def _walk_jsonld(obj: Any) -> Iterator[dict]:
    if isinstance(obj, list):
        for item in obj:
            yield from _walk_jsonld(item)
    elif isinstance(obj, dict):
        yield obj
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in obj:
                yield from _walk_jsonld(obj[key])


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author value (string, Person, list of them)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    return []


def _publisher(value: Any, nodes: dict[str, dict]) -> str | None:
    """The name of a JSON-LD publisher: a string, an Organization, a list (the first), or a
    reference ({"@id": ...}) to a node of the same document."""
    if isinstance(value, list):
        return next((p for p in (_publisher(v, nodes) for v in value) if p), None)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name")
        if not name and isinstance(value.get("@id"), str) and nodes.get(value["@id"]) is not value:
            name = nodes.get(value["@id"], {}).get("name")
        return name.strip() or None if isinstance(name, str) else None
    return None


_LD_XPATH = "//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"


def jsonld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first article-like JSON-LD object's headline, authors and dates."""
    for tag in tree.xpath(_LD_XPATH):
        raw = (tag.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:  # stray control characters / trailing commas are common
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\x00-\x1f]", " ", raw)))
            except ValueError:
                continue
        for obj in _walk_jsonld(data):
            types = obj.get("@type", [])
            types = [types] if isinstance(types, str) else types
            if not any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                continue
            if not (obj.get("headline") or obj.get("datePublished")):
                continue
            nodes = {o["@id"]: o for o in _walk_jsonld(data) if isinstance(o.get("@id"), str)}
            return {
                "publisher": _publisher(obj.get("publisher"), nodes),
                "headline": obj.get("headline") if isinstance(obj.get("headline"), str) else None,
                "authors": _names(obj.get("author")),
                "datePublished": obj.get("datePublished"),
                "dateModified": obj.get("dateModified"),
                "inLanguage": obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None,
                "url": obj.get("url") if isinstance(obj.get("url"), str) else None,
            }
    return {}


_PUBLISHED_KEYS = ("article:published_time", "datePublished", "pubdate", "date", "dc.date")
_NO_AUTHOR = {"no author", "admin", "unknown", "anonymous", "staff"}


def _clean_authors(names: list[str]) -> list[str]:
    """Author names without URLs and duplicates, in order."""
    out: list[str] = []
    for n in names:
        n = " ".join(n.split())
        if n and not re.match(r"https?://", n) and n not in out and len(n) < 100:
            out.append(n)
    return out


def _letters(s: str) -> str:
    return "".join(ch for ch in s.casefold() if ch.isalnum())


class Meta:
    """The page's <meta property|name=... content=...> values, read in one pass."""

    def __init__(self, tree: HtmlElement) -> None:
        by_attr: dict[str, dict[str, str]] = {"property": {}, "name": {}, "itemprop": {}}
        for tag in tree.iter("meta"):
            content = (tag.get("content") or "").strip()
            for attr, values in by_attr.items():
                key = (tag.get(attr) or "").strip().lower()
                if key and content:
                    values.setdefault(key, content)
        # property= first, then name=, then microdata itemprop=
        self.values = {**by_attr["itemprop"], **by_attr["name"], **by_attr["property"]}

    def __call__(self, *keys: str) -> str | None:
        """The first non-empty value among `keys` (case-insensitive)."""
        for key in keys:
            if key.lower() in self.values:
                return self.values[key.lower()]
        return None


def _norm_lang(value: str | None) -> str | None:
    if not value:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return m.group(1).lower() if m else None


def _same_day_datetime(day: str | None, *candidates: Any) -> str | None:
    """The first candidate with a time on `day` (or any candidate if no day), as ISO."""
    for cand in candidates:
        iso = to_iso(cand) if cand else None
        if iso and (day is None or iso[:10] == day):
            return iso
    return day


def _htmldate(tree: HtmlElement, url: str | None, original: bool) -> str | None:
    """htmldate on the parsed tree (it copies before pruning): the original publication
    date with an extensive search, or the latest date with a quick one."""
    if htmldate is None:  # pragma: no cover
        return None
    try:
        return htmldate.find_date(tree, extensive_search=original, original_date=original, url=url)
    except Exception:  # htmldate is defensive already; a date is never worth a failure
        return None


# ----------------------------------------------------------------------------- text

_CHROME = "script", "style", "noscript", "nav", "footer", "header", "aside", "form"


def _paragraph_text(tree: HtmlElement) -> str:
    """Fallback main text: the <p> elements outside navigation and footers."""
    tree = deepcopy(tree)
    for bad in tree.xpath("|".join(f"//{t}" for t in _CHROME)):
        if bad.getparent() is not None:
            bad.drop_tree()
    root = next(iter(tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")), tree)
    paras = [" ".join(" ".join(p.itertext()).split()) for p in root.iter("p")]
    return "\n\n".join(p for p in paras if len(p) > 30)


def _tree(html_text: str) -> HtmlElement | None:
    """The page parsed once with lxml, as trafilatura parses it; handed to every reader."""
    if trafilatura is None:  # pragma: no cover
        return lxml_html.document_fromstring(html_text)
    from trafilatura.utils import load_html
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return load_html(html_text)
        except Exception:
            return None


def _trafilatura(tree: HtmlElement, url: str | None, precise: bool = False) -> Any:
    if trafilatura is None:  # pragma: no cover
        return None
    try:
        return trafilatura.bare_extraction(
            tree, url=url, with_metadata=not precise, include_comments=False,
            include_tables=False, favor_recall=FAVOR_RECALL and not precise, favor_precision=precise,
            deduplicate=False, fast=precise,
        )
    except Exception:  # trafilatura on a pathological page: fall back to <p> text
        return None


def main_text(tree: HtmlElement, url: str | None, doc: Any) -> str:
    """trafilatura's balanced text trimmed to its precise text, without calls to action."""
    text = getattr(doc, "text", None) or "" if doc is not None else ""
    if not text:
        return ""
    precise = _trafilatura(tree, url, precise=True)
    text = trim_edges(text, getattr(precise, "text", None) or "")
    return clean_text(drop_trailing_link_list(drop_calls_to_action(text)))


def _canonical(tree: HtmlElement, url: str | None) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return urljoin(url or "", link.get("href").strip())
    return None


def page_outlet(meta: Meta, ld: dict[str, Any], doc: Any, title: str | None,
                *urls: str | None) -> str | None:
    """Who published the page (rule: ingest/article.py): its site name, else its host."""
    for cand in (meta("og:site_name"), ld.get("publisher"), getattr(doc, "sitename", None)):
        name = outlet_name(cand, title)
        if name:
            return name
    return next((h for h in map(url_host, urls) if h), None)


def parse_html(data: bytes, source: str, url: str | None = None) -> Article:
    """Parse an article page. Raises IngestError (stage "parse") when it is not HTML."""
    if not data or not data.strip():
        raise IngestError(source, "parse", "empty file")
    html_text, encoding = decode_html(data)
    _check_is_html(data, html_text, source)
    tree = _tree(html_text)
    if tree is None:
        raise IngestError(source, "parse", "the HTML could not be parsed")
    meta = Meta(tree)
    ld = jsonld_article(tree)
    canonical = _canonical(tree, url)
    og_url = meta("og:url")
    html_tag = tree if tree.tag == "html" else tree.find(".//html")
    html_lang = _norm_lang(html_tag.get("lang") or html_tag.get("xml:lang")) if html_tag is not None else None

    doc = _trafilatura(tree, url)
    text = main_text(tree, url, doc)
    title_el = tree.find(".//title")
    title_tag = " ".join(" ".join(title_el.itertext()).split()) or None if title_el is not None else None
    title_h1 = page_headline(tree, title_tag, ld.get("headline"))
    title = (title_h1 or getattr(doc, "title", None) or ld.get("headline") or meta("og:title")
             or title_tag)
    if len(text) < MIN_TEXT:
        fallback = _paragraph_text(tree)
        if len(fallback) > len(text):
            text = fallback
    standfirst = meta("description", "og:description")
    if not text:
        text = clean_text(standfirst or "")
    if not text:
        raise IngestError(source, "parse", "no article text found in the page")

    byline = None
    ld_authors = "; ".join(_clean_authors(ld.get("authors") or []))
    traf_author = getattr(doc, "author", None)
    if ld_authors and traf_author and _letters(ld_authors) == _letters(traf_author):
        traf_author = ld_authors  # same names; JSON-LD keeps the punctuation ("Jr.")
    meta_author = meta("author", "article:author", "byl", "dc.creator", "parsely-author")
    for cand in (traf_author, ld_authors, meta_author):
        if cand and not re.match(r"https?://", cand) and cand.lower() not in _NO_AUTHOR:
            byline = cand
            break
    page_text = visible_text(tree)
    text = with_standfirst(text, standfirst, page_text, title)
    start = page_text.find(title_h1) if title_h1 else -1
    window = page_text[start + len(title_h1):start + 600] if start >= 0 else page_text[:3000]
    site = getattr(doc, "sitename", None) or meta("og:site_name")
    byline = choose(byline, page_text, window, site, title)
    stated = ld.get("datePublished") or meta(*_PUBLISHED_KEYS)
    # the page's own statement first: its metadata (which htmldate reads first too), else
    # the date printed under the headline, before htmldate's page-wide search, which can
    # take the masthead's "today" or the oldest date in a "related stories" list
    day = (None if stated else dateline(page_text, title)) or _htmldate(tree, url, original=True) \
        or getattr(doc, "date", None) or None
    published = _same_day_datetime(day, ld.get("datePublished"), meta(*_PUBLISHED_KEYS))
    updated = _same_day_datetime(None, ld.get("dateModified"),
                                 meta("article:modified_time", "og:updated_time",
                                      "dateModified", "last-modified"))
    if updated is None:
        updated_day = _htmldate(tree, url, original=False)
        if updated_day and updated_day != (published or "")[:10]:
            updated = updated_day
    if updated == published:
        updated = None
    guessed = guess_language(text)
    language = html_lang or _norm_lang(ld.get("inLanguage")) or \
        _norm_lang(getattr(doc, "language", None)) or guessed
    if guessed and language != guessed and len(text) > 500 and language in STOPWORD_LANGS:
        language = guessed  # <html lang> is often a template default ("en" on a Spanish page)
    page_url = canonical or og_url or ld.get("url") or url
    art = Article(
        source=source, text=text, title=" ".join(title.split()) if title else None,
        url=page_url, byline=byline,
        published_at=published, updated_at=updated, language=language,
        standfirst=standfirst, kind="page", outlet=page_outlet(meta, ld, doc, title, page_url, url),
    )
    art.extra.update({k: v for k, v in {
        "encoding": encoding, "sitename": site, "html_lang": html_lang, "fetched_url": url,
    }.items() if v})
    return art
