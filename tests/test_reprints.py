"""Reprints and rewrites of one report (reprint_of), the outlet of each article, and the key
an article counts as among independent sources."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import dedup
from ingest.article import Article
from ingest.feeds import parse_feed
from ingest.html import parse_html
from ingest.text import parse_text
from kb import store

from conftest import CORPUS, need

TRACKING = CORPUS / "tracking"
GREECE = TRACKING / "greece-imf-payment-june-2015" / "articles"


@pytest.fixture
def db():
    return store.open_db(memory=True)


def read(path: Path, source: str | None = None, published_at: str | None = None) -> Article:
    art = parse_text(need(path).read_bytes(), source or str(path))
    if published_at:
        art.published_at = published_at
    return art


def links(db) -> dict[int, int | None]:
    return {r["id"]: r["reprint_of"] for r in db.query("SELECT id, reprint_of FROM articles")}


@pytest.mark.parametrize("case", ["greece-imf-payment-june-2015", "tesla-model3-5000-per-week"])
def test_gold_reprints_are_marked_and_nothing_else(db, case: str) -> None:
    gold = json.loads(need(TRACKING / case / "gold.json").read_text(encoding="utf-8"))
    files = {}
    for a in sorted(gold["articles"], key=lambda a: (a["date"], a["file"])):  # as the scorer ingests
        pk, _ = store.store_article(db, read(TRACKING / case / "articles" / a["file"]))
        files[pk] = a["file"]
    want = {(a["file"], a["reprint_of"]) for a in gold["articles"] if a["reprint_of"]}
    rows = list(db.query("SELECT id, reprint_of, reprint_score, duplicate_of, near_duplicate_of FROM articles"))
    got = {(files[r["id"]], files[r["reprint_of"]]) for r in rows if r["reprint_of"]}
    assert want and got == want
    for r in rows:
        assert r["duplicate_of"] is None and r["near_duplicate_of"] is None
        if r["reprint_of"]:
            assert dedup.REPRINT <= r["reprint_score"] <= 1


def test_a_shared_quote_is_not_a_shared_report(db) -> None:
    quote = ("“We will not accept any extreme proposals from the creditors, and we will make the payment "
             "only when the lenders agree to a deal that keeps pensions and wages where they are today "
             "and lets the economy grow again,” the prime minister said.")
    one = ("The prime minister spoke to reporters in Athens late on Thursday after meeting his ministers. "
           "Talks with the lenders resumed in Brussels this week after a pause of several days. " + quote +
           " His finance minister is due to travel to Berlin on Monday for a meeting with officials there.")
    other = ("Greece's leader struck a defiant tone before parliament on Friday as the deadline for its loan "
             "repayment drew closer and banks reported more withdrawals. " + quote +
             " Opposition parties accused the government of gambling with the country's place in the euro.")
    rewrite = ("The prime minister spoke to reporters in Athens late on Thursday after meeting his ministers. "
               "Talks with the lenders resumed in Brussels this week after a pause of several days. "
               "“There is no deal yet,” an official said. His finance minister is due to travel to Berlin "
               "on Monday for a meeting with officials there.")
    a, _ = store.store_article(db, Article(source="a.txt", text=one, published_at="2015-06-04"))
    b, _ = store.store_article(db, Article(source="b.txt", text=other, published_at="2015-06-05"))
    c, _ = store.store_article(db, Article(source="c.txt", text=rewrite, published_at="2015-06-05"))
    assert links(db) == {a: None, b: None, c: a}  # the narrative is copied, the quote is not enough
    assert dedup.narrative(one).count(dedup.QUOTE_WORD) == 1


def test_independent_reports_of_one_story_are_not_reprints(db) -> None:
    """Tesla 01 and 02 quote the same shareholder letter; 01 and 07 share a dpa-AFX dateline."""
    tesla = TRACKING / "tesla-model3-5000-per-week" / "articles"
    texts = {f: read(tesla / f).text for f in ("01.txt", "02.txt", "07.txt")}
    for x, y in (("01.txt", "02.txt"), ("01.txt", "07.txt")):
        score, shared = dedup.reprint_score(dedup.narrative_shingles(texts[x]), dedup.narrative_shingles(texts[y]))
        assert not dedup.is_reprint(score, shared) and score < dedup.REPRINT / 2
    copy = read(GREECE / "03.txt")  # while a rewrite of one wire report is
    score, shared = dedup.reprint_score(dedup.narrative_shingles(read(GREECE / "02.txt").text),
                                        dedup.narrative_shingles(copy.text))
    assert dedup.is_reprint(score, shared)


def test_copy_stored_before_its_original_is_repointed(db) -> None:
    copy, _ = store.store_article(db, read(GREECE / "03.txt", "journal", "2015-06-04T18:00:00+01:00"))
    mirror, status = store.store_article(db, read(GREECE / "03.txt", "mirror", "2015-06-04T19:00:00+01:00"))
    assert status == "duplicate" and links(db) == {copy: None, mirror: copy}  # an exact copy carries it too
    original, _ = store.store_article(db, read(GREECE / "02.txt", "aljazeera", "2015-06-04T15:00:00+00:00"))
    assert links(db) == {copy: original, mirror: original, original: None}  # chains point at the root
    assert db["articles"].get(mirror)["duplicate_of"] == copy  # duplicate_of keeps the first stored copy
    assert 0 < db["articles"].get(copy)["reprint_score"] <= 1
    later, _ = store.store_article(db, read(GREECE / "03.txt", "late", "2015-06-06"))
    assert links(db)[later] == original
    assert len({store.independent_source(db, i) for i in (copy, mirror, original, later)}) == 1


def test_changed_article_gets_new_marks_and_reprint_of(db) -> None:
    original, _ = store.store_article(db, read(GREECE / "02.txt", "aljazeera"))
    other = read(TRACKING / "tesla-model3-5000-per-week" / "articles" / "02.txt", "b")
    pk, _ = store.store_article(db, other)
    marks = {m for (m,) in db.execute("SELECT mark FROM article_marks WHERE article_id = ?", [pk])}
    assert links(db)[pk] is None and marks
    assert store.store_article(db, read(GREECE / "03.txt", "b")) == (pk, "changed")
    assert links(db)[pk] == original
    new_marks = {m for (m,) in db.execute("SELECT mark FROM article_marks WHERE article_id = ?", [pk])}
    assert new_marks and not new_marks & marks
    assert store.store_article(db, other)[1] == "changed"
    assert links(db)[pk] is None and db["articles"].get(pk)["reprint_score"] is None


def test_reprint_writes_are_in_the_article_transaction(db, monkeypatch) -> None:
    store.store_article(db, read(GREECE / "02.txt", "aljazeera"))

    def broken(*_args):
        raise RuntimeError("comparison failed")

    monkeypatch.setattr(dedup, "reprint_score", broken)
    with pytest.raises(RuntimeError):
        store.store_article(db, read(GREECE / "03.txt", "journal"))
    assert db["articles"].count == 1
    assert db.execute("SELECT count(DISTINCT article_id) FROM article_marks").fetchone()[0] == 1


def test_outlet_from_page_metadata(db) -> None:
    html = need(CORPUS / "html")
    annotated = [e for e in json.loads((html / "expectations.json").read_text(encoding="utf-8")) if e.get("sitename")]
    assert annotated
    for e in annotated:
        art = parse_html((html / e["file"]).read_bytes(), e["file"])
        assert art.outlet == e["sitename"], e["id"]
    pk, _ = store.store_article(db, art)
    assert db["articles"].get(pk)["outlet"] == annotated[-1]["sitename"]


def test_outlet_from_url_host() -> None:
    from ingest.article import url_host

    page = b"""<html><head><title>Port reopens</title>
    <link rel="canonical" href="https://www.harbour-gazette.example/news/port-reopens"></head>
    <body><article><h1>Port reopens</h1><p>The port reopened on Monday after a week of repairs to
    the main quay, officials said, and the first ships were unloaded in the afternoon.</p></article>
    </body></html>"""
    assert parse_html(page, "saved.html").outlet == "harbour-gazette.example"
    assert url_host("https://WWW.Example.org:8080/a?b=1") == "example.org"
    assert url_host("feed.xml#3") is None
    feed = need(CORPUS / "feeds" / "rss-parser" / "input" / "guardian.rss")
    _, entries = parse_feed(feed.read_bytes(), str(feed))
    assert entries and {e.outlet for e in entries} == {"theguardian.com"}
    assert read(GREECE / "02.txt").outlet is None  # a plain-text file says nothing of its publisher


def test_independent_source_counts_a_reprint_with_its_original(db) -> None:
    wire = read(GREECE / "02.txt", "https://www.aljazeera.com/news/a")
    wire.outlet = "Al Jazeera"
    copy = read(GREECE / "03.txt", "https://www.thejournal.ie/b")
    copy.outlet = "TheJournal.ie"
    same_outlet = read(GREECE / "01.txt", "https://www.aljazeera.com/news/c")
    same_outlet.outlet = "Al Jazeera"
    a, _ = store.store_article(db, wire)
    b, _ = store.store_article(db, copy)
    c, _ = store.store_article(db, same_outlet)
    d, _ = store.store_article(db, read(TRACKING / "tesla-model3-5000-per-week" / "articles" / "02.txt"))
    assert store.independent_source(db, b) == store.independent_source(db, a) == "Al Jazeera"
    assert store.independent_source(db, c) == "Al Jazeera"  # one outlet counts once
    assert store.independent_source(db, d) == f"article:{d}"  # no outlet: the article itself
