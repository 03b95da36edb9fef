#!/usr/bin/env python3
"""Cost of the entity layer: raw spaCy `nlp.pipe` against the same pipeline plus `kb_entities`.

Same texts (the seed and PolNeAR dev articles, as bench_nlp.py), same process, interleaved
runs after a warm-up; the best of `--repeat` runs counts. The kb side also turns every doc
into the contract's mention dicts. Prints words/s of both and a final line
`BENCH {"entity_ratio": kb/raw words per second, "entity_cost": ...}`, where entity_cost is
the layer's own share of the time (the component timed alone on freshly parsed docs; less
noisy than the ratio on a shared machine). The target is a cost of at most 10%.
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
    args, _ = ap.parse_known_args()  # bench/run.py passes every script the same arguments
    texts = load_texts(args.limit)
    if not texts:
        raise SystemExit("no texts found under ../shared/corpus")
    words = sum(len(re.findall(r"\w+", t)) for t in texts)

    from kb.nlp import entities
    from kb.nlp.entities import tagger  # noqa: F401  (registers kb_entities)
    from kb.nlp.model import load_model

    raw = load_model(components=False)
    ent = load_model(components=False)
    ent.add_pipe("kb_entities", last=True)
    tagger = ent.get_pipe("kb_entities")
    list(raw.pipe(texts[:2]))
    list(ent.pipe(texts[:2]))  # warm-up: builds the gazetteer matcher once

    def run_kb() -> None:
        for doc in ent.pipe(texts, batch_size=16):
            entities.mention_dicts(doc)

    best = {"raw": float("inf"), "kb": float("inf"), "pipe": float("inf"), "layer": float("inf")}
    for _ in range(args.repeat):
        best["raw"] = min(best["raw"], timed(lambda: list(raw.pipe(texts, batch_size=16))))
        best["kb"] = min(best["kb"], timed(run_kb))
        # the layer alone, on docs the raw pipeline has just parsed (less noisy on a shared machine)
        t0 = time.perf_counter()
        with ent.select_pipes(disable=["kb_entities"]):
            docs = list(ent.pipe(texts, batch_size=16))
        t1 = time.perf_counter()
        for doc in docs:
            entities.mention_dicts(tagger(doc))
        t2 = time.perf_counter()
        best["pipe"], best["layer"] = min(best["pipe"], t1 - t0), min(best["layer"], t2 - t1)
    wps = {k: words / best[k] for k in ("raw", "kb")}
    print(f"texts {len(texts)}, words {words}")
    print(f"raw spaCy       {best['raw']:7.2f} s  {wps['raw']:9.0f} words/s")
    print(f"spaCy + entities {best['kb']:6.2f} s  {wps['kb']:9.0f} words/s")
    cost = best["layer"] / (best["pipe"] + best["layer"])
    print(f"entity layer alone {best['layer']:.2f} s after {best['pipe']:.2f} s of spaCy: {cost:.1%} of the time")
    print("BENCH " + json.dumps({"entity_ratio": round(wps["kb"] / wps["raw"], 3), "entity_cost": round(cost, 3),
                                 "words": words}))


if __name__ == "__main__":
    main()
