"""Extraction on Dask (kb.dask_extract): the same results as a local run, resumable, bounded.

A dozen real articles (the seed and PolNeAR dev texts from ../shared/corpus) are stored
once; copies of that database are extracted here and on Dask, and every export is compared.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEED, need
from kb import dask_extract, export, jobs, store
from kb.cli import cli
from kb.nlp.budget import Budget

KINDS = ("claims", "mentions", "entities", "threads", "relations")
NOW = {"KB_NOW": "2026-12-01"}


def _texts(tmp: Path, n: int = 12) -> Path:
    folder = tmp / "texts"
    folder.mkdir()
    for p in [need(SEED)] + sorted(need(CORPUS / "claims/polnear/dev/text").glob("*.txt"))[: n - 1]:
        shutil.copy(p, folder / p.name)
    return folder


def _exports(path: Path) -> dict[str, str]:
    db = store.open_db(path)
    with mock.patch.dict(os.environ, NOW):
        out = {k: "\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in export.rows(db, k))
               for k in KINDS}
    db.close()
    return out


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    """A database with the dozen articles stored, not yet extracted."""
    tmp = tmp_path_factory.mktemp("dask")
    base = tmp / "base.db"
    db = store.open_db(base)
    report = jobs.ingest(db, [str(_texts(tmp))], extract_after=False)
    assert report.new == 12 and not report.failed
    db.close()
    return base


def _copy(stored: Path, tmp: Path, name: str) -> Path:
    target = tmp / name
    shutil.copy(stored, target)
    return target


@pytest.fixture(scope="module")
def local(stored, tmp_path_factory) -> dict[str, str]:
    """The exports of a local (one process) extraction."""
    path = _copy(stored, tmp_path_factory.mktemp("local"), "local.db")
    with mock.patch.dict(os.environ, NOW):
        report = jobs.extract(store.open_db(path))
    assert report.extracted == 12 and not report.failed
    return {**_exports(path), "report": f"extracted 12 article(s), {report.claims} claim(s), 0 failed"}


def test_workers_2_gives_the_exports_of_a_local_run(stored, local, tmp_path):
    path = _copy(stored, tmp_path, "dask.db")
    env = {**os.environ, **NOW}
    done = subprocess.run([sys.executable, "-m", "kb.cli", "extract", "--workers", "2", "--db", str(path)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == local["report"]
    assert "Traceback" not in done.stderr
    got = _exports(path)
    assert local["claims"] and local["mentions"] and local["threads"]
    for kind in KINDS:
        assert got[kind] == local[kind], kind


KILL_AT_SAVE = """
import os, signal, sys
from kb import jobs, store
real, calls = store.save_analysis, [0]
def save(*args, **kw):
    calls[0] += 1
    if calls[0] == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)    # killed in the middle of a batch's transaction
    return real(*args, **kw)
store.save_analysis = save
jobs.extract(store.open_db(sys.argv[1]))
"""


def _wholeness(path: Path) -> tuple[int, int]:
    """(articles saved, articles not saved); fails on an article saved in part."""
    db = store.open_db(path)
    saved = unsaved = 0
    for art in db.query("SELECT id, extracted_at FROM articles"):
        rows = sum(db.execute(f"SELECT count(*) FROM {t} WHERE article_id = ?", [art["id"]]).fetchone()[0]
                   for t in ("mentions", "claims", "reports", "relations"))
        if art["extracted_at"]:
            assert rows, f"article {art['id']} marked extracted without its analysis"
            saved += 1
        else:
            assert not rows, f"article {art['id']} saved in part"
            unsaved += 1
    db.close()
    return saved, unsaved


def test_a_run_killed_inside_a_batch_transaction_resumes_whole(stored, local, tmp_path):
    """Articles are saved a batch per transaction: a kill loses the batch being saved, never
    part of an article, and the next run does those again."""
    path = _copy(stored, tmp_path, "killed.db")
    db = store.open_db(path)
    texts = [(a["id"], store.text_to_extract(db, a["id"])[0]) for a in store.articles_to_extract(db)]
    db.close()
    first = len(next(dask_extract.batches(texts, 16)))
    assert first < 11                   # a second batch to be killed in
    env = {**os.environ, **NOW}
    done = subprocess.run([sys.executable, "-c", KILL_AT_SAVE, str(path), str(first + 2)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == -9, done.stderr
    assert _wholeness(path) == (first, 12 - first)       # the first batch committed, the second not
    with mock.patch.dict(os.environ, NOW):
        again = jobs.extract(store.open_db(path))
    assert again.extracted == 12 - first and not again.failed
    assert _exports(path) == {k: local[k] for k in KINDS}


def test_an_article_the_database_refuses_costs_that_article_only(stored, tmp_path, monkeypatch):
    """In a batch's transaction each article has a savepoint: one refused rolls back alone."""
    path = _copy(stored, tmp_path, "refused.db")
    db = store.open_db(path)
    victim = store.articles_to_extract(db)[2]
    real = store.resolve_failures

    def refuse(db, source, extract=False):      # the last write of save_analysis: all else is written
        if extract and source == victim["source"]:
            raise sqlite3.IntegrityError("refused (test)")
        return real(db, source, extract=extract)

    monkeypatch.setattr(store, "resolve_failures", refuse)
    with mock.patch.dict(os.environ, NOW):
        report = jobs.extract(db)
    assert (report.extracted, report.failed) == (11, 1)
    assert f"article {victim['id']} not saved: IntegrityError: refused (test)" in report.messages[0]
    db.close()
    assert _wholeness(path) == (11, 1)
    row = store.open_db(path).execute("SELECT extracted_at FROM articles WHERE id = ?", [victim["id"]]).fetchone()
    assert row[0] is None


