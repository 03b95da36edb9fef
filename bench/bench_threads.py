"""Claim threads on a large database: the one-time backlog pass, then one new article.

`kb extract` used to recompute every thread after each run (142 s on 1M claims, even for
one new article). Threads now update incrementally; this prints both costs side by side.
Uses a copy of a bench/gen_claims.py database (never the repository's).

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
from kb.track import _rebuild_all, update_threads  # noqa: E402


def one_claim(text: str) -> dict:
    return {"sentence": text, "speaker": "Officials", "speaker_start": 0, "speaker_end": 9,
            "speaker_entity": None, "cue": "said", "cue_start": 10, "cue_end": 14, "content": text[15:],
            "content_start": 15, "content_end": len(text), "via": None, "subject": "the port",
            "subject_entity": None, "predicate": "reopen", "predicate_text": "would reopen", "objects": [],
            "modality": "future", "polarity": "positive", "direct_quote": False}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=Path("/tmp/kb-bench-1m.db"))
    ap.add_argument("--claims", type=int, default=1_000_000)
    args, _ = ap.parse_known_args()
    if not args.db.exists():
        generate(args.db, args.claims)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.db"
        shutil.copy(args.db, path)
        db = store.open_db(path)
        t = time.perf_counter()
        n = update_threads(db)
        backlog = time.perf_counter() - t
        t = time.perf_counter()
        with db.atomic():
            _rebuild_all(db)
        full = time.perf_counter() - t
        text = "Officials said the port would reopen next month."
        pk, _ = store.store_article(db, Article(source="bench-new.txt", text=text, published_at="2030-01-01"))
        store.save_analysis(db, pk, {"entities": [], "relations": [], "claims": [one_claim(text)]})
        t = time.perf_counter()
        update_threads(db)
        one = time.perf_counter() - t
    print(f"threads {n}: backlog pass {backlog:.1f} s, full recompute {full:.1f} s, "
          f"after one new article {one * 1000:.1f} ms")
    print("BENCH " + json.dumps({"threads": n, "backlog_s": round(backlog, 1), "full_s": round(full, 1),
                                 "one_article_ms": round(one * 1000, 1), "ratio": round(one / full, 6)}))


if __name__ == "__main__":
    main()
