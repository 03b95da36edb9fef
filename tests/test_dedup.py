"""Deduplication: canonical URLs, exact copies, near-duplicates (reprints) and story counts."""
from __future__ import annotations

import pytest

from ingest import dedup
from ingest.article import Article
from ingest.text import parse_text
from kb import store

from conftest import need, SEED


@pytest.fixture
def db():
    return store.open_db(memory=True)


@pytest.fixture(scope="module")
def story() -> str:
    return parse_text(need(SEED).read_bytes(), str(SEED)).text


def test_canonical_url() -> None:
    assert dedup.canonical_url("HTTP://News.Example.COM:80/a/b?utm_source=rss&id=3&fbclid=x#comments") == \
        "http://news.example.com/a/b?id=3"
    assert dedup.canonical_url("https://example.org/p?b=2&a=1&gclid=9") == "https://example.org/p?a=1&b=2"
    assert dedup.canonical_url("https://example.org") == "https://example.org/"
    for not_web in ("/relative/link", "file:///etc/passwd", "feed.xml#3", None, ""):
        assert dedup.canonical_url(not_web) is None
    art = Article(source="https://example.org/story?utm_medium=email", text="x", url="/story")
    assert art.canonical_url == "https://example.org/story"  # a relative url falls back to the source


def test_similarity_separates_reprints_from_other_stories(story: str) -> None:
    words = story.split()
    reprint = "Reuters - " + " ".join(words[: len(words) - 12]) + " Reporting by a wire desk."
    other = " ".join(reversed(words))
    sig = dedup.signature(story)
    assert dedup.similarity(sig, dedup.signature(reprint)) >= dedup.NEAR_DUPLICATE
    assert dedup.similarity(sig, dedup.signature(other)) < 0.2
    assert set(dedup.bands(sig)) & set(dedup.bands(dedup.signature(reprint)))
    assert dedup.signature("Too short to compare.") is None
    assert dedup.decode(dedup.encode(sig)) == sig


def test_store_links_copies_to_the_first(db, story: str) -> None:
    words = story.split()
    first = Article(source="https://a.example/story", text=story, url="https://a.example/story")
    tracked = Article(source="https://a.example/story?utm_source=twitter#top", text=story + " Share this.")
    copy = Article(source="/saved/story.txt", text=story)
    reprint = Article(source="https://b.example/wire/123", text=" ".join(words[5:]) + " (AP)")
    unrelated = Article(source="https://c.example/other", text=" ".join(reversed(words)))
    assert store.store_article(db, first) == (1, "new")
    assert store.store_article(db, tracked) == (2, "duplicate")     # same canonical URL
    assert store.store_article(db, copy) == (3, "duplicate")        # same text
    assert store.store_article(db, reprint) == (4, "near_duplicate")
    assert store.store_article(db, unrelated) == (5, "new")
    rows = {r["id"]: r for r in db["articles"].rows}
    assert rows[2]["duplicate_of"] == 1 and rows[3]["duplicate_of"] == 1
    assert rows[4]["near_duplicate_of"] == 1 and rows[4]["similarity"] >= dedup.NEAR_DUPLICATE
    assert rows[5]["near_duplicate_of"] is None and rows[5]["duplicate_of"] is None
    assert rows[1]["canonical_url"] == rows[2]["canonical_url"] == "https://a.example/story"
    stories = {r["id"]: r["copies"] for r in db.query("SELECT id, copies FROM stories")}
    assert stories == {1: 4, 5: 1}  # five sources, two stories
    # a reprint of the reprint still points at the first copy
    again = Article(source="https://d.example/x", text=" ".join(words[5:]) + " (AP) Updated.")
    pk, status = store.store_article(db, again)
    assert status == "near_duplicate" and db["articles"].get(pk)["near_duplicate_of"] == 1


def test_same_source_again_is_unchanged_or_changed(db, story: str) -> None:
    art = Article(source="https://a.example/s", text=story)
    assert store.store_article(db, art)[1] == "new"
    assert store.store_article(db, art)[1] == "unchanged"
    edited = Article(source="https://a.example/s", text=story + " Correction: a name was misspelt.")
    assert store.store_article(db, edited)[1] == "changed"
    assert db["articles"].count == 1
    assert db.execute("SELECT count(DISTINCT article_id) FROM article_bands").fetchone()[0] == 1
