"""Claim threads on a large database: the one-time grouping pass, then one new article.

Threads update incrementally: a new article's claims are compared only with the threads
that share an index key with them (kb.track), so adding one article to a database of a
million claims costs milliseconds, not a regrouping of everything. This prints both costs
side by side on a copy of a bench/gen_claims.py database (never the repository's), and the
cost of moving the clock on (threads whose deadline passed become overdue).

    python bench/bench_threads.py --db /tmp/kb-bench-1m.db
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.gen_claims import generate  # noqa: E402
from ingest.article import Article  # noqa: E402
from kb import store  # noqa: E402
from kb.track import update_threads  # noqa: E402


def one_claim(text: str, day: str) -> dict:
    ent = {"name": "Port Authority", "type": "government"}
    return {"sentence": text, "speaker": "Officials", "speaker_start": 0, "speaker_end": 9,
            "speaker_entity": None, "cue": "said", "cue_start": 10, "cue_end": 14, "content": text[15:],
            "content_start": 15, "content_end": len(text), "via": None, "subject": "the port",
            "subject_entity": ent, "predicate": "reopen", "predicate_text": "would reopen", "objects": [],
            "modality": "future", "polarity": "positive", "direct_quote": False, "event": "operate",
            "event_polarity": "positive", "participants": [{"text": "the port", "entity": ent, "role": "s"}],
            "quantities": [], "time_text": "by the end of next month", "time_relation": "by", "time_tense": "future"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=Path("/tmp/kb-bench-1m.db"))
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=5, help="new articles timed one at a time")
    ap.add_argument("--regroup", action="store_true",
                    help="regroup every claim first and time it (what kb paid before threads were kept "
                         "incrementally: more than 24 minutes for 1M claims on a 2-core machine)")
    args, _ = ap.parse_known_args()
    if not args.db.exists():
        generate(args.db, args.claims)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.db"
        shutil.copy(args.db, path)
        db = store.open_db(path)
        if args.regroup:               # what a database with no incremental grouping pays: every claim regrouped
            with db.atomic():
                db.execute("UPDATE claims SET thread_id = NULL, thread_key = NULL, thread_reason = NULL")
                for table in ("claim_threads", "thread_index", "thread_history", "threads_to_update"):
                    if table in db.table_names():
                        db.execute(f"DELETE FROM [{table}]")
        t = time.perf_counter()
        n = update_threads(db, now="2025-01-01")
        backlog = time.perf_counter() - t
        threads = db.execute("SELECT count(*) FROM claim_threads").fetchone()[0]
        claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        times = []
        for i in range(args.articles):
            text = f"Officials said the port would reopen by the end of next month ({i})."
            pk, _ = store.store_article(db, Article(source=f"bench-new-{i}.txt", text=text,
                                                    published_at="2024-12-20"))
            store.save_analysis(db, pk, {"entities": [], "relations": [], "claims": [one_claim(text, "2024-12-20")]})
            t = time.perf_counter()
            update_threads(db, now="2025-01-01")
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        moved = update_threads(db, now="2025-03-01")      # the clock moves on: deadlines pass
        tick = time.perf_counter() - t
    one = sorted(times)[len(times) // 2]
    print(f"{claims:,} claims -> {threads:,} threads: grouping everything once {backlog:.1f} s; "
          f"one new article {one * 1000:.1f} ms (median of {len(times)}); clock moved on: {moved} thread(s) "
          f"recomputed in {tick * 1000:.1f} ms")
    print("BENCH " + json.dumps({"claims": claims, "threads": threads, "group_all_s": round(backlog, 1),
                                 "one_article_ms": round(one * 1000, 1), "tick_ms": round(tick * 1000, 1),
                                 "ratio": round(one / backlog, 6) if backlog else None}))


if __name__ == "__main__":
    main()
