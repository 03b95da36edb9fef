"""ingest.feeds on real feeds (rss-parser, node-feedparser, JSON Feed) and on non-feeds."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from ingest.article import Failure, IngestError
from ingest.feeds import html_to_text, looks_like_feed, parse_feed
from ingest.sources import iter_source

from conftest import SHARED, need

FEEDS = SHARED / "corpus" / "feeds"


def rss_parser_cases() -> list[tuple[str, str]]:
    index = FEEDS / "rss-parser" / "expectations.json"
    if not index.exists():
        return []
    return [(e["file"], e["expected_json"]) for e in json.loads(index.read_text()) if e.get("expected_json")]


@pytest.mark.parametrize("feed_file, expected_file", rss_parser_cases() or [pytest.param("", "", marks=pytest.mark.skip("no corpus"))])
def test_rss_parser_feeds(feed_file: str, expected_file: str) -> None:
    path = FEEDS / feed_file
    raw = (FEEDS / expected_file).read_bytes().decode("utf-8", errors="replace")
    expected = json.loads(raw)["feed"]["items"]
    assert looks_like_feed(path.read_bytes())
    meta, arts = parse_feed(path.read_bytes(), str(path))
    assert len(arts) == len(expected)
    assert meta["version"]
    for want, art in zip(expected, arts):
        assert art.kind == "feed-entry" and art.feed == str(path)
        if want.get("link", "").startswith("/"):  # relative: kept as given, resolved for the source
            assert art.url == want["link"] and art.source == urljoin(meta["link"], want["link"])
        elif want.get("link"):
            assert art.url == want["link"].strip() and art.source == art.url
        else:
            assert art.source.startswith(str(path) + "#")
        title = html.unescape(want.get("title") or "")
        if title and "\ufffd" not in title:  # markup in a title: tags are word boundaries at most
            want_words = re.sub(r"<[^>]+>", " ", title).split()
            assert "".join((art.title or "").split()) == "".join(want_words)
            assert "<" not in (art.title or "") or "<" in re.sub(r"<[^>]+>", "", title)
        if want.get("isoDate"):
            assert art.published_at and re.match(r"\d{4}-\d\d-\d\dT", art.published_at)
            from datetime import datetime
            got = datetime.fromisoformat(art.published_at)
            exp = datetime.fromisoformat(want["isoDate"].replace("Z", "+00:00"))
            assert abs((got - exp).total_seconds()) <= 60


def test_guardian_entry_fields() -> None:
    path = need(FEEDS / "rss-parser" / "input" / "guardian.rss")
    meta, arts = parse_feed(path.read_bytes(), str(path))
    assert meta["title"] and meta["link"].startswith("http") and meta["version"] == "rss20"
    art = arts[0]
    assert art.text and "<" not in art.text and art.extra["entry_id"]
    assert art.byline


def test_not_a_feed_html() -> None:
    path = need(FEEDS / "node-feedparser" / "notafeed.html")
    assert not looks_like_feed(path.read_bytes())
    with pytest.raises(IngestError) as info:
        parse_feed(path.read_bytes(), str(path))
    assert info.value.stage == "feed" and info.value.reason.startswith("not a feed")


@pytest.mark.parametrize("data", [
    b"", b"<?xml version='1.0'?><note><to>Tove</to></note>", b"\x00\x01\x02\x03",
    b'{"title": "no version"}', b"{broken json", b"plain words",
])
def test_not_a_feed(data: bytes) -> None:
    with pytest.raises(IngestError) as info:
        parse_feed(data, "bad")
    assert info.value.stage == "feed" and info.value.reason.startswith("not a feed")


def test_iconv_decoded() -> None:
    path = need(FEEDS / "node-feedparser" / "iconv.xml")
    meta, arts = parse_feed(path.read_bytes(), str(path))
    assert arts
    text = " ".join((a.title or "") + " " + a.text for a in arts)
    assert "\ufffd" not in text and re.search(r"[^\x00-\x7f]", text)
    assert meta["encoding"] and meta["encoding"].lower() not in ("utf-8", "us-ascii")


def test_node_feedparser_counts() -> None:
    folder = need(FEEDS / "node-feedparser")
    for path in sorted(folder.iterdir()):
        raw = path.read_bytes()
        expected = len(re.findall(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]", raw))
        if path.suffix == ".html":
            continue
        _, arts = parse_feed(raw, str(path))
        assert len(arts) == expected, path.name


def test_json_feed() -> None:
    path = need(FEEDS / "jsonfeed" / "feed.json")
    raw = path.read_bytes()
    assert looks_like_feed(raw)
    meta, arts = parse_feed(raw, str(path))
    assert meta["title"] == "Technology" and meta["version"] == "json1"
    assert len(arts) == len(json.loads(raw)["items"])
    first = arts[0]
    assert first.title == "Keller Rinaudo: How can delivery drones save lives?"
    assert first.url.startswith("https://www.npr.org/2021/10/29/1050315385/")
    assert first.published_at == "2021-10-29T10:26:00-04:00"
    assert first.updated_at == "2021-10-29T11:59:00-04:00"
    assert first.byline == "Manoush Zomorodi" and first.extra["entry_id"] == "1050315385"
    assert first.text.startswith("In rural areas") and "<" not in first.text


def test_bozo_with_entries_is_kept() -> None:
    data = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>T &amp; x</title>"
            b"<item><title>One</title><link>http://example.org/1</link><description>A &bogus; b</description></item>"
            b"<item><title>Two</title><guid>id-2</guid></item></channel>")  # unclosed rss
    meta, arts = parse_feed(data, "feed.xml")
    assert [a.title for a in arts] == ["One", "Two"]
    assert meta.get("warning")
    assert arts[1].source == "feed.xml#id-2" and arts[1].url is None


def test_html_to_text() -> None:
    assert html_to_text("<p>One <em>two</em></p><p>Three<br>four</p>") == "One two\n\nThree\n\nfour"
    assert html_to_text("Flat, 1930ft<sup>2</sup> &#x0024;4300") == "Flat, 1930ft 2 $4300"
    assert html_to_text("H<sub>2</sub>O <b>bold</b>ly") == "H 2 O boldly"
    assert html_to_text("a &amp; b") == "a & b"
    assert html_to_text(None) == ""


def test_sources_feed_file_without_fetching() -> None:
    path = need(FEEDS / "rss-parser" / "input" / "heise.atom")
    items = list(iter_source(str(path), fetch_entries=False))
    assert len(items) == 15 and all(i.kind == "feed-entry" for i in items)
    assert items[0].language == "de"
    bad = need(FEEDS / "node-feedparser" / "notafeed.html")
    (page,) = list(iter_source(str(bad), fetch_entries=False))  # an .html file is a page
    assert not isinstance(page, Failure)
    xml_path = str(FEEDS / "feedparser" / "illformed" / "rss_empty_document.xml")
    if Path(xml_path).exists():
        (fail,) = list(iter_source(xml_path))
        assert isinstance(fail, Failure) and fail.stage == "feed"


def test_broken_feed_without_entries_is_named_as_such():
    data = b"<rss><channel><title>testing &aacute; entity</title></channel></rss>"
    with pytest.raises(IngestError, match="malformed feed with no entries: .*undefined entity"):
        parse_feed(data, "broken.xml")
    with pytest.raises(IngestError, match="not a feed"):
        parse_feed(b"<inventory><item>bolt</item></inventory>", "data.xml")
