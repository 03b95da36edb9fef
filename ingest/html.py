"""HTML article pages: real encoding, main text (trafilatura, else <p> text) and metadata.

Metadata comes from JSON-LD (NewsArticle and friends), Open Graph / <meta>, <link
rel=canonical>, <html lang>, trafilatura's own metadata and htmldate for dates.
"""
from __future__ import annotations

import json
import logging
import re
import warnings
from typing import Any, Iterator
from urllib.parse import urljoin

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.dammit import EncodingDetector

from .article import Article, IngestError
from .byline import choose, page_headline, visible_text
from .maintext import drop_calls_to_action, trim_edges
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


def jsonld_article(soup: BeautifulSoup) -> dict[str, Any]:
    """The first article-like JSON-LD object's headline, authors and dates."""
    for tag in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        raw = (tag.string or tag.get_text() or "").strip()
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
            return {
                "headline": obj.get("headline") if isinstance(obj.get("headline"), str) else None,
                "authors": _names(obj.get("author")),
                "datePublished": obj.get("datePublished"),
                "dateModified": obj.get("dateModified"),
                "inLanguage": obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None,
                "url": obj.get("url") if isinstance(obj.get("url"), str) else None,
            }
    return {}


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


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    for key in keys:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        if tag and tag.get("content") and str(tag["content"]).strip():
            return str(tag["content"]).strip()
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


def _find_dates(html_text: str, url: str | None) -> tuple[str | None, str | None]:
    if htmldate is None:  # pragma: no cover
        return None, None
    try:
        published = htmldate.find_date(html_text, extensive_search=True, original_date=True, url=url)
        updated = htmldate.find_date(html_text, extensive_search=False, original_date=False, url=url)
    except Exception:  # htmldate is defensive already; a date is never worth a failure
        return None, None
    return published, updated


# ----------------------------------------------------------------------------- text

def _paragraph_text(soup: BeautifulSoup) -> str:
    """Fallback main text: the <p> elements outside navigation and footers."""
    for bad in soup.find_all(["script", "style", "noscript", "nav", "footer", "header", "aside", "form"]):
        bad.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    paras = [" ".join(p.get_text(" ").split()) for p in root.find_all("p")]
    return "\n\n".join(p for p in paras if len(p) > 30)


def _soup(html_text: str) -> BeautifulSoup:
    """BeautifulSoup with lxml (html.parser if lxml chokes), without XHTML warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        try:
            return BeautifulSoup(html_text, "lxml")
        except Exception:
            return BeautifulSoup(html_text, "html.parser")


def _trafilatura(html_text: str, url: str | None, precise: bool = False) -> Any:
    if trafilatura is None:  # pragma: no cover
        return None
    try:
        return trafilatura.bare_extraction(
            html_text, url=url, with_metadata=not precise, include_comments=False,
            include_tables=False, favor_recall=FAVOR_RECALL and not precise, favor_precision=precise,
            deduplicate=False,
        )
    except Exception:  # trafilatura on a pathological page: fall back to bs4
        return None


def main_text(html_text: str, url: str | None, doc: Any) -> str:
    """trafilatura's balanced text trimmed to its precise text, without calls to action."""
    text = getattr(doc, "text", None) or "" if doc is not None else ""
    if not text:
        return ""
    precise = _trafilatura(html_text, url, precise=True)
    text = trim_edges(text, getattr(precise, "text", None) or "")
    return clean_text(drop_calls_to_action(text))


def parse_html(data: bytes, source: str, url: str | None = None) -> Article:
    """Parse an article page. Raises IngestError (stage "parse") when it is not HTML."""
    if not data or not data.strip():
        raise IngestError(source, "parse", "empty file")
    html_text, encoding = decode_html(data)
    _check_is_html(data, html_text, source)
    soup = _soup(html_text)
    ld = jsonld_article(soup)
    canonical = None
    link = soup.find("link", rel=lambda v: v and "canonical" in (v if isinstance(v, list) else [v]))
    if link and link.get("href"):
        canonical = urljoin(url or "", str(link["href"]).strip())
    og_url = _meta(soup, "og:url")
    html_tag = soup.find("html")
    html_lang = _norm_lang(html_tag.get("lang") or html_tag.get("xml:lang")) if html_tag else None

    doc = _trafilatura(html_text, url)
    text = main_text(html_text, url, doc)
    title_tag = soup.title.get_text(" ", strip=True) if soup.title else None
    title_h1 = page_headline(soup, title_tag, ld.get("headline"))
    title = (title_h1 or getattr(doc, "title", None) or ld.get("headline") or _meta(soup, "og:title")
             or title_tag)
    if len(text) < MIN_TEXT:
        fallback = _paragraph_text(_soup(html_text))
        if len(fallback) > len(text):
            text = fallback
    standfirst = _meta(soup, "description", "og:description")
    if not text:
        text = clean_text(standfirst or "")
    if not text:
        raise IngestError(source, "parse", "no article text found in the page")

    byline = None
    ld_authors = "; ".join(_clean_authors(ld.get("authors") or []))
    traf_author = getattr(doc, "author", None)
    if ld_authors and traf_author and _letters(ld_authors) == _letters(traf_author):
        traf_author = ld_authors  # same names; JSON-LD keeps the punctuation ("Jr.")
    meta_author = _meta(soup, "author", "article:author", "byl", "dc.creator", "parsely-author")
    for cand in (traf_author, ld_authors, meta_author):
        if cand and not re.match(r"https?://", cand) and cand.lower() not in _NO_AUTHOR:
            byline = cand
            break
    page_text = visible_text(soup)
    start = page_text.find(title_h1) if title_h1 else -1
    window = page_text[start + len(title_h1):start + 600] if start >= 0 else page_text[:3000]
    site = getattr(doc, "sitename", None) or _meta(soup, "og:site_name")
    byline = choose(byline, page_text, window, site, title)
    day, updated_day = _find_dates(html_text, url)
    day = day or (getattr(doc, "date", None) or None)
    published = _same_day_datetime(
        day, ld.get("datePublished"), _meta(soup, "article:published_time", "datePublished",
                                            "pubdate", "date", "dc.date"))
    updated = _same_day_datetime(None, ld.get("dateModified"),
                                 _meta(soup, "article:modified_time", "og:updated_time",
                                       "dateModified", "last-modified"))
    if updated is None and updated_day and updated_day != (published or "")[:10]:
        updated = updated_day
    if updated == published:
        updated = None
    guessed = guess_language(text)
    language = html_lang or _norm_lang(ld.get("inLanguage")) or \
        _norm_lang(getattr(doc, "language", None)) or guessed
    if guessed and language != guessed and len(text) > 500 and language in STOPWORD_LANGS:
        language = guessed  # <html lang> is often a template default ("en" on a Spanish page)
    art = Article(
        source=source, text=text, title=" ".join(title.split()) if title else None,
        url=canonical or og_url or ld.get("url") or url, byline=byline,
        published_at=published, updated_at=updated, language=language,
        standfirst=standfirst, kind="page",
    )
    art.extra.update({k: v for k, v in {
        "encoding": encoding, "sitename": getattr(doc, "sitename", None) or _meta(soup, "og:site_name"),
        "html_lang": html_lang, "fetched_url": url,
    }.items() if v})
    return art
