"""The unit that ingest hands to the store: one article, as parsed, plus problems met.

An article's `outlet` is who published it, as the source states it:
- a page (fetched, or saved as .html): the site's own name: og:site_name, else the JSON-LD
  publisher, else trafilatura's sitename (other <meta> tags, twitter:site, the <title>); a
  value that is a URL, a long slogan or the headline itself is no name. Else the host of
  the page's URL (its canonical / og:url, else the address fetched) without "www.".
- a feed entry: the outlet the entry names (RSS <source>, dc:publisher), else the one the
  feed names (dc:publisher; an e-mail address is no name), else the host of the entry's link
  (feedburner's original link when given), else of the feed's home page. An entry whose page
  is fetched takes the page's outlet.
- a plain-text file: None (nothing in it says who published it); a text page fetched from
  a URL: that URL's host.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_OUTLET = 80  # longer "site names" are slogans or descriptions
_SURROGATE = re.compile("[\ud800-\udfff]")
_SOURCE_FIELDS = ("source", "feed")  # names: undecodable bytes escaped, not replaced


@dataclass
class Article:
    """One article as parsed from a page, a feed entry or a saved file.

    `source` is the path or URL exactly as given to ingest (for a feed entry: the
    entry's link if any, else ``<feed source>#<entry id>``). Dates are ISO 8601
    strings or None. Nothing here knows about NLP or the database.
    """

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    byline: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    language: str | None = None
    standfirst: str | None = None
    kind: str = "file"  # file | page | feed-entry
    feed: str | None = None  # the feed's source, for feed entries
    entry_hash: str | None = None  # fingerprint of the feed entry as the feed gave it
    outlet: str | None = None  # who published it (see the module docstring)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-1 of the normalised text: same text, same hash."""
        norm = " ".join((self.text or "").split())
        return hashlib.sha1(norm.encode("utf-8")).hexdigest()

    @property
    def canonical_url(self) -> str | None:
        """The URL that identifies the story: `url` if absolute, else the source if it is
        one, without fragment and tracking parameters (see ingest.dedup)."""
        from .dedup import canonical_url

        for cand in (self.url, self.source):
            found = canonical_url(cand)
            if found:
                return found
        return None



def url_host(url: str | None) -> str | None:
    """The host of an http(s) URL, lower-cased, without "www." and port (None otherwise)."""
    if not url or not re.match(r"\s*https?://", url, re.I):
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:
        return None
    host = host[4:] if host.startswith("www.") else host
    return host or None


def outlet_name(value: Any, title: str | None = None) -> str | None:
    """A publisher's name as a page or feed states it, or None when it is no name: empty,
    a URL or e-mail address, longer than MAX_OUTLET, or the headline itself."""
    if not isinstance(value, str):
        return None
    name = " ".join(value.split()).lstrip("@")
    if not name or len(name) > MAX_OUTLET or re.match(r"(?i)(?:https?:|www\.)", name) or \
            re.search(r"\S@\S+\.\w", name):
        return None
    if title and name.casefold() == " ".join(title.split()).casefold():
        return None
    return name


@dataclass
class Failure:
    """A source (or a part of one) that could not be turned into an article."""

    source: str
    stage: str  # fetch | parse | feed | entry | store | extract
    reason: str


@dataclass
class Unchanged:
    """A feed entry already stored as it is: nothing fetched, nothing to store."""

    source: str


class IngestError(Exception):
    """A problem with one source, reported as a one-line message, never a traceback."""

    def __init__(self, source: str, stage: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source, self.stage, self.reason = source, stage, reason

    def failure(self) -> Failure:
        return Failure(self.source, self.stage, self.reason)


# --- text SQLite and JSON accept ---------------------------------------------------------

def clean_surrogates(text: str) -> str:
    """`text` with every lone surrogate (from a JSON "\\ud800" escape or a badly decoded
    name) replaced by U+FFFD, so that it encodes as UTF-8; offsets are unchanged."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub("\ufffd", text)


def safe_name(name: str) -> str:
    """A file name or URL as valid UTF-8: the undecodable bytes of a name (os.fsdecode's
    surrogateescape, U+DC80..U+DCFF) become a readable `\\xff`; other lone surrogates U+FFFD."""
    if not _SURROGATE.search(name):
        return name
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}"
                          if "\udc80" <= m.group() <= "\udcff" else "\ufffd", name)


def scrub_value(value: Any) -> Any:
    """Strings, lists and dicts with every lone surrogate replaced (see clean_surrogates)."""
    if isinstance(value, str):
        return clean_surrogates(value)
    if isinstance(value, list):
        return [scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {scrub_value(k): scrub_value(v) for k, v in value.items()}
    return value


def scrubbed(item: Any) -> Any:
    """An Article, Failure or Unchanged whose strings are all valid UTF-8 (in place)."""
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if isinstance(value, str) and f.name in _SOURCE_FIELDS:
            setattr(item, f.name, safe_name(value))
        elif isinstance(value, (str, list, dict)):
            setattr(item, f.name, scrub_value(value))
    return item
