"""Hostile files and feeds (issue 12, items 2, 4, 7, 8, 9): one bad input costs that input
only, is recorded with a readable reason, and nothing ends "0 failed" with nothing stored."""
import json
import os
import signal
from pathlib import Path

import pytest

from ingest import sources
from ingest.article import Failure
from ingest.feeds import parse_feed
from ingest.sources import iter_source
from kb import jobs, store

BODY = "The minister said on Monday that the plan would go ahead, according to officials.\n"
JSONFEED = "https://jsonfeed.org/version/1.1"


@pytest.fixture
def db():
    return store.open_db(memory=True)


def ingest(db, *paths) -> jobs.Report:
    return jobs.ingest(db, [str(p) for p in paths], fetch_entries=False, extract_after=False)


def stored(db) -> set[str]:
    return {r["source"] for r in db.query("SELECT source FROM articles")}


def recorded(db) -> dict[str, tuple[str, str]]:
    return {r["source"]: (r["stage"], r["reason"]) for r in db.query("SELECT * FROM failures")}


def write(folder: Path, name: str | bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), os.fsencode(name)), "wb") as fh:
        fh.write(data)


def jsonfeed(tmp_path: Path, items: list, name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"version": JSONFEED, "title": "T", "items": items}), encoding="utf-8")
    return path


# --- item 2: file names that are not UTF-8 ---------------------------------------------

def test_undecodable_file_names_cost_nothing_else(db, tmp_path):
    for i in range(6):
        write(tmp_path, f"{i}-good.txt", f"Story {i}\n\n{BODY}".encode())
    write(tmp_path, b"1-bad\xff.txt", b"Bad name\n\nThe official said the name is not UTF-8.\n")
    write(tmp_path, b"3-empty\xfe.txt", b"")
    report = ingest(db, tmp_path)
    names = {s.rsplit("/", 1)[-1] for s in stored(db)}
    assert names == {f"{i}-good.txt" for i in range(6)} | {"1-bad\\xff.txt"}  # escaped, readable
    assert recorded(db) == {f"{tmp_path}/3-empty\\xfe.txt": ("parse", "empty file")}
    assert (report.new, report.failed) == (7, 1)
    for row in db.query("SELECT * FROM articles"):  # valid UTF-8 everywhere: JSON and SQLite take it
        json.dumps(row, ensure_ascii=False).encode("utf-8")


def test_undecodable_source_argument_is_stored_escaped(db, tmp_path):
    write(tmp_path, b"arg\xff.txt", f"Arg\n\n{BODY}".encode())
    report = ingest(db, os.fsdecode(os.path.join(os.fsencode(tmp_path), b"arg\xff.txt")))
    assert report.new == 1
    assert stored(db) == {f"{tmp_path}/arg\\xff.txt"}
    assert [r["source"] for r in db.query("SELECT source FROM sources")] == [f"{tmp_path}/arg\\xff.txt"]


def test_a_parser_bug_costs_one_file(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"{name}\n\n{BODY}")
    real = sources.classify_file

    def flaky(path: Path, data: bytes) -> str:
        if path.name == "b.txt":
            raise RuntimeError("boom")
        return real(path, data)

    monkeypatch.setattr(sources, "classify_file", flaky)
    items = list(iter_source(str(tmp_path), fetch_entries=False))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Article"]
    assert items[1].source.endswith("b.txt") and "RuntimeError" in items[1].reason


# --- item 4: FIFOs and other special files -----------------------------------------------

def run_with_timeout(fn, seconds: int = 20):
    """fn() under an alarm: a blocking open() of a FIFO fails the test instead of hanging it."""
    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s (blocked on a FIFO?)")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        return fn()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(signal, "alarm"), reason="no FIFOs here")
def test_fifo_in_folder_is_skipped_not_read(db, tmp_path):
    (tmp_path / "a.txt").write_text(f"A\n\n{BODY}")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "z.txt").write_text(f"Z\n\n{BODY}")
    report = run_with_timeout(lambda: ingest(db, tmp_path))
    assert stored(db) == {f"{tmp_path}/a.txt", f"{tmp_path}/z.txt"}
    assert recorded(db) == {f"{tmp_path}/pipe.txt": ("skip", "skipped: a named pipe (FIFO), not a regular file")}
    assert (report.new, report.skipped, report.failed) == (2, 1, 0)
    assert "1 skipped" in report.summary()


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(signal, "alarm"), reason="no FIFOs here")
def test_fifo_given_as_source_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (fail,) = run_with_timeout(lambda: list(iter_source(str(tmp_path / "pipe.txt"))))
    assert isinstance(fail, Failure) and "not a regular file" in fail.reason


def test_link_to_device_is_skipped(db, tmp_path):
    if not os.path.exists("/dev/null"):  # not /dev/zero: a regression would read it for ever
        pytest.skip("no /dev/null")
    os.symlink("/dev/null", tmp_path / "null.txt")
    run_with_timeout(lambda: ingest(db, tmp_path))
    assert recorded(db) == {f"{tmp_path}/null.txt": ("skip", "skipped: a character device, not a regular file")}


# --- item 7: lone surrogates ---------------------------------------------------------------

