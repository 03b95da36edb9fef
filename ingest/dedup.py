"""Fingerprints for deduplication: canonical URLs, MinHash signatures, narrative marks.

Exact copies share a content hash (Article.content_hash). The same page under two
addresses shares a canonical URL: scheme and host lower-cased, default port, fragment and
tracking parameters (utm_*, fbclid, gclid, ...; courlan's list) removed, the rest sorted.
The same story reprinted (a wire story on two sites, a page re-published with a new
headline) shares most of its word 5-shingles: a 64-value MinHash estimates their Jaccard
similarity, and 16 bands of 4 values find the candidates without comparing every pair
(locality-sensitive hashing: pairs at 0.8 similarity collide in some band with p > 0.99,
pairs at 0.3 with p < 0.13).

Reprints and rewrites of one report (a wire story run by two outlets, each with its own
intro and cuts) are far below 0.8. They are found in the *narrative*: the text with every
quotation replaced by one placeholder word, since independent outlets quote the same people
word for word but do not write the same sentences around the quotes. The narrative's word
7-shingles (within paragraphs) are compared: `reprint_score` is the share of the shorter
narrative's shingles found in the other's (containment), and two articles are one report
when it is at least REPRINT and at least MIN_SHARED shingles are shared (a passage of some
26 words: a shared dateline or stock phrase is not a copy). On the dev data (tracking cases,
PolNeAR dev, the HTML pages, GUM news; every pair) the two gold rewrites score 0.355 and
0.884 and the highest other pair 0.132 (one outlet's boilerplate note); PolNeAR train has
same-outlet boilerplate up to 0.255 in short articles, hence 0.3. A deterministic sample of
the shingles (value mod MARK_EVERY == 0), the *marks*, is indexed in `article_marks`:
articles sharing MIN_MARKS marks are candidates, and those whose shared marks make at least
PREFILTER of the smaller set (an estimate of the score; a third of REPRINT leaves room for
the sampling's noise: no pair over the threshold was below 0.25) are compared.
"""
from __future__ import annotations

import hashlib
import re
import struct
import zlib
from datetime import datetime, timezone

import numpy as np
from urllib.parse import urlsplit, urlunsplit

try:
    from courlan import normalize_url
except ImportError:  # pragma: no cover
    normalize_url = None  # type: ignore[assignment]

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MIN_WORDS = 40          # shorter texts (teasers, briefs) are not compared: too little to tell
NEAR_DUPLICATE = 0.8    # estimated Jaccard similarity from which two texts are one story
_PRIME = (1 << 31) - 1  # a*x + b stays below 2**64 for 32-bit x: exact in numpy uint64
_WORD = re.compile(r"\w+", re.UNICODE)


def canonical_url(url: str | None) -> str | None:
    """The URL without fragment and tracking parameters, normalised; None if not http(s)."""
    if not url or not re.match(r"https?://", url.strip(), re.I):
        return None
    url = url.strip()
    try:
        norm = normalize_url(url) if normalize_url else url
    except (ValueError, AttributeError):
        norm = url
    parts = urlsplit(norm)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _perms() -> tuple[np.ndarray, np.ndarray]:
    """Fixed (a, b) pairs of the universal hash functions (a*x + b) mod p."""
    seed = hashlib.sha256(b"kb-minhash").digest()
    a, b = [], []
    for i in range(NUM_PERM):
        h = hashlib.sha256(seed + struct.pack(">I", i)).digest()
        x, y = struct.unpack(">QQ", h[:16])
        a.append(x % (_PRIME - 1) + 1)
        b.append(y % _PRIME)
    return np.array(a, dtype=np.uint64)[:, None], np.array(b, dtype=np.uint64)[:, None]


_A, _B = _perms()


def shingles(text: str) -> set[int]:
    """32-bit hashes of the word 5-grams of the case-folded text (empty when too short)."""
    words = _WORD.findall((text or "").casefold())
    if len(words) < MIN_WORDS:
        return set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode("utf-8"))
            for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> list[int] | None:
    """The MinHash signature of the text (None when it is too short to compare)."""
    sh = shingles(text)
    if not sh:
        return None
    x = np.fromiter(sh, dtype=np.uint64, count=len(sh))[None, :]
    return [int(v) for v in ((_A * x + _B) % _PRIME).min(axis=1)]


def bands(sig: list[int]) -> list[str]:
    """The LSH band keys of a signature: texts sharing a key are candidates."""
    return [f"{i}:" + hashlib.blake2b(struct.pack(f">{ROWS}Q", *sig[i * ROWS:(i + 1) * ROWS]),
                                      digest_size=8).hexdigest() for i in range(BANDS)]


def similarity(sig1: list[int], sig2: list[int]) -> float:
    """Estimated Jaccard similarity of two texts from their signatures."""
    return sum(x == y for x, y in zip(sig1, sig2)) / NUM_PERM


