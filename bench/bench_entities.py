#!/usr/bin/env python3
"""Cost of the entity layer: raw spaCy `nlp.pipe` against the same pipeline plus `kb_entities`.

Same texts (the seed and PolNeAR dev articles, as bench_nlp.py), same process, interleaved
runs after a warm-up; the best of `--repeat` runs counts. The kb side also turns every doc
into the contract's mention dicts. Prints words/s of both and a final line
`BENCH {"entity_ratio": kb/raw words per second, "entity_cost": 1 - ratio, ...}`;
the target is a cost of at most 10%.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_nlp import load_texts, timed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = load_texts(args.limit)
    if not texts:
        raise SystemExit("no texts found under ../shared/corpus")
    words = sum(len(re.findall(r"\w+", t)) for t in texts)

    from kb.nlp import entities
    from kb.nlp.model import load_model

    raw = load_model(components=False)
    ent = load_model(components=False)
    ent.add_pipe("kb_entities", last=True)
    list(raw.pipe(texts[:2]))
    list(ent.pipe(texts[:2]))  # warm-up: builds the gazetteer matcher once

    def run_kb() -> None:
        for doc in ent.pipe(texts, batch_size=16):
            entities.mention_dicts(doc)

    best = {"raw": float("inf"), "entities": float("inf")}
    for _ in range(args.repeat):
        best["raw"] = min(best["raw"], timed(lambda: list(raw.pipe(texts, batch_size=16))))
        best["entities"] = min(best["entities"], timed(run_kb))
    wps = {k: words / v for k, v in best.items()}
    print(f"texts {len(texts)}, words {words}")
    for k in ("raw", "entities"):
        print(f"{k:9} {best[k]:7.2f} s  {wps[k]:9.0f} words/s")
    ratio = wps["entities"] / wps["raw"]
    print("BENCH " + json.dumps({"entity_ratio": round(ratio, 3), "entity_cost": round(1 - ratio, 3),
                                 "words": words}))


if __name__ == "__main__":
    main()
