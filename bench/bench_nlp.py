"""Words per second: `kb.nlp.analyze_many` against raw spaCy `nlp.pipe`, same texts, one run.

Texts: the PolNeAR dev articles (../shared/corpus) and the seed. Each side runs
`--repeat` times, interleaved, after a warm-up; the best time of each counts.
Prints a table and a final line `BENCH nlp_ratio=...` (kb words/s over raw words/s).
"""
from __future__ import annotations

import argparse
import json
import re
import time
import tracemalloc
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load_texts(limit: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus/claims/polnear/dev/text").glob("*.txt"))]
    seed = SHARED / "seed/000_ad39916bedaa8f97.txt"
    if seed.exists():
        texts.insert(0, seed.read_text(encoding="utf-8"))
    return texts[:limit]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    texts = load_texts(args.limit)
    if not texts:
        raise SystemExit("no texts found under ../shared/corpus")
    words = sum(len(re.findall(r"\w+", t)) for t in texts)

    from kb import nlp
    from kb.nlp.model import load_model

    raw = load_model(components=False)  # the same spaCy pipeline without kb's components
    nlp.analyze(texts[0])  # warm-up: loads the kb pipeline once
    list(raw.pipe(texts[:1]))
    best = {"raw": float("inf"), "kb": float("inf")}
    for _ in range(args.repeat):
        best["raw"] = min(best["raw"], timed(lambda: list(raw.pipe(texts, batch_size=16))))
        best["kb"] = min(best["kb"], timed(lambda: list(nlp.analyze_many(texts, batch_size=16))))
    tracemalloc.start()
    list(nlp.analyze_many(texts[:5]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    wps = {k: words / v for k, v in best.items()}
    print(f"texts {len(texts)}, words {words}")
    for k in ("raw", "kb"):
        print(f"{k:4} {best[k]:7.2f} s  {wps[k]:9.0f} words/s")
    print(f"python heap peak for 5 texts: {peak / 1e6:.1f} MB")
    print("BENCH " + json.dumps({"nlp_ratio": round(wps["kb"] / wps["raw"], 3), "words": words}))


if __name__ == "__main__":
    main()
