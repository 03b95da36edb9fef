"""Bylines and headlines as the page shows them.

Metadata gives names (trafilatura, JSON-LD, <meta name=author>) but often mangled: split
on "and" or "/", stripped of the period in "Logan C. Ritchie", or the site's own name
where a reporter signed the piece. The page's visible text settles it:
- `as_written`: the metadata names as the page writes them ("Staff and news service
  reports", "AFP/The Local", "Logan C. Ritchie");
- `visible_byline`: the "By ..." / "Posted by ..." line under the headline, used when the
  metadata has no author, only the site's name, or a part of the visible name ("Todd"
  for "Todd Bates").
`page_headline`: the page's <h1> when the <title> or the JSON-LD headline repeats it,
since og:title is often a social-media rewrite of the headline.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement

_JOIN = r"\s*(?:[/&,;]|\band\b)\s*"
_STOP = (r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
         r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|"
         r"Published|Updated|Posted|Date|Share|Follow|Email|Photo|Staff|Reporter|Writer|Editor|Correspondent|"
         r"Facebook|Twitter|LinkedIn|WhatsApp|Instagram|Reddit|Print|Comments?")
_NAME_WORD = rf"(?!(?:{_STOP})\b)[A-Z][\w'’.-]*"
_PARTICLE = r"(?:de|la|del|da|van|von|der|den|le|di|bin|al)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,3}}"
_BYLINE = re.compile(rf"\b(?:[Bb]y|BY|[Pp]osted by|[Ww]ritten by)\s*:?\s+({_NAME}(?:(?:,\s*|\s+and\s+){_NAME})*)")


#: text nodes whose own element shows them (a <noscript> may hold the whole article as
#: elements: their text counts, only the raw text directly inside it does not)
_SHOWN = "not(parent::script or parent::style or parent::noscript or parent::template or parent::title)"
_VISIBLE = f"//body//text()[{_SHOWN}]"
_VISIBLE_NO_BODY = f"//text()[{_SHOWN} and not(ancestor::head)]"


def visible_text(tree: HtmlElement) -> str:
    """The page's text as a reader sees it (no scripts, styles or templates), one line."""
    texts = tree.xpath(_VISIBLE) or tree.xpath(_VISIBLE_NO_BODY)
    return " ".join(" ".join(texts).split())


def _letters(s: str) -> str:
    return "".join(ch for ch in s.casefold() if ch.isalnum())


def as_written(names: str, page_text: str) -> str | None:
    """The '; '-joined names as the page writes them together, if it does."""
    parts = [p for p in re.split(r"\s*;\s*", names) if p.strip()]
    if not parts:
        return None
    words = [r"[\s.]*".join(re.escape(w.rstrip(".")) for w in p.split()) + r"\.?" for p in parts]
    m = re.search(r"\b" + _JOIN.join(words) + r"(?!\w)", page_text, re.I)
    return m.group(0).strip() if m else None


def visible_byline(window: str) -> str | None:
    """The names of the first "By ..." line in a stretch of visible text."""
    m = _BYLINE.search(window)
    if not m:
        return None
    names = m.group(1).strip(" ,")
    words = names.split()
    if not names.isupper():  # "Jose de la Cruz CVS Health": an acronym starts the next line
        cut = next((i for i, w in enumerate(words) if i and len(w) > 1 and w.isupper()), len(words))
        names = " ".join(words[:cut]).rstrip(",")
    return names


def choose(byline: str | None, page_text: str, window: str, site: str | None,
           title: str | None = None) -> str | None:
    """The best byline from the metadata's `byline`, the page text, the site's name (and
    the title, in which a "by" is no byline: "forests managed by Indigenous Peoples")."""
    if byline:
        byline = as_written(byline, page_text) or byline
    seen = visible_byline(window)
    if seen and title and _letters(seen) in _letters(title):
        seen = None
    if not seen:
        return byline
    is_site = bool(byline and site and (_letters(byline) in _letters(site) or _letters(site) in _letters(byline)))
    extends = (len(byline or "") > 0 and " " not in byline.strip() and not byline.isupper()
               and _letters(seen).startswith(_letters(byline)) and len(seen) > len(byline))
    if not byline or is_site or extends:  # "Todd" -> "Todd Bates"; an acronym (IWB) is complete
        return seen
    return byline


def page_headline(tree: HtmlElement, *confirming: str | None) -> str | None:
    """The first <h1> that a confirming title (the <title>, a JSON-LD headline) repeats."""
    marks = [_letters(c) for c in confirming if c]
    for h1 in tree.xpath("//h1")[:5]:
        text = " ".join(" ".join(h1.itertext()).split())
        key = _letters(text)
        if len(key) >= 10 and any(key in m and 2 * len(key) >= len(m) for m in marks):
            return text
    return None


_MONTHS = {m: i for i, ms in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1) for m in [ms]}
_MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE_FORMS = (  # (pattern, order of year/month/day groups)
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(\d{{4}})\b", re.I), "dmy"),
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), "dmy"),
)
DATELINE_SPAN = 200  # a dateline sits within this many characters after the headline


def dateline(page_text: str, headline: str | None) -> str | None:
    """The first date printed just after the headline (the dateline), as YYYY-MM-DD."""
    start = page_text.find(headline) if headline and len(headline) >= 10 else -1
    if start < 0:
        return None
    window = page_text[start + len(headline):start + len(headline) + DATELINE_SPAN]
    found: list[tuple[int, str]] = []
    for pattern, order in _DATE_FORMS:
        m = pattern.search(window)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        month = parts["m"] if parts["m"].isdigit() else _MONTHS.get(parts["m"][:3].lower())
        try:
            y, mo, d = int(parts["y"]), int(month or 0), int(parts["d"])
            if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
                found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
        except ValueError:
            continue
    return min(found)[1] if found else None
