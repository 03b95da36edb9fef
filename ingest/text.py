"""Plain-text articles: robust decoding, header (title, standfirst, dateline, byline) and body.

Also holds the small helpers the other parsers share: `decode_bytes`, `to_iso` (dates to
ISO 8601), `guess_language` and `clean_text`.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from .article import Article, IngestError, clean_surrogates

try:  # a dependency of trafilatura (and requests): present in practice, optional here
    import charset_normalizer
except ImportError:  # pragma: no cover
    charset_normalizer = None  # type: ignore[assignment]

try:  # a dependency of htmldate
    from dateutil import parser as _dateutil_parser
except ImportError:  # pragma: no cover
    _dateutil_parser = None  # type: ignore[assignment]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_MAGIC = (
    b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"MZ",
    b"ID3", b"OggS", b"RIFF", b"\x00\x00\x01\x00", b"SQLite format 3",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are clearly not text (magic numbers, NUL bytes without a BOM)."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    if any(data.startswith(m) for m in _BINARY_MAGIC):
        return True
    return b"\x00" in data[:8192]


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: BOM, then the declared charset, then UTF-8, then detection.

    Returns (text, encoding name). Never raises on odd bytes: the last resort is
    cp1252 / latin-1 with replacement.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    for enc in candidates:
        try:
            return data.decode(enc), codecs.lookup(enc).name
        except (UnicodeDecodeError, LookupError):
            continue
    if len(data) < 4000:  # too short for detection to beat the usual Western fallback
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    if charset_normalizer is not None:
        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            try:
                return data.decode(best.encoding, errors="replace"), best.encoding
            except LookupError:
                pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def is_mostly_text(text: str) -> bool:
    """False when more than 5 % of the first characters are control / replacement chars."""
    sample = text[:20_000]
    if not sample:
        return True
    return len(_CONTROL.findall(sample)) / len(sample) < 0.05


def clean_text(text: str) -> str:
    """Normalise newlines, strip trailing spaces, collapse runs of blank lines, NFC;
    lone surrogates become U+FFFD."""
    text = clean_surrogates(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip()


# ----------------------------------------------------------------------------- dates

def to_iso(value: Any) -> str | None:
    """A date (string, datetime, struct_time) as ISO 8601, keeping any UTC offset.

    Dates without a time stay dates ("2014-08-04"); unparseable values give None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "tm_year"):  # time.struct_time (feedparser: UTC)
        try:
            dt = datetime(*value[:6], tzinfo=timezone.utc)
        except (TypeError, ValueError):
            return None
        return dt.isoformat(timespec="seconds")
    s = str(value).strip()
    if not s:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            datetime.strptime(s, "%Y-%m-%d")
            return s
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        pass
    return parse_loose_date(s)