@pytest.fixture(scope="module")
def cluster():
    """One running cluster for the tests below (reached by its address, like --scheduler)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as c:
        yield c.scheduler_address


def test_a_run_stopped_midway_goes_on_where_it_stopped(stored, local, cluster, tmp_path):
    path = _copy(stored, tmp_path, "resume.db")
    real, saved = store.save_analysis, []

    def save_five(db, article_id, result, **kw):
        if len(saved) == 5:
            raise store.Locked("database is locked by another run (test)")
        saved.append(article_id)
        return real(db, article_id, result, **kw)

    with mock.patch.dict(os.environ, NOW):
        with mock.patch.object(store, "save_analysis", save_five):
            first = jobs.extract(store.open_db(path), scheduler=cluster)
        assert first.extracted == 5 and first.failed == 1
        assert saved == sorted(saved)                       # written in article order
        second = jobs.extract(store.open_db(path), scheduler=cluster)
    assert second.extracted == 7 and not second.failed      # the five saved are not done again
    assert _exports(path) == {k: local[k] for k in KINDS}


def test_over_budget_and_failed_articles_are_recorded_as_locally(stored, cluster, tmp_path):
    small = Budget(seconds=60, max_chars=4000)
    here, there = _copy(stored, tmp_path, "here.db"), _copy(stored, tmp_path, "there.db")
    a = jobs.extract(store.open_db(here), budget=small)
    b = jobs.extract(store.open_db(there), budget=small, scheduler=cluster)
    assert a.failed and (a.extracted, a.failed, a.messages) == (b.extracted, b.failed, b.messages)
    assert all("over the size budget" in m for m in b.messages)
    rows = list(store.open_db(there).query("SELECT stage, reason FROM failures WHERE resolved_at IS NULL"))
    assert len(rows) == b.failed and {r["stage"] for r in rows} == {"extract"}
    assert store.articles_to_extract(store.open_db(there)) == []   # skipped by later runs, as locally


def test_ingest_folder_on_dask(cluster, tmp_path):
    folder = _texts(tmp_path, 4)
    for name, extra in (("one.db", []), ("dask.db", ["--scheduler", cluster])):
        result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / name), *extra])
        assert result.exit_code == 0, result.output
        assert "4 new" in result.output and "extracted 4 article(s)" in result.output
    one, dask = store.open_db(tmp_path / "one.db"), store.open_db(tmp_path / "dask.db")
    for kind in ("claims", "mentions"):
        assert [r for r in export.rows(one, kind)] == [r for r in export.rows(dask, kind)]


def test_no_cluster_is_one_line_and_changes_nothing(stored, tmp_path, monkeypatch):
    path = _copy(stored, tmp_path, "none.db")
    monkeypatch.setattr(dask_extract, "CONNECT_SECONDS", 2)
    result = CliRunner().invoke(cli, ["extract", "--scheduler", "tcp://127.0.0.1:9", "--db", str(path)])
    assert result.exit_code == 1
    assert "cannot start or reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output
    assert len(store.articles_to_extract(store.open_db(path))) == 12
    both = CliRunner().invoke(cli, ["extract", "--workers", "2", "--scheduler", "tcp://x:1", "--db", str(path)])
    assert both.exit_code == 1 and "not both" in both.output


def test_batches_are_cut_where_the_local_stream_cuts_them():
    from kb.nlp.budget import GROUP_CHARS

    items = [(i, "x" * 100) for i in range(40)] + [(40, "y" * GROUP_CHARS), (41, "z")]
    sizes = [len(b) for b in dask_extract.batches(items, 16)]
    assert sizes == [16, 16, 8 + 1, 1]
    assert [k for b in dask_extract.batches(items, 16) for k, _ in b] == list(range(42))


def test_watchdog_stops_a_text_that_never_finishes_in_a_worker_thread(monkeypatch):
    """In a worker thread SIGALRM cannot interrupt; the watchdog does, and only that text fails."""
    import spacy

    nlp = spacy.blank("en")

    @spacy.Language.component("test_hang")
    def hang(doc):
        while "hang" in doc.text:
            time.sleep(0.01)
        return doc

    nlp.add_pipe("test_hang")
    monkeypatch.setattr("kb.nlp.load_nlp", lambda model=None: nlp)
    monkeypatch.setattr("kb.nlp.doc_to_dict", lambda doc, reports=False: {"text": doc.text, "entities": []})
    monkeypatch.setattr(dask_extract, "GRACE_SECONDS", 0.5)
    out, errors = [], []

    def work() -> None:
        try:
            out.extend(dask_extract.analyze_batch([("a", "fine"), ("b", "hang on"), ("c", "also fine")],
                                                  Budget(seconds=0.3, max_chars=0), 16))
            t = time.monotonic()
            while time.monotonic() - t < 1.5:   # no stray exception lands once it returned
                sum(range(100))
        except BaseException as exc:
            errors.append(exc)

    t0 = time.monotonic()
    worker = threading.Thread(target=work)
    worker.start()
    worker.join(30)
    assert not worker.is_alive() and not errors
    assert time.monotonic() - t0 < 10
    assert out[0] == ("a", {"entities": []}, None) and out[2] == ("c", {"entities": []}, None)
    assert out[1][0] == "b" and out[1][1] is None and "over the time budget" in out[1][2]


@pytest.mark.filterwarnings("ignore:Port .* is already in use")
def test_a_scheduler_with_no_worker_is_one_line(stored, tmp_path, monkeypatch):
    from distributed import LocalCluster

    path = _copy(stored, tmp_path, "empty.db")
    monkeypatch.setattr(dask_extract, "CONNECT_SECONDS", 2)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=50) as empty:
        result = CliRunner().invoke(cli, ["extract", "--scheduler", empty.scheduler_address, "--db", str(path)])
    assert result.exit_code == 1
    assert f"no Dask worker joined the Dask scheduler at {empty.scheduler_address} within 2 s" in result.output
    assert len(store.articles_to_extract(store.open_db(path))) == 12


class _Future:
    def __init__(self, outcome):
        self.outcome = outcome

    def result(self):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def release(self):
        pass

    def done(self):
        return True


class _Client:
    """Answers each submitted batch from a table: its outcomes, or the error its task raised."""
    status = "running"

    def __init__(self, answers):
        self.answers, self.batches = answers, []

    def submit(self, fn, batch, *args, **kw):
        keys = tuple(k for k, _ in batch)
        self.batches.append(keys)
        return _Future(self.answers[keys])

    def scheduler_info(self):
        return {"workers": {"w1": {"nthreads": 1}}}


def test_a_batch_whose_workers_died_is_tried_text_by_text():
    from distributed import KilledWorker

    died = KilledWorker("task", SimpleNamespace(address="tcp://w1"), 3)
    client = _Client({("a", "b", "c"): died, ("a",): [("a", {"claims": []}, None)], ("b",): died,
                      ("c",): [("c", {"claims": [1]}, None)], ("d",): [("d", None, "text over the size budget")]})
    out = list(dask_extract.analyses([("a", "x"), ("b", "y"), ("c", "z"), ("d", "w" * 40_000)], client,
                                     budget=Budget(), batch_size=3))
    assert [k for k, _ in out] == ["a", "b", "c", "d"]
    assert out[0][1] == {"claims": []} and out[2][1] == {"claims": [1]}
    assert "Dask workers analysing it died" in str(out[1][1]) and "size budget" in str(out[3][1])
    assert client.batches == [("a", "b", "c"), ("d",), ("a",), ("b",), ("c",)]   # at most 2 batches out


def test_a_lost_cluster_stops_the_run_with_one_line():
    from concurrent.futures import CancelledError

    client = _Client({("a",): CancelledError("a")})
    with pytest.raises(dask_extract.ClusterError, match="lost the Dask cluster"):
        list(dask_extract.analyses([("a", "x")], client, budget=Budget(), batch_size=1))


def test_a_slow_batch_holds_up_the_writing_of_later_ones_not_the_workers(monkeypatch):
    """Batches are written in order, but the cluster always has `window` batches to work on."""
    class Future:
        def __init__(self, keys):
            self.keys, self.finished = keys, False

        def done(self):
            return self.finished

        def result(self):
            return [(k, {"claims": []}, None) for k in self.keys]

        def release(self):
            pass

    class Client:
        status = "running"

        def __init__(self):
            self.futures = []

        def submit(self, fn, batch, *args, **kw):
            self.futures.append(Future(tuple(k for k, _ in batch)))
            return self.futures[-1]

    finished = []

    def wait_first(futures):            # batch "a" is the slow one: the others finish before it
        f = next((f for f in futures if f.keys != ("a",)), futures[0])
        f.finished = True
        finished.append(f.keys[0])

    monkeypatch.setattr(dask_extract, "_wait_first", wait_first)
    client, out, outstanding = Client(), [], []
    for group in dask_extract.analysis_batches([(k, "x") for k in "abcdefgh"], client, budget=Budget(),
                                               batch_size=1, window=2, buffered=4):
        outstanding.append(len(client.futures) - len(out))
        out += [k for k, _ in group]
    assert out == list("abcdefgh")
    assert finished[:4] == ["b", "c", "d", "a"]     # while "a" ran, the workers went on with b, c, d
    assert max(outstanding) == 4 + 1                # at most `buffered` waiting, and the one being saved
