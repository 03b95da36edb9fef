"""Fuzz ingest with thousands of hostile inputs, extraction included (issue 12).

The same inputs and properties as tests/test_fuzz.py (see tests/fuzz_harness.py), drawn
from a seeded random generator instead of hypothesis, so that a run counts failures
instead of stopping at the first: mutated corpus feeds and pages, odd JSON Feeds, random
bytes as text, and folders of odd file names and contents ingested into an in-memory
database and (unless --no-extract) extracted. Prints the inputs, the tracebacks (must
be 0) and the files neither stored nor recorded (must be 0); exit status 1 otherwise.

    .venv/bin/python bench/fuzz_inputs.py [--cases 4000] [--folders 150] [--seed 12]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import fuzz_harness as fz  # noqa: E402


def run_cases(label: str, n: int, make: Callable[[], bytes], check: Callable[[bytes], object],
              tracebacks: list[str]) -> int:
    """`check` on n inputs from `make`; every exception (or broken property) is a traceback."""
    t0 = time.perf_counter()
    for _ in range(n):
        data = make()
        try:
            check(data)
        except Exception:  # noqa: BLE001 - counting them is the point
            tracebacks.append(f"{label}: {traceback.format_exc(limit=-3)}")
    print(f"{label:<10} {n:>6} inputs  {time.perf_counter() - t0:6.1f} s", flush=True)
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=4000, help="parser inputs in all (feeds, JSON, pages, text)")
    ap.add_argument("--folders", type=int, default=150, help="folders ingested (1-8 files each)")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--no-extract", action="store_true", help="folders: store only, no NLP")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    feeds, pages = fz.corpus_files("feeds", 200_000), fz.corpus_files("html", 400_000)
    if not feeds or not pages:
        print(f"corpus not found under {fz.CORPUS}", file=sys.stderr)
        return 2
    tracebacks: list[str] = []
    inputs = 0
    share = {"feeds": 0.45, "jsonfeed": 0.2, "pages": 0.05, "text": 0.3}
    n = {k: int(args.cases * v) for k, v in share.items()}
    inputs += run_cases("feeds", n["feeds"], lambda: fz.mutate(rng.choice(feeds).read_bytes(), fz.random_ops(rng)),
                        fz.check_feed, tracebacks)
    inputs += run_cases("jsonfeed", n["jsonfeed"], lambda: fz.random_jsonfeed(rng), fz.check_jsonfeed, tracebacks)
    inputs += run_cases("pages", n["pages"], lambda: fz.mutate(rng.choice(pages).read_bytes(), fz.random_ops(rng)),
                        fz.check_page, tracebacks)
    inputs += run_cases("text", n["text"], lambda: rng.randbytes(rng.randint(0, 4000)) if rng.random() < 0.5
                        else fz.mutate(b"Title\n\nThe minister said so.\n" * rng.randint(1, 50), fz.random_ops(rng)),
                        fz.check_text, tracebacks)

    t0 = time.perf_counter()
    files = unaccounted = unstored = 0
    unexpected: Counter[str] = Counter()
    for _ in range(args.folders):
        folder = {fz.random_name(rng): fz.random_content(rng, feeds, pages) for _ in range(rng.randint(1, 8))}
        try:
            result = fz.check_folder(folder, extract=not args.no_extract)
        except Exception:  # noqa: BLE001
            tracebacks.append(f"folder: {traceback.format_exc(limit=-3)}")
            continue
        files += result.files
        unaccounted += len(result.unaccounted)
        unstored += len(result.unstored)
        unexpected.update(r.split(":")[0] for r in result.unexpected)
        for name in result.unaccounted + result.unstored:
            print(f"  lost: {name!r}", file=sys.stderr)
    inputs += files
    print(f"{'folders':<10} {args.folders:>6} folders, {files} files{'' if args.no_extract else ', extracted'}"
          f"  {time.perf_counter() - t0:6.1f} s", flush=True)

    for tb in tracebacks[:5]:
        print(tb, file=sys.stderr)
    print(f"inputs: {inputs}")
    print(f"tracebacks: {len(tracebacks)}")
    print(f"files neither stored nor recorded: {unaccounted}")
    print(f"items yielded but not in the database: {unstored}")
    print(f"unexpected errors caught and recorded: {sum(unexpected.values())} {dict(unexpected) or ''}")
    print("BENCH " + json.dumps({"inputs": inputs, "tracebacks": len(tracebacks), "unaccounted": unaccounted,
                                 "unstored": unstored, "unexpected": sum(unexpected.values())}))
    return 1 if tracebacks or unaccounted or unstored else 0


if __name__ == "__main__":
    sys.exit(main())
