"""ingest.text: the seed article's header, other header forms, bad input; sources for files."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.article import Article, Failure, IngestError
from ingest.sources import iter_source
from ingest.text import parse_loose_date, parse_text, to_iso

from conftest import SHARED, need

SEED = SHARED / "seed" / "000_ad39916bedaa8f97.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    return parse_text(need(SEED).read_bytes(), str(SEED))


def test_seed_header(seed: Article) -> None:
    assert seed.title == ("Mainland restrictions to be lifted on Line and KakaoTalk, "
                          "South Korean diplomat says")
    assert seed.standfirst == ("Access to them and other popular foreign social networks "
                               "has recently been disrupted")
    assert seed.published_at == "2014-08-04T13:29:00"
    assert seed.updated_at == "2014-08-05T17:58:00"
    assert seed.language == "en"
    assert seed.kind == "file" and seed.source == str(SEED)


def test_seed_body_excludes_header(seed: Article) -> None:
    assert seed.text.startswith("The Chinese government has told the South Korean embassy")
    for header in ("PUBLISHED", "UPDATED", "Mainland restrictions to be lifted",
                   "has recently been disrupted"):
        assert header not in seed.text
    assert "according to a Korean diplomat" in seed.text
    assert seed.text.rstrip().endswith("questioned the security of their technologies.")
    assert "\n\n" in seed.text and "\n\n\n" not in seed.text


def test_other_header_forms() -> None:
    art = parse_text(b"A headline\n\nBy Jane Doe\nPublished: 2014-08-04\nUpdated 5 Aug 2014 17:58\n\n"
                     b"First paragraph.\n\nSecond paragraph.", "x.txt")
    assert art.title == "A headline" and art.standfirst is None
    assert art.byline == "Jane Doe"
    assert art.published_at == "2014-08-04"
    assert art.updated_at == "2014-08-05T17:58:00"
    assert art.text == "First paragraph.\n\nSecond paragraph."


def test_no_header() -> None:
    art = parse_text(b"Short title\n\nSome body text here. And more.\n", "a.txt")
    assert art.title == "Short title" and art.text.startswith("Short title")
    long_first = ("This is a long first sentence that ends with a period. " * 5).strip()
    art = parse_text(long_first.encode() + b"\n\nNext.", "b.txt")
    assert art.title is None and art.text.startswith("This is a long")


def test_encodings() -> None:
    assert parse_text("Caf\u00e9 news\n\nCr\u00e8me br\u00fbl\u00e9e is back.".encode("cp1252"),
                      "c").text == "Caf\u00e9 news\n\nCr\u00e8me br\u00fbl\u00e9e is back."
    assert parse_text(b"\xef\xbb\xbfBOM title\n\nBody.", "d").title == "BOM title"
    assert parse_text("UTF-16 title\n\nBody \u2014 text.".encode("utf-16"), "e").text.endswith("\u2014 text.")
    assert parse_text(b"Windows\r\nlines\r\n\r\nbody", "f").text == "Windows\nlines\n\nbody"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\t\n ", "empty file"),
    (b"\x00\x01\x02\x03binary\x00", "binary file, not text"),
    (bytes(range(256)) * 8, "binary file, not text"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file, not text"),
])
def test_bad_input(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        parse_text(data, "bad")
    assert info.value.stage == "parse" and info.value.reason == reason
    assert info.value.failure() == Failure("bad", "parse", reason)


def test_dates() -> None:
    assert parse_loose_date("Monday, 04 August, 2014, 1:29pm") == "2014-08-04T13:29:00"
    assert parse_loose_date("Aug. 5, 2014 at 3pm") == "2014-08-05T15:00:00"
    assert parse_loose_date("5 hours ago") is None and parse_loose_date("May 2014") is None
    assert to_iso("2021-10-29T10:26:00-04:00") == "2021-10-29T10:26:00-04:00"
    assert to_iso("2021-10-29T10:26:00Z") == "2021-10-29T10:26:00+00:00"
    assert to_iso("not a date") is None


def test_sources_files(tmp_path: Path) -> None:
    need(SEED)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Second\n\nBody two.")
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ignored.bin").write_bytes(b"\x00" * 10)
    items = list(iter_source(str(tmp_path), fetch_entries=False))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Article"]
    assert items[0].title.startswith("Mainland restrictions") and items[0].source == str(tmp_path / "a.txt")
    assert items[1] == Failure(str(tmp_path / "empty.txt"), "parse", "empty file")
    assert items[2] == Failure(str(tmp_path / "ignored.bin"), "skip", "skipped: not a text, HTML or feed file (.bin)")
    assert items[3].source == str(tmp_path / "sub" / "b.txt")
    # unknown extension: sniffed as text
    (tmp_path / "note").write_text("Plain note\n\nWith a body.")
    assert list(iter_source(str(tmp_path / "note")))[0].title == "Plain note"


def test_sources_bad(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    assert list(iter_source(missing)) == [Failure(missing, "read", "no such file or directory")]
    assert list(iter_source("ftp://example.org/x"))[0].stage == "fetch"
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(20_000_001)
    (fail,) = list(iter_source(str(big)))
    assert isinstance(fail, Failure) and fail.reason.startswith("file too large")
