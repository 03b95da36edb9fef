"""News archives (issue 16, parts 3 and 4): `kb ingest` of WARC files (.warc, .warc.gz)
and JSON lines of articles (.jsonl, .jsonl.gz), streamed record by record.

WARCs are written here with warcio's own writer from real pages of ../shared/corpus/html,
in temporary folders; broken archives are made by cutting or garbling them."""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.archives import iter_archive
from ingest.article import Article, Failure
from ingest.html import parse_html
from kb import jobs, store
from kb.cli import cli

from conftest import CORPUS, need

PAGES = sorted((CORPUS / "html" / "pages").glob("*.html"))[:4] if CORPUS.exists() else []


def uri(page: Path) -> str:
    return f"https://archive.example/{page.stem}"


def write_warc(path: Path, pages: list[Path], *, gz: bool = True, extras: bool = True) -> list[str]:
    """A WARC of request/response pairs for `pages` (captured 2021-03-0N), plus, with
    `extras`, an image response, a 404 and a metadata record; returns the capture dates."""
    dates = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for i, page in enumerate(pages):
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "archive.example")], is_http_request=True)
            w.write_record(w.create_warc_record(uri(page), "request", payload=io.BytesIO(b""), http_headers=req))
            dates.append(f"2021-03-0{i + 1}T10:00:00Z")
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri(page), "response", payload=io.BytesIO(page.read_bytes()),
                                                http_headers=head, warc_headers_dict={"WARC-Date": dates[-1]}))
        if extras:
            for target, status, ctype, body in (("https://archive.example/logo.png", "200 OK", "image/png", b"\x89PNG.."),
                                                ("https://archive.example/gone", "404 Not Found", "text/html", b"gone")):
                head = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                w.write_record(w.create_warc_record(target, "response", payload=io.BytesIO(body), http_headers=head))
            w.write_record(w.create_warc_record("https://archive.example/", "metadata",
                                                payload=io.BytesIO(b"via: test"), warc_content_type="text/plain"))
    return dates


