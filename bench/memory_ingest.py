"""Memory peak of `kb ingest` of 1,000 articles: the child process's maximum resident set size.

Builds a folder of N plain-text articles from ../shared/corpus (PolNeAR, newspaper4k, tracking
stories; when the corpus holds fewer, variants of them with a numbered first line), then runs
`kb ingest FOLDER --db TMP.db` (with extraction) as a child process and reads its peak RSS
from getrusage(RUSAGE_CHILDREN). Nothing touches the network; everything is written under a
temporary folder that is removed afterwards (--keep to keep it).

    .venv/bin/python bench/memory_ingest.py [--n 1000] [--pythonpath DIR]

`--pythonpath` runs another checkout of kb (e.g. a copy of the code before a change) for a
before/after comparison. Prints a line `BENCH {"max_rss_mb": ...}` last.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_texts() -> list[str]:
    """Every non-empty .txt article of the shared corpus, in a stable order."""
    out = []
    for path in sorted(CORPUS.rglob("*.txt")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if len(text) > 200:
                out.append(text)
    return out


def make_folder(folder: Path, n: int) -> int:
    """Write n distinct articles into folder; returns the number of characters written."""
    texts = corpus_texts()
    if not texts:
        raise SystemExit(f"no texts under {CORPUS}")
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        text = texts[i % len(texts)]
        if i >= len(texts):      # a variant: another first line, so it is not a duplicate
            text = f"Bulletin {i}: {text}"
        (folder / f"{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
        chars += len(text)
    return chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="articles to ingest")
    ap.add_argument("--pythonpath", default=None, help="import kb from this folder instead")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kb-memory-"))
    try:
        chars = make_folder(tmp / "texts", args.n)
        env = dict(os.environ)
        env.pop("KB_DB", None)
        if args.pythonpath:
            env["PYTHONPATH"] = args.pythonpath
        cmd = [sys.executable, "-m", "kb.cli", "ingest", str(tmp / "texts"), "--db", str(tmp / "kb.db")]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=args.pythonpath or str(ROOT), capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # kilobytes on Linux
        print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "(no output)")
        if proc.returncode:
            print(f"exit status {proc.returncode}: {proc.stderr.strip()[-400:]}")
        with sqlite3.connect(tmp / "kb.db") as conn:
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("articles", "claims", "mentions", "failures")}
        print(f"{args.n} articles, {chars} characters, {elapsed:.0f} s, max RSS {rss_mb:.0f} MB, {counts}")
        print("BENCH " + json.dumps({"max_rss_mb": round(rss_mb), "articles": args.n, "seconds": round(elapsed),
                                     **counts}))
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