def parse_loose_date(s: str) -> str | None:
    """Parse a human date such as 'Monday, 04 August, 2014, 1:29pm' to ISO 8601."""
    s = re.sub(r"\s+", " ", s).strip(" ,.|:-")
    if not s or not re.search(r"\d", s) or len(s) > 80:
        return None
    if not re.search(r"\b\d{4}\b", s):  # demand a year: "5 hours ago" is not a date here
        return None
    if _dateutil_parser is None:  # pragma: no cover
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}|\d\s*[ap]\.?m\b", s, re.I))
    try:
        dayfirst = bool(re.search(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", s))
        dt = _dateutil_parser.parse(s, fuzzy=True, dayfirst=dayfirst, default=datetime(1900, 1, 1))
        alt = _dateutil_parser.parse(s, fuzzy=True, dayfirst=dayfirst, default=datetime(1900, 2, 2))
        if dt.date() != alt.date():  # a month or a day was not given: too vague
            return None
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1900 <= dt.year <= 2100:
        return None
    if not has_time and dt.tzinfo is None:
        return dt.date().isoformat()
    return dt.isoformat(timespec="seconds")


# ----------------------------------------------------------------------------- language

_STOPWORDS = {
    "en": "the of and to in is that for it was on with as by at from said he his be are".split(),
    "de": "der die und das ist nicht mit den von zu sich auf für ein eine dem auch".split(),
    "fr": "le la les et des est une dans que pour pas qui sur du au avec par".split(),
    "es": "el la los las que en del por con una para es al se su como".split(),
    "it": "il di che della per una sono con non del alla gli le nel anche".split(),
    "pl": "się nie jest na do że to w z jak od przez po dla już".split(),
    "nl": "de het een van en niet dat op zijn met voor ook aan er".split(),
    "pt": "o os que de não uma para com do da em por se mais ao".split(),
}
_STOPWORD_SETS = {lang: frozenset(sw) for lang, sw in _STOPWORDS.items()}


_SCRIPTS = (
    ("ja", r"[\u3040-\u30ff]"), ("ko", r"[\uac00-\ud7af]"), ("zh", r"[\u4e00-\u9fff]"),
    ("ar", r"[\u0600-\u06ff]"), ("ru", r"[\u0400-\u04ff]"), ("el", r"[\u0370-\u03ff]"),
    ("he", r"[\u0590-\u05ff]"), ("th", r"[\u0e00-\u0e7f]"), ("hi", r"[\u0900-\u097f]"),
    ("bn", r"[\u0980-\u09ff]"), ("ta", r"[\u0b80-\u0bff]"),
)
LATIN_END = "\u0250"       # Basic Latin to Latin Extended-B: the letters of the stop-word languages


def guess_language(text: str) -> str | None:
    """A crude guess by script (ja, ko, zh, ar, ru, ...) or stop words (en, de, fr, ...); "und"
    for text mostly in another script than those; None when unsure."""
    sample = text[:20_000]
    letters = [ch for ch in sample if ch.isalpha()]
    if letters:
        for lang, pattern in _SCRIPTS:
            if len(re.findall(pattern, sample)) > 0.3 * len(letters):
                return lang
        if sum(ch < LATIN_END for ch in letters) < 0.5 * len(letters):
            return "und"      # mostly letters of another script: undetermined, but not English
    words = re.findall(r"[^\W\d_]+", sample.lower())
    if len(words) < 20:
        return None
    freq = Counter(words)
    counts = {lang: sum(freq[w] for w in sw) for lang, sw in _STOPWORD_SETS.items()}
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    return lang if best >= max(3, 0.05 * len(words)) else None


# ----------------------------------------------------------------------------- header

_LABEL_DATE = re.compile(
    r"^\s*(?P<label>published|publish(?:ed)? (?:on|at)|posted(?: on)?|first published|"
    r"(?:last )?updated(?: on| at)?|last modified|modified|date|dated)\b\s*[:\-–—]?\s*(?P<value>.+)$",
    re.I,
)
_BYLINE = re.compile(r"^\s*by\s+(?P<name>[^\W\d_][\w.'’\- ]{1,80}?)\s*(?:[,|•·]\s*(?P<rest>.*))?$", re.I)
_MAX_HEADER_LINE = 300


def _header_line(line: str) -> tuple[str, str] | None:
    """Classify one line: ('published'|'updated', iso) or ('byline', name), else None."""
    if len(line) > _MAX_HEADER_LINE:
        return None
    m = _LABEL_DATE.match(line)
    if m:
        iso = parse_loose_date(m.group("value"))
        if iso:
            label = m.group("label").lower()
            kind = "updated" if ("updat" in label or "modif" in label) else "published"
            return kind, iso
    m = _BYLINE.match(line)
    if m and len(m.group("name").split()) <= 6:
        name = m.group("name").strip()
        if name[:1].isupper():
            return "byline", name
    return None


def _split_header(lines: list[str]) -> dict[str, Any] | None:
    """Find the header block (title, standfirst, dateline, byline) in the first lines."""
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    if not idx:
        return None
    found: dict[str, Any] = {}
    header_rows: list[int] = []
    for pos, i in enumerate(idx[:10]):
        kind = _header_line(lines[i].strip())
        if kind:
            header_rows.append(pos)
            found.setdefault(kind[0], kind[1])
        elif header_rows:
            break  # the body starts after the header block
    if not header_rows:
        return None
    first, last = header_rows[0], header_rows[-1]
    before = [lines[i].strip() for i in idx[:first]]
    if len(before) > 3 or any(len(b) > 400 for b in before):
        return None  # a dateline deep in the text is not a header
    title = before[0] if before else None
    standfirst = "\n\n".join(before[1:]) or None
    body_start = idx[last] + 1
    found.update(title=title, standfirst=standfirst, body="\n".join(lines[body_start:]))
    return found


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Bytes that are text, decoded as given: (text, encoding). Raises IngestError
    ("parse") for empty input and for binary files (magic numbers, NUL bytes, mostly
    control characters once decoded)."""
    if not data or not data.strip():
        raise IngestError(source, "parse", "empty file")
    if looks_binary(data):
        raise IngestError(source, "parse", "binary file, not text")
    raw, encoding = decode_bytes(data)
    if not is_mostly_text(raw):
        raise IngestError(source, "parse", "binary file, not text")
    return raw, encoding


def parse_text(data: bytes, source: str) -> Article:
    """Parse a saved plain-text article. Raises IngestError for empty or binary input."""
    raw, encoding = decode_text(data, source)
    text = clean_text(raw)
    if not text:
        raise IngestError(source, "parse", "empty file")
    lines = text.split("\n")
    head = _split_header(lines)
    if head is not None:
        body = clean_text(head["body"])
        art = Article(
            source=source, text=body, title=head["title"], standfirst=head["standfirst"],
            byline=head.get("byline"), published_at=head.get("published"),
            updated_at=head.get("updated"), kind="file",
        )
    else:
        first = lines[0].strip()
        title = first if len(first) < 200 and not first.endswith(".") else None
        art = Article(source=source, text=text, title=title, kind="file")
    art.language = guess_language(art.text)
    art.extra["encoding"] = encoding
    if not art.text:  # a header and nothing else: keep everything as the text
        art.text = text
    return art