def encode(sig: list[int]) -> str:
    return sig and ",".join(format(v, "x") for v in sig) or ""


def decode(value: str | None) -> list[int] | None:
    return [int(v, 16) for v in value.split(",")] if value else None


# --- reprints and rewrites: the narrative outside quotation marks ------------------------

NARRATIVE_SHINGLE = 7   # words per shingle: a shared 7-word sequence is rarely chance
MARK_EVERY = 4          # one shingle in 4 (by value) is a mark, indexed for candidate lookup
MIN_MARKS = 2           # candidates share at least this many marks
MIN_SHARED = 20         # ... and, compared, at least this many narrative shingles
REPRINT = 0.3           # containment from which two narratives are one report
PREFILTER = REPRINT / 3  # candidates whose shared marks estimate less are not compared
MAX_CANDIDATES = 20     # candidates compared per article, the best estimates first
QUOTE_WORD = "q_"       # what a quotation becomes in the narrative
_MULT, _MIX1, _MIX2 = np.uint64(1_000_003), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
# each pattern starts with its quotation mark (a lookbehind first would slow the scan 5x)
_DOUBLE = re.compile(r"“[^“”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|«[^«»\n]*(?:»|$)|„[^„“”\n]*(?:[“”]|$)"
                     r"|''(?<!\w'')(?:(?!'')[^\n])*(?:''|$)", re.M)
# single quotes: an opening mark not after a letter, a closing one not inside a word ("company's")
_SINGLE = re.compile(r"['‘](?<![\w'‘’]['‘])(?=\w)[^\n]*?(?<=[\w.,!?;:…])['’](?!\w)")


def narrative(text: str) -> str:
    """The text with each quotation replaced by QUOTE_WORD; a double quote left open runs
    to the end of its paragraph (the convention for a quote continued in the next one)."""
    return _SINGLE.sub(f" {QUOTE_WORD} ", _DOUBLE.sub(f" {QUOTE_WORD} ", text or ""))


def narrative_shingles(text: str) -> set[int]:
    """63-bit hashes of the word 7-shingles of each narrative paragraph (case-folded); a
    shingle never crosses paragraphs, which rewrites reorder and cut. Each word is hashed
    once (CRC-32); a shingle's hash is a polynomial of its words', mixed (splitmix64)."""
    n, words, starts = NARRATIVE_SHINGLE, [], []
    for para in narrative(text).casefold().split("\n"):
        para_words = _WORD.findall(para)
        if len(para_words) >= n:
            starts.extend(range(len(words), len(words) + len(para_words) - n + 1))
        words.extend(para_words)
    if not starts:
        return set()
    ids = {word: zlib.crc32(word.encode("utf-8")) for word in set(words)}
    w, at = np.array([ids[word] for word in words], dtype=np.uint64), np.array(starts, dtype=np.int64)
    h = np.zeros(len(at), dtype=np.uint64)
    for j in range(n):  # uint64 arithmetic wraps around: a hash modulo 2**64
        h = h * _MULT + w[at + j]
    h ^= h >> np.uint64(30)
    h *= _MIX1
    h ^= h >> np.uint64(27)
    h *= _MIX2
    h ^= h >> np.uint64(31)
    return set((h >> np.uint64(1)).tolist())


def marks(shingles: set[int]) -> list[int]:
    """The sampled shingles stored for candidate lookup (none when too short to compare)."""
    if len(shingles) < MIN_SHARED:
        return []
    return sorted(s for s in shingles if s % MARK_EVERY == 0)


def reprint_score(a: set[int], b: set[int]) -> tuple[float, int]:
    """(share of the shorter narrative's shingles found in the other, shared shingles)."""
    if not a or not b:
        return 0.0, 0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared


def is_reprint(score: float, shared: int) -> bool:
    return score >= REPRINT and shared >= MIN_SHARED


def _moment(value: str | None) -> tuple[str, datetime | None] | None:
    """(day, UTC time or None) of an ISO 8601 date; None when missing or unreadable."""
    if not value or not re.match(r"\d{4}-\d\d-\d\d", value):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00")) if len(value) > 10 else None
    except ValueError:
        dt = None
    if dt is not None:
        dt = (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return value[:10], dt


def published_before(a: tuple[str | None, int], b: tuple[str | None, int]) -> bool:
    """Whether article a = (published_at, id) is the original of b: published earlier;
    on the same day without both times, or undated, the one stored first (lower id)."""
    ma, mb = _moment(a[0]), _moment(b[0])
    if ma and mb:
        if ma[1] and mb[1] and ma[1] != mb[1]:
            return ma[1] < mb[1]
        if ma[0] != mb[0] and not (ma[1] and mb[1]):
            return ma[0] < mb[0]
    return a[1] < b[1]
