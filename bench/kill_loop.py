"""kill -9 at random moments: nothing lost, nothing duplicated.

Ingests a folder of texts into a clean database once (the reference), then for each trial:
starts `kb ingest FOLDER` into a fresh database, kills it with SIGKILL at a random moment
of a run (storing or extracting), runs the same command again to completion, and compares
the database with the reference: the articles (by source and text), the claims (by article
source and offsets), the mentions, the failures, and SQLite's integrity check.

    .venv/bin/python bench/kill_loop.py [--trials 20] [--n 40] [--seed 1] [--folder DIR] [--pythonpath DIR]

By default the folder is made of the first N PolNeAR dev articles of ../shared/corpus.
`--pythonpath DIR` runs the kb found there (a frozen copy of kb/, ingest/ and schema/), so
that edits made to the checkout while the loop runs do not change the results midway.
Nothing touches the network. Prints one line per trial and `BENCH {...}` last.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "claims" / "polnear" / "dev" / "text"
KB = str(Path(sys.executable).with_name("kb"))


def make_folder(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    paths = sorted(CORPUS.glob("*.txt"))[:n]
    if not paths:
        raise SystemExit(f"no texts under {CORPUS}")
    for p in paths:
        shutil.copy(p, folder / p.name)


PYTHONPATH: str | None = None


def run_ingest(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "KB_DB": ""}
    if PYTHONPATH:
        env["PYTHONPATH"] = PYTHONPATH
    return subprocess.Popen([KB, "ingest", str(folder), "--db", str(db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=PYTHONPATH or None)


def snapshot(db: Path) -> dict:
    """What must survive: articles, claims and mentions as multisets of stable keys."""
    with sqlite3.connect(db) as conn:
        articles = collections.Counter(conn.execute("SELECT source, content_hash FROM articles").fetchall())
        claims = collections.Counter(conn.execute(
            "SELECT a.source, c.content_start, c.content_end, c.cue_start, c.kind FROM claims c "
            "JOIN articles a ON a.id = c.article_id").fetchall())
        mentions = collections.Counter(conn.execute(
            "SELECT a.source, m.start, m.[end] FROM mentions m JOIN articles a ON a.id = m.article_id").fetchall())
        return {"articles": articles, "claims": claims, "mentions": mentions,
                "failures": conn.execute("SELECT count(*) FROM failures").fetchone()[0],
                "unextracted": conn.execute("SELECT count(*) FROM articles WHERE extracted_at IS NULL "
                                            "AND duplicate_of IS NULL").fetchone()[0],
                "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0]}


def compare(want: dict, got: dict) -> dict:
    """Lost and duplicated rows of each kind (multiset differences), and other problems."""
    out = {}
    for kind in ("articles", "claims", "mentions"):
        out[f"{kind}_lost"] = sum((want[kind] - got[kind]).values())
        out[f"{kind}_extra"] = sum((got[kind] - want[kind]).values())
    out["failures"] = got["failures"]
    out["unextracted"] = got["unextracted"]
    out["integrity_ok"] = got["integrity"] == "ok"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--n", type=int, default=40, help="texts in the generated folder")
    ap.add_argument("--folder", default=None, help="ingest this folder instead of a generated one")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pythonpath", default=None, help="import kb from this folder instead")
    args = ap.parse_args()
    global PYTHONPATH
    PYTHONPATH = args.pythonpath
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="kb-kill-"))
    try:
        folder = Path(args.folder) if args.folder else tmp / "texts"
        if not args.folder:
            make_folder(folder, args.n)
        t0 = time.perf_counter()
        clean = run_ingest(folder, tmp / "clean.db")
        out, err = clean.communicate()
        duration = time.perf_counter() - t0
        if clean.returncode:
            raise SystemExit(f"the clean run failed: {err.strip()[-500:]}")
        want = snapshot(tmp / "clean.db")
        print(f"clean run: {duration:.1f} s; {sum(want['articles'].values())} articles, "
              f"{sum(want['claims'].values())} claims, {sum(want['mentions'].values())} mentions")
        totals = collections.Counter()
        bad_trials = kills = 0
        for trial in range(1, args.trials + 1):
            db = tmp / f"trial{trial}.db"
            for _ in range(5):                      # a run that ends before its moment: another moment
                for part in ("", "-wal", "-shm"):
                    Path(f"{db}{part}").unlink(missing_ok=True)
                at = rng.uniform(0.2, duration * 0.9)
                started = time.perf_counter()
                proc = run_ingest(folder, db)
                try:
                    proc.wait(timeout=at)
                    killed = False                  # finished before the moment came
                    duration = min(duration, time.perf_counter() - started)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)   # the child this script started
                    proc.wait()
                    killed = True
                proc.communicate()
                if killed:
                    break
            try:
                before = snapshot(db) if db.exists() else None
            except sqlite3.Error:                   # killed while the database was being created
                before = None
            kills += killed
            again = run_ingest(folder, db)
            a_out, a_err = again.communicate()
            got = snapshot(db)
            result = compare(want, got)
            ok = (again.returncode == 0 and "Traceback" not in a_err and result["integrity_ok"]
                  and not any(result[k] for k in result if k.endswith(("_lost", "_extra")))
                  and result["failures"] == 0 and result["unextracted"] == 0)
            bad_trials += not ok
            totals.update({k: v for k, v in result.items() if isinstance(v, int) and not isinstance(v, bool)})
            stored = sum(before["articles"].values()) if before else 0
            print(f"trial {trial:2d}: {'killed' if killed else 'finished'} at {at:5.1f} s with {stored} articles "
                  f"stored; re-run exit {again.returncode}; " + ", ".join(f"{k} {v}" for k, v in result.items())
                  + ("" if ok else "  <-- PROBLEM " + a_err.strip()[-300:]))
        summary = {"trials": args.trials, "killed": kills, "bad_trials": bad_trials,
                   "articles_lost": totals["articles_lost"], "articles_duplicated": totals["articles_extra"],
                   "claims_lost": totals["claims_lost"], "claims_duplicated": totals["claims_extra"],
                   "mentions_lost": totals["mentions_lost"], "mentions_duplicated": totals["mentions_extra"]}
        print("BENCH " + json.dumps(summary))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
