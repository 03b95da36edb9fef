"""Words per second: `kb.nlp.analyze_many` against raw spaCy `nlp.pipe`, same texts, one run.

Texts: the PolNeAR dev articles (../shared/corpus) and the seed. Each side runs
`--repeat` times, interleaved, after a warm-up; the best time of each counts.
Prints a table and a final line `BENCH nlp_ratio=...` (kb words/s over raw words/s).

`--cli`: whole processes instead, start-up and model loading included: `kb analyze --jsonl`
against `raw_spacy_tool.py analyze --jsonl` (raw `nlp.pipe` of the same model) on the same
JSON lines, interleaved, `--repeat` times (default 3); the median time of each counts
(`BENCH cli_ratio=...`).
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


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


def child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def cli(texts: list[str], words: int, repeat: int, kb: str) -> None:
    """Whole processes, interleaved: raw spaCy's stand-in and `kb analyze --jsonl`. Wall time
    counts; CPU time (user + system of the child) is shown too, steadier on a busy machine."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "texts.jsonl"
        src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)),
                       encoding="utf-8")
        cmds = {"raw": [sys.executable, str(ROOT / "bench/raw_spacy_tool.py"), "analyze", "--jsonl", str(src)],
                "kb": [kb, "analyze", "--jsonl", "--db", str(Path(tmp) / "kb.db"), str(src)]}
        wall: dict[str, list[float]] = {"raw": [], "kb": []}
        cpu: dict[str, list[float]] = {"raw": [], "kb": []}
        for _ in range(repeat):
            for k, cmd in cmds.items():
                c = child_cpu()
                wall[k].append(timed(lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)))
                cpu[k].append(child_cpu() - c)
    med = {k: statistics.median(v) for k, v in wall.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"texts {len(texts)}, words {words}, whole processes, median of {repeat}")
    for k in ("raw", "kb"):
        print(f"{k:4} {med[k]:7.2f} s  {words / med[k]:9.0f} words/s  (runs: {', '.join(f'{t:.2f}' for t in wall[k])}); "
              f"CPU {med_cpu[k]:.2f} s (runs: {', '.join(f'{t:.2f}' for t in cpu[k])})")
    print("BENCH " + json.dumps({"cli_ratio": round(med["raw"] / med["kb"], 3),
                                 "cli_cpu_ratio": round(med_cpu["raw"] / med_cpu["kb"], 3), "words": words}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=None, help="runs of each side (default 2, with --cli 3)")
    ap.add_argument("--cli", action="store_true", help="time whole processes (kb analyze --jsonl)")
    ap.add_argument("--kb", default=str(ROOT / ".venv/bin/kb"), help="the kb command for --cli")
    args = ap.parse_args()
    texts = load_texts(args.limit)
    if not texts:
        raise SystemExit("no texts found under ../shared/corpus")
    words = sum(len(re.findall(r"\w+", t)) for t in texts)
    if args.cli:
        cli(texts, words, args.repeat or 3, args.kb)
        return
    args.repeat = args.repeat or 2

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
