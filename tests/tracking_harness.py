"""Run kb's tracking on a story told by several outlets and score it with the shared scorer.

A case is a folder with ``articles/NN.txt`` and ``gold.json`` (the format of
``../shared/corpus/tracking``; ``tests/data/tracking`` holds stories written for the tests).
The articles are ingested one at a time in date order with the clock (``$KB_NOW``) at the
day after each, as ``../shared/eval/eval_tracking.py`` does, but in this process (the model
loads once); the exports after each article are scored by that scorer's own functions.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from conftest import SEED
from kb import export, jobs, store

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def scorer():
    """The shared scorer module (eval_tracking), or None when ../shared/eval is absent."""
    if not (EVAL / "eval_tracking.py").exists():
        return None
    if str(EVAL) not in sys.path:
        sys.path.insert(0, str(EVAL))
    import eval_tracking

    return eval_tracking


def prepare(case: Path, tmp: Path) -> Path:
    """A copy of the case with its articles in place (the seed copied from ../shared, never stored)."""
    dst = tmp / case.name
    shutil.copytree(case, dst)
    gold = json.loads((case / "gold.json").read_text(encoding="utf-8"))
    for a in gold["articles"]:
        if a.get("copy_from"):
            src = ROOT / a["copy_from"]
            if not src.exists() and src.name == SEED.name:
                src = SEED                      # ../shared absent: the copy in kb/data/demo
            shutil.copy(src, dst / "articles" / a["file"])
    return dst


def run(case: Path, db_path: Path) -> tuple[dict, list[dict], dict, list[dict]]:
    """Ingest the case in date order; -> (gold, articles in order, {file: (claims, threads)}, articles export)."""
    gold = json.loads((case / "gold.json").read_text(encoding="utf-8"))
    arts = sorted(gold["articles"], key=lambda a: (str(a.get("date")), a["file"]))
    db = store.open_db(db_path)
    snaps = {}
    old = os.environ.get("KB_NOW")
    try:
        for a in arts:
            os.environ["KB_NOW"] = (date.fromisoformat(a["date"]) + timedelta(days=1)).isoformat()
            jobs.ingest(db, [str(case / "articles" / a["file"])])
            threads = {str(t["id"]): t for t in export.rows(db, "threads")}
            snaps[a["file"]] = (list(export.rows(db, "claims")), threads)
        articles = list(export.rows(db, "articles"))
    finally:
        if old is None:
            os.environ.pop("KB_NOW", None)
        else:
            os.environ["KB_NOW"] = old
    return gold, arts, snaps, articles


def unknown_outlets(gold: dict) -> dict:
    """The gold with independent sources counted as kb can count them from bare text files,
    which name no outlet: one source per article, a reprint with its original."""
    root = {a["file"]: a.get("reprint_of") or a["file"] for a in gold["articles"]}
    out = json.loads(json.dumps(gold))
    for t in out["threads"]:
        t["independent_sources"] = len({root[m["file"]] for m in t.get("members", [])})
    return out


def score(case: Path, db_path: Path, outlets_known: bool = True) -> tuple[dict, list[str]]:
    """(metrics, report lines) of one case."""
    et = scorer()
    gold, arts, snaps, articles = run(case, db_path)
    if not outlets_known:
        gold = unknown_outlets(gold)
    metrics, lines, _ = et.score_case(gold, arts, snaps, articles, True)
    return metrics, lines
