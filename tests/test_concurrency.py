"""Two `kb ingest` runs on one database at once, and a reader: writers wait their turn.

Before: the second writer died with `sqlite3.OperationalError: database is locked` and a
traceback, and most of its articles and claims were missing with nothing in `failures`.
"""
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import jobs, store
from kb.cli import cli

KB = str(Path(sys.executable).with_name("kb"))
TABLES = ("articles", "claims", "mentions", "relations", "failures")

READER = textwrap.dedent("""
    import json, os, sqlite3, sys, time
    db, stop = sys.argv[1], sys.argv[2]
    reads = errors = 0
    while not os.path.exists(stop):
        try:
            if os.path.exists(db):
                conn = sqlite3.connect(db, timeout=60)
                for t in ("articles", "claims", "mentions"):
                    conn.execute(f"SELECT count(*) FROM {t}").fetchone()
                conn.close()
                reads += 1
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):      # the database is being created
                errors += 1
                print(exc, file=sys.stderr)
        time.sleep(0.05)
    print(json.dumps({"reads": reads, "errors": errors}))
""")


def texts_folder(corpus: Path, folder: Path, n: int = 20) -> Path:
    """n real articles (PolNeAR dev), each cut to its first paragraphs (about 1,200 characters)."""
    folder.mkdir()
    for path in sorted((corpus / "claims" / "polnear" / "dev" / "text").glob("*.txt"))[:n]:
        text, out = path.read_text(encoding="utf-8"), ""
        for para in text.split("\n\n"):
            out += para + "\n\n"
            if len(out) > 1200:
                break
        (folder / path.name).write_text(out, encoding="utf-8")
    return folder


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_two_ingests_and_a_reader_end_as_one_clean_run(tmp_path, corpus):
    folder = texts_folder(corpus, tmp_path / "texts")
    clean = tmp_path / "clean.db"
    report = jobs.ingest(store.open_db(clean), [str(folder)])
    assert report.failed == 0 and report.extracted == 20
    want = counts(clean)
    assert want["claims"] > 50 and want["failures"] == 0

    db, stop = tmp_path / "both.db", tmp_path / "stop"
    env = {**os.environ, "KB_DB": ""}
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    writers = [subprocess.Popen([KB, "ingest", str(folder), "--db", str(db)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [w.communicate(timeout=300) for w in writers]
    stop.touch()
    read_out, read_err = reader.communicate(timeout=60)
    for w, (out, err) in zip(writers, outs):
        assert w.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err + out
    reads = json.loads(read_out)
    assert reads["errors"] == 0 and reads["reads"] > 0, read_err
    assert counts(db) == want
    with sqlite3.connect(db) as conn:   # every article extracted once, nothing twice
        assert conn.execute("SELECT count(*) FROM articles WHERE extracted_at IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM (SELECT article_id, content_start, content_end, count(*) n "
                            "FROM claims GROUP BY 1, 2, 3 HAVING n > 1)").fetchone()[0] == 0


def test_a_writer_that_cannot_get_its_turn_says_so_in_one_line(tmp_path, monkeypatch, corpus):
    folder = texts_folder(corpus, tmp_path / "texts", n=5)
    db = tmp_path / "kb.db"
    store.open_db(db).conn.close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")                       # another run writing, for a long time
    monkeypatch.setenv("KB_BUSY_TIMEOUT", "0.2")
    try:
        result = CliRunner().invoke(cli, ["ingest", "--no-extract", "--db", str(db), str(folder)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and not isinstance(result.exception, sqlite3.Error), result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "locked by another kb run" in errors[0]
    assert "Traceback" not in result.output
    assert counts(db)["articles"] == 0                       # nothing half done
    again = CliRunner().invoke(cli, ["ingest", "--no-extract", "--db", str(db), str(folder)])
    assert again.exit_code == 0, again.output
    assert counts(db)["articles"] == 5 and counts(db)["failures"] == 0


def test_write_waits_for_another_writer_and_rolls_back_on_error(tmp_path):
    db = store.open_db(tmp_path / "kb.db")
    with pytest.raises(ZeroDivisionError):
        with store.write(db):
            db.execute("INSERT INTO failures (source, stage, reason, occurred_at) VALUES ('x', 'read', 'r', 'now')")
            1 / 0
    assert db["failures"].count == 0 and not db.conn.in_transaction
    with store.write(db):
        with store.write(db):                               # nested: a savepoint of the outer one
            db.execute("INSERT INTO failures (source, stage, reason, occurred_at) VALUES ('x', 'read', 'r', 'now')")
    assert db["failures"].count == 1
