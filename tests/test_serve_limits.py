"""What serving may cost (issue 12, item 10): arbitrary SQL only on localhost unless
--allow-sql, a cap on the size of one SQL value, a time limit per query, and a clean 404
for every unknown or oversized id under /-/kb/. Datasette runs in-process (or with --get),
never on a public address."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

from ingest.article import Article
from kb import serving, store
from kb.cli import cli
from kb.datasette_plugin import _int_id
from kb.serving import datasette_command, datasette_config, is_local

from test_datasette import build_sample_db

BIG = "99999999999999999999999"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_sample_db(tmp_path_factory.mktemp("limits") / "news.db")
    db = store.open_db(path)
    store.store_article(db, Article(source="long.txt", title="Long", text="Officials said so. " * 100_000))
    db.conn.close()
    return path


async def served(db_path: Path, host: str = "127.0.0.1", allow_sql: bool = False) -> Datasette:
    meta, settings = datasette_config(db_path, host, allow_sql)
    ds = Datasette([str(db_path)], metadata=meta, settings=settings)
    await ds.invoke_startup()
    return ds


# --- arbitrary SQL only on localhost --------------------------------------------------------

@pytest.mark.parametrize("host, local", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
                                         ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                         ("192.168.1.20", False), ("newsroom.example.org", False)])
def test_is_local(host: str, local: bool) -> None:
    assert is_local(host) is local


@pytest.mark.parametrize("host, allow_sql, status", [("0.0.0.0", False, 403), ("192.168.1.20", False, 403),
                                                     ("0.0.0.0", True, 200), ("127.0.0.1", False, 200),
                                                     ("localhost", False, 200), ("::1", False, 200)])
async def test_sql_is_off_beyond_localhost_unless_allowed(db_path: Path, host: str, allow_sql: bool,
                                                          status: int) -> None:
    ds = await served(db_path, host, allow_sql)
    assert (await ds.client.get("/news.json?sql=select+count(*)+from+articles")).status_code == status
    assert (await ds.client.get("/news?sql=select+1")).status_code == status
    # what a journalist browses still works: tables, facets, search, canned queries, plugin pages
    assert (await ds.client.get("/news/articles.json?_facet=language")).status_code == 200
    assert (await ds.client.get("/news/articles.json?_search=Line")).status_code == 200
    assert (await ds.client.get("/news/denials.json")).status_code == 200
    assert (await ds.client.get("/-/kb/entity/news?name=Naver")).status_code == 302


def test_datasette_command_line_turns_sql_off(db_path: Path, tmp_path: Path) -> None:
    """The settings reach the real `datasette serve` (run with --get: nothing is bound)."""
    def get(host: str, allow_sql: bool, path: str) -> subprocess.CompletedProcess:
        meta, settings = datasette_config(db_path, host, allow_sql)
        meta_file = tmp_path / "metadata.json"
        meta_file.write_text(json.dumps(meta), encoding="utf-8")
        cmd = datasette_command(db_path, meta_file, host, 8001, settings) + ["--get", path]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    denied = get("0.0.0.0", False, "/news.json?sql=select+1")
    assert denied.returncode == 1 and "<title>Forbidden</title>" in denied.stdout, denied.stderr[-300:]
    allowed = get("0.0.0.0", True, "/-/settings.json")
    settings = json.loads(allowed.stdout)
    assert settings["sql_time_limit_ms"] == 3000 and settings["max_returned_rows"] == 1000
    assert settings["default_allow_sql"] is True


def test_cli_serve_has_allow_sql(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serving, "serve", lambda db, **kw: calls.append(kw) or 0)
    for extra in ([], ["--allow-sql"]):
        result = CliRunner().invoke(cli, ["serve", "--db", str(db_path), "--host", "0.0.0.0", *extra])
        assert result.exit_code == 0, result.output
    assert [c["allow_sql"] for c in calls] == [False, True] and calls[0]["host"] == "0.0.0.0"


# --- what one request may cost --------------------------------------------------------------

@pytest.mark.parametrize("sql", ["select randomblob(300000000)", "select hex(zeroblob(200000000))",
                                 "select replace(hex(zeroblob(10000000)), '0', '00000000')"])
async def test_huge_value_fails_fast_with_a_clear_error(db_path: Path, sql: str) -> None:
    ds = await served(db_path)
    start = time.monotonic()
    response = await ds.client.get("/news.json", params={"sql": sql})
    elapsed = time.monotonic() - start
    assert response.status_code == 400 and "too big" in response.json()["error"]
    assert elapsed < 2, elapsed                 # was ~11 s and 2.6 GB for randomblob(300000000)


async def test_slow_query_is_stopped(db_path: Path) -> None:
    ds = await served(db_path)
    sql = ("with recursive n(i) as (select 1 union all select i + 1 from n) "
           "select count(*) from n")
    start = time.monotonic()
    response = await ds.client.get("/news.json", params={"sql": sql})
    assert response.status_code == 400 and "too long" in response.json()["error"]
    assert time.monotonic() - start < 8


async def test_stored_values_are_read_whole(db_path: Path) -> None:
    """The cap is far above what kb stores: a 1.9 MB article still reads in full."""
    ds = await served(db_path)
    rows = (await ds.client.get("/news/articles.json?_shape=array&source=long.txt")).json()
    assert len(rows[0]["text"]) == len("Officials said so. " * 100_000)


# --- unknown or oversized ids: 404, never 500 --------------------------------------------

def test_int_id() -> None:
    assert _int_id("12") == 12 and _int_id("9" * 18) == 10 ** 18 - 1
    for raw in ("", "-1", "1.5", "1e5", "9" * 19, BIG, "²", "١٢", " 1", "0x10"):
        assert _int_id(raw) is None, raw


@pytest.mark.parametrize("path", [
    f"/-/kb/entity/news/{BIG}", f"/-/kb/entity/news/{BIG}.json", f"/-/kb/thread/news/{BIG}",
    f"/-/kb/thread/news/{BIG}.json", "/-/kb/entity/news/%C2%B2", "/-/kb/thread/news/%D9%A1%D9%A2.json",
    "/-/kb/entity/news/99999", "/-/kb/thread/news/0", f"/-/kb/entity/nosuchdb/{BIG}",
    "/-/kb/thread/nosuchdb/1.json", "/-/kb/entity/news?name=" + "x" * 3000, "/-/kb/nothing/" + BIG,
    "/-/kb/static/" + "a" * 300, "/-/kb/static/" + "a/" * 3000 + "x.css", "/-/kb/static/%00",
])
async def test_plugin_routes_answer_404(db_path: Path, path: str) -> None:
    ds = await served(db_path)
    response = await ds.client.get(path)
    assert response.status_code == 404, (path[:80], response.status_code, response.text[:200])
    if path.endswith(".json"):
        assert response.json()["ok"] is False