def test_lone_surrogate_in_json_feed_keeps_the_article(db, tmp_path):
    path = jsonfeed(tmp_path, [
        {"id": "1", "title": "Broken \ud800 title", "content_text": "Text with \ud800 a lone surrogate, said Ann."},
        {"id": "2", "url": "https://example.org/\udcff", "content_html": "<p>Low \udc80 one.</p>"},
        {"id": "3", "title": "Pair", "content_text": "A smile \U0001F600 stays."}])
    report = ingest(db, path)
    assert (report.new, report.failed) == (3, 0)
    rows = {r["source"]: r for r in db.query("SELECT * FROM articles")}
    first = rows[f"{path}#1"]
    assert first["title"] == "Broken \ufffd title"
    assert first["text"] == "Text with \ufffd a lone surrogate, said Ann."
    second = rows["https://example.org/\\xff"]  # a source is a name: its odd character escaped
    assert second["text"] == "Low \ufffd one." and second["url"] == "https://example.org/\ufffd"
    assert rows[f"{path}#3"]["text"] == "A smile \U0001F600 stays."


# --- item 8: one bad JSON Feed item --------------------------------------------------------

def test_bad_json_feed_items_cost_only_themselves(db, tmp_path):
    path = jsonfeed(tmp_path, [
        {"id": "1", "title": "Good", "content_text": BODY},
        {"id": "2", "title": {"nested": "object"}, "content_text": BODY + " Two."},
        {"id": "3", "content_html": ["a", "list"]},
        {"id": "4", "url": "https://example.org/4", "content_text": 42},
        7, "a string", None,
        {"id": "8", "title": "Also good", "content_html": "<p>Kept as well, said Bo.</p>"}])
    meta, arts = parse_feed(path.read_bytes(), str(path))
    assert [a.title for a in arts] == ["Good", "Also good"]
    assert [p.reason for p in meta["problems"]] == [
        "item 1: title is an object, not a string", "item 2: content_html is a list, not a string",
        "item 3: content_text is a number, not a string", "item 4 is a number, not an object",
        "item 5 is a string, not an object", "item 6 is null, not an object"]
    report = ingest(db, path)
    assert (report.new, report.failed) == (2, 6)
    assert recorded(db)[f"{path}#2"] == ("entry", "item 1: title is an object, not a string")
    assert recorded(db)[f"{path}#4"] == ("entry", "item 3: content_text is a number, not a string")
    assert f"{path}#item-4" in recorded(db)


# --- item 9: nothing is a silent no-op -----------------------------------------------------

def test_feeds_without_entries_are_recorded(db, tmp_path):
    rss = tmp_path / "empty.xml"
    rss.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
                   "<link>https://example.org/</link></channel></rss>")
    empty_json = jsonfeed(tmp_path, [], "empty.json")
    report = ingest(db, rss, empty_json)
    assert recorded(db) == {str(rss): ("skip", "feed has no entries"), str(empty_json): ("skip", "feed has no entries")}
    assert report.skipped == 2 and "2 skipped" in report.summary()


def test_feed_entries_without_text_are_stored_and_empty_files_recorded(db, tmp_path):
    rss = tmp_path / "feed.rss"
    rss.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
                   "<item><guid isPermaLink='false'>e1</guid></item>"
                   "<item><title>Has a title</title><guid isPermaLink='false'>e2</guid></item>"
                   "</channel></rss>")
    path = jsonfeed(tmp_path, [{"id": "blank", "content_text": "   "}])
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n  ")
    report = ingest(db, rss, path, blank)
    assert stored(db) == {f"{rss}#e1", f"{rss}#e2", f"{path}#blank"}     # every item of a feed
    assert recorded(db) == {str(blank): ("parse", "empty file")}
    assert report.failed == 1


def test_every_file_in_a_folder_is_stored_or_recorded(db, tmp_path):
    (tmp_path / "notes.md").write_text(f"Markdown notes\n\n{BODY}")
    (tmp_path / "SHOUT.TEXT").write_text(f"Upper case\n\n{BODY} Loud.")
    (tmp_path / "Mixed.TxT").write_text(f"Mixed case\n\n{BODY} Mixed.")
    (tmp_path / ".hidden.txt").write_text(f"Hidden\n\n{BODY}")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not text")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref: refs/heads/main")
    report = ingest(db, tmp_path)
    assert stored(db) == {f"{tmp_path}/{n}" for n in ("notes.md", "SHOUT.TEXT", "Mixed.TxT")}
    assert recorded(db) == {
        f"{tmp_path}/.hidden.txt": ("skip", "skipped: hidden file (its name starts with a dot)"),
        f"{tmp_path}/.git": ("skip", "skipped: hidden folder (its name starts with a dot)"),
        f"{tmp_path}/photo.jpg": ("skip", "skipped: not a text, HTML or feed file (.jpg)")}
    assert (report.new, report.skipped, report.failed) == (3, 3, 0)


def test_folder_of_only_hidden_files_says_so(db, tmp_path):
    (tmp_path / ".a.txt").write_text(BODY)
    report = ingest(db, tmp_path)
    assert report.summary().startswith("0 new") and "1 skipped" in report.summary()
    assert report.notices == [f"{tmp_path}/.a.txt: skipped: hidden file (its name starts with a dot)"]
