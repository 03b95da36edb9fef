"""The unit that ingest hands to the store: one article, as parsed, plus problems met."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


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
