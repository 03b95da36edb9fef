"""Words per second of `kb extract` (jobs.extract: NLP + storing) against raw spaCy `nlp.pipe`.

Same texts (PolNeAR dev articles and the seed, from ../shared/corpus), one process;
`--repeat` interleaved runs of each side after a warm-up, the best time of each counts. The raw side is the same spaCy pipeline without kb's components;
the kb side stores the articles in a fresh in-memory database first (not timed), then
times `jobs.extract` (entities, claims, relations, storing, claim threads).
Before each timed run it waits (`--quiet`, at most 30 s) for a second of idle CPUs, as
bench_dask.py does, and reports the CPU seconds the rest of the machine spent during the best runs.
Prints a table and a final line `BENCH {"extract_ratio": ...}` (kb words/s over raw words/s).
"""
from __future__ import annotations

import argparse
import json
import re
import time

from bench_dask import QUIET, machine_busy, wait_quiet
from bench_nlp import load_texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--processes", type=int, default=1, help="n_process for kb extract")
    ap.add_argument("--batch-size", type=int, default=16, help="batch size of both sides")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved runs of each side; the best counts")
    ap.add_argument("--quiet", type=float, default=QUIET[0],
                    help="seconds to wait at most, before each timed run, for a second of idle CPUs (0: none)")
    args = ap.parse_args()
    QUIET[0] = args.quiet
    texts = load_texts(args.limit)
    if not texts:
        raise SystemExit("no texts found under ../shared/corpus")
    words = sum(len(re.findall(r"\w+", t)) for t in texts)

    from ingest.article import Article
    from kb import jobs, nlp, store
    from kb.nlp.model import load_model

    raw = load_model(components=False)
    list(raw.pipe(texts[:1]))
    nlp.analyze(texts[0])                       # warm-up: the kb pipeline, loaded once
    t_raw = t_kb = float("inf")
    others = {}
    for _ in range(max(1, args.repeat)):        # interleaved: a busy machine slows both sides alike
        db = store.open_db(memory=True)
        for i, t in enumerate(texts):
            store.store_article(db, Article(source=f"bench-{i}.txt", text=t),
                                store.upsert_source(db, f"bench-{i}.txt", "file"))
        wait_quiet()
        busy0, cpu0, t0 = machine_busy(), time.process_time(), time.perf_counter()
        list(raw.pipe(texts, batch_size=args.batch_size))
        if time.perf_counter() - t0 < t_raw:
            t_raw = time.perf_counter() - t0
            others["raw"] = machine_busy() - busy0 - (time.process_time() - cpu0)
        wait_quiet()
        busy0, cpu0, t0 = machine_busy(), time.process_time(), time.perf_counter()
        report = jobs.extract(db, n_process=args.processes, batch_size=args.batch_size)
        if time.perf_counter() - t0 < t_kb:
            t_kb = time.perf_counter() - t0
            others["kb"] = machine_busy() - busy0 - (time.process_time() - cpu0)
    print(f"texts {len(texts)}, words {words}, extracted {report.extracted}, claims {report.claims}")
    print(f"raw nlp.pipe  {t_raw:7.2f} s  {words / t_raw:9.0f} words/s  (others' CPU meanwhile {max(0, others['raw']):.1f} s)")
    print(f"kb extract    {t_kb:7.2f} s  {words / t_kb:9.0f} words/s  (others' CPU meanwhile {max(0, others['kb']):.1f} s; "
          f"n_process={args.processes})")
    print("BENCH " + json.dumps({"extract_ratio": round(t_raw / t_kb, 3), "words": words,
                                 "n_process": args.processes, "batch_size": args.batch_size,
                                 "repeat": args.repeat}))


if __name__ == "__main__":
    main()
