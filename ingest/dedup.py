"""Fingerprints for deduplication: canonical URLs, and MinHash signatures of the text.

Exact copies share a content hash (Article.content_hash). The same page under two
addresses shares a canonical URL: scheme and host lower-cased, default port, fragment and
tracking parameters (utm_*, fbclid, gclid, ...; courlan's list) removed, the rest sorted.
The same story reprinted (a wire story on two sites, a page re-published with a new
headline) shares most of its word 5-shingles: a 64-value MinHash estimates their Jaccard
similarity, and 16 bands of 4 values find the candidates without comparing every pair
(locality-sensitive hashing: pairs at 0.8 similarity collide in some band with p > 0.99,
pairs at 0.3 with p < 0.13).
"""
from __future__ import annotations

import hashlib
import re
import struct
import zlib

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