def ingest(db_path: Path, *sources: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["ingest", "--no-extract", "--db", str(db_path), *map(str, sources)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def rows(db_path: Path, sql: str) -> list[dict]:
    return list(store.open_db(db_path).query(sql))


@pytest.mark.parametrize("name", ["news.warc.gz", "news.warc"])
def test_each_html_response_is_a_page_with_its_url_and_capture_date(tmp_path: Path, name: str) -> None:
    need(CORPUS / "html" / "pages")
    dates = write_warc(tmp_path / name, PAGES, gz=name.endswith(".gz"))
    code, out = ingest(tmp_path / "kb.db", tmp_path / name)
    assert code == 0, out
    assert "4 new" in out and "1 skipped" in out
    assert "skipped 7 record(s) that are not HTML pages: 4 request, 1 image/png, 1 HTTP 404, 1 metadata" in out
    stored = {r["source"]: r for r in rows(tmp_path / "kb.db", "SELECT * FROM articles")}
    assert sorted(stored) == sorted(uri(p) for p in PAGES)
    for page, captured in zip(PAGES, dates):
        direct = parse_html(page.read_bytes(), uri(page), url=uri(page))   # the same page, parsed as a page
        row = stored[uri(page)]
        assert (row["text"], row["title"], row["kind"]) == (direct.text, direct.title, "page")
        assert row["published_at"] == (direct.published_at or captured.replace("Z", "+00:00"))
    assert ingest(tmp_path / "kb.db", tmp_path / name)[1].startswith("0 new, 0 changed, 4 unchanged") or \
        "4 unchanged" in ingest(tmp_path / "kb.db", tmp_path / name)[1]


def test_a_page_without_a_date_takes_the_capture_date(tmp_path: Path) -> None:
    page = tmp_path / "undated.html"
    page.write_text("<html><head><title>Ministry plans</title></head><body><article><h1>Ministry plans</h1>"
                    + "<p>The ministry said on Monday that it would publish the figures in a report, "
                      "officials told reporters in the capital.</p>" * 5 + "</article></body></html>")
    write_warc(tmp_path / "one.warc.gz", [page], extras=False)
    assert ingest(tmp_path / "kb.db", tmp_path / "one.warc.gz")[0] == 0
    (row,) = rows(tmp_path / "kb.db", "SELECT * FROM articles")
    assert row["published_at"] == "2021-03-01T10:00:00+00:00" and row["source"] == uri(page)


@pytest.mark.parametrize("gz", [True, False])
def test_a_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, gz: bool) -> None:
    need(CORPUS / "html" / "pages")
    whole = tmp_path / ("whole.warc" + (".gz" if gz else ""))
    write_warc(whole, PAGES, gz=gz, extras=False)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc" + (".gz" if gz else ""))
    # cut inside the last response record: after the third page's record, before the end
    third = data.index(PAGES[3].read_bytes()[:200]) if not gz else len(data) - 2000
    cut.write_bytes(data[:third + 1000])
    code, out = ingest(tmp_path / "kb.db", cut)
    assert code == 1
    assert "3 new" in out and "1 failed" in out
    (failure,) = rows(tmp_path / "kb.db", "SELECT * FROM failures WHERE stage != 'skip'")
    assert failure["source"] == uri(PAGES[3]) and "cut short" in failure["reason"]


@pytest.mark.parametrize("content, reason", [
    (b"", "not a WARC file: no records"),
    (b"hello, this is not an archive\n", "not a WARC file"),
    (gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: abc\r\n\r\n"), "ill-formed WARC record 1"),
    (random.Random(3).randbytes(3000), "ill-formed WARC"),
    (gzip.compress(random.Random(4).randbytes(3000)), "ill-formed WARC"),
])
def test_a_broken_warc_is_one_clear_failure(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(content)
    code, out = ingest(tmp_path / "kb.db", bad)
    assert code == 1 and reason in out
    assert [r["stage"] for r in rows(tmp_path / "kb.db", "SELECT * FROM failures")] == ["read"]


JSONL = [
    {"url": "https://wire.example/a", "title": "Plan approved", "published_at": "2020-05-01T08:00:00Z",
     "text": "The cabinet approved the plan on Friday, the minister said. It will take effect next month."},
    "not json",
    [1, 2],
    {"url": 5, "text": "a number for a URL"},
    {"title": "No address", "published_at": "2020-05-02", "text": "An article without a URL, read from a dataset."},
    {"url": "https://wire.example/empty", "title": "Empty", "text": "  "},
]


def write_jsonl(path: Path, lines: list) -> None:
    body = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n\n"
    path.write_bytes(gzip.compress(body.encode()) if path.name.endswith(".gz") else body.encode())


@pytest.mark.parametrize("name", ["news.jsonl", "news.jsonl.gz"])
def test_json_lines_of_articles(tmp_path: Path, name: str) -> None:
    write_jsonl(tmp_path / name, JSONL)
    code, out = ingest(tmp_path / "kb.db", tmp_path / name)
    assert code == 1 and "2 new" in out and "4 failed" in out
    stored = {r["source"]: r for r in rows(tmp_path / "kb.db", "SELECT * FROM articles")}
    a = stored["https://wire.example/a"]
    assert (a["title"], a["published_at"], a["url"], a["outlet"]) == \
        ("Plan approved", "2020-05-01T08:00:00+00:00", "https://wire.example/a", "wire.example")
    assert a["text"].startswith("The cabinet approved")
    assert stored[f"{tmp_path / name}#line-5"]["title"] == "No address"
    reasons = {r["source"]: r["reason"] for r in rows(tmp_path / "kb.db", "SELECT * FROM failures")}
    assert reasons[f"{tmp_path / name}#line-2"].startswith("line 2: invalid JSON")
    assert reasons[f"{tmp_path / name}#line-3"] == "line 3: a JSON list, not an object"
    assert reasons[f"{tmp_path / name}#line-4"] == "line 4: url is not a string"
    assert reasons["https://wire.example/empty"] == "line 6: no text"


def test_truncated_json_lines_gzip_keeps_the_lines_before(tmp_path: Path) -> None:
    lines = [{"url": f"https://wire.example/{i}", "title": f"Story {i}",
              "text": f"Story number {i} says the council met on day {i} " + "and talked at length. " * 40}
             for i in range(200)]
    write_jsonl(tmp_path / "all.jsonl.gz", lines)
    data = (tmp_path / "all.jsonl.gz").read_bytes()
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    items = list(iter_archive(tmp_path / "cut.jsonl.gz", "cut.jsonl.gz"))
    *articles, last = items
    assert articles and all(isinstance(a, Article) for a in articles) and len(articles) < 200
    assert [a.title for a in articles] == [f"Story {i}" for i in range(len(articles))]
    assert isinstance(last, Failure) and "breaks off after line" in last.reason


def test_archives_are_streamed_not_read_whole(tmp_path: Path) -> None:
    """Archives of 10-30 MB go through with at most 3 MB of memory (about one record's worth)."""
    need(CORPUS / "html" / "pages")
    big = tmp_path / "big.warc.gz"
    with open(big, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        head = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
        for i in range(300):
            w.write_record(w.create_warc_record(f"https://archive.example/{i}.jpg", "response",
                                                payload=io.BytesIO(os.urandom(100_000)), http_headers=head))
    write_warc(tmp_path / "tail.warc.gz", PAGES[:1], extras=False)
    with open(big, "ab") as out:
        out.write((tmp_path / "tail.warc.gz").read_bytes())   # gzip members concatenate
    lines = tmp_path / "big.jsonl"
    with open(lines, "w") as out:
        for i in range(500):
            out.write(json.dumps({"url": f"https://wire.example/{i}", "text": f"Story {i}. " + "Words. " * 3000}) + "\n")
    for path, want in ((big, 1), (lines, 500)):
        assert path.stat().st_size > 10_000_000
        tracemalloc.start()
        try:
            count = sum(isinstance(item, Article) for item in iter_archive(path, str(path)))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert count == want
        assert peak < 3_000_000, f"{path.name}: peak {peak} bytes"


def test_folders_hold_archives_too(tmp_path: Path) -> None:
    need(CORPUS / "html" / "pages")
    folder = tmp_path / "dump"
    folder.mkdir()
    write_warc(folder / "a.warc.gz", PAGES[:2], extras=False)
    write_jsonl(folder / "b.jsonl", JSONL[:1])
    os.mkfifo(folder / "c.warc")   # a named pipe must not block the run
    db = store.open_db(tmp_path / "kb.db")
    report = jobs.ingest(db, [str(folder)], extract_after=False)
    assert (report.new, report.failed, report.skipped) == (3, 0, 2)   # the pipe; the WARC's requests
    assert any("named pipe" in notice for notice in report.notices)


@pytest.mark.parametrize("gz", [True, False])
def test_garbled_warcs_never_raise_nor_chatter(tmp_path: Path, capsys, gz: bool) -> None:
    """Seeded mutations (bytes changed, cut, repeated, zeroed) of a real WARC: every one gives
    articles and Failures, no exception, and nothing written to stderr behind our back."""
    need(CORPUS / "html" / "pages")
    whole = tmp_path / "whole.warc"
    write_warc(whole, PAGES[:2], gz=gz)
    data = whole.read_bytes()
    rng = random.Random(16)
    for i in range(30):
        d = bytearray(data)
        at = rng.randrange(len(d))
        kind = i % 4
        if kind == 0:
            for _ in range(rng.randint(1, 20)):
                d[rng.randrange(len(d))] = rng.randrange(256)
        elif kind == 1:
            d = d[:at]
        elif kind == 2:
            d = d[:at] + d[at:at + rng.randint(1, 5000)] + d[at:]
        else:
            d[at:at + 3000] = bytes(len(d[at:at + 3000]))
        bad = tmp_path / f"bad{i}.warc"
        bad.write_bytes(bytes(d))
        items = list(iter_archive(bad, str(bad)))
        assert all(isinstance(item, (Article, Failure)) for item in items)
        assert all(item.reason and "\n" not in item.reason for item in items if isinstance(item, Failure))
    assert capsys.readouterr().err == ""
