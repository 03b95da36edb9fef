#!/usr/bin/env python3
"""NER quality: kb against raw spaCy (en_core_web_sm), same scorer, same texts, one run.

Runs ../shared/eval/eval_ner.py twice, with `--kb .venv/bin/kb` and with
bench/raw_spacy_tool.py as the tool, and prints both SCORE lines, then a final line
`BENCH {...}` with the CoNLL and GUM micro F1 of both and kb's gain.
Extra arguments (--limit N, --only conll|gum, --split) are passed to the scorer;
--repeat (from `make bench`) is accepted and ignored.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "eval_ner.py"


def score(tool: str, extra: list[str]) -> dict[str, float]:
    """Run the scorer with one tool; returns the metrics of its SCORE line."""
    out = subprocess.run([sys.executable, str(EVAL), "--kb", tool, *extra], capture_output=True,
                         text=True, cwd=ROOT).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("SCORE ")), "")
    print(line or f"(no SCORE line from {tool})", flush=True)
    return {k: float(v) for k, v in (kv.split("=", 1) for kv in line.split()[1:])
            if v not in ("nan", "n/a")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--only", choices=["conll", "gum"], default=None)
    ap.add_argument("--split", default=None)
    ap.add_argument("--repeat", type=int, default=None, help=argparse.SUPPRESS)
    args, _ = ap.parse_known_args()  # bench/run.py passes every script the same arguments
    if not EVAL.exists():
        raise SystemExit(f"scorer not found: {EVAL}")
    extra = [a for k in ("limit", "only", "split") if getattr(args, k) is not None
             for a in (f"--{k}", str(getattr(args, k)))]
    kb_cmd = str(ROOT / ".venv" / "bin" / "kb")
    raw_cmd = f"{sys.executable} {ROOT / 'bench' / 'raw_spacy_tool.py'}"
    print("kb:        ", end="")
    kb = score(kb_cmd, extra)
    print("raw spaCy: ", end="")
    raw = score(raw_cmd, extra)
    keys = [k for k in ("conll_f1", "conll_f1_PER", "conll_f1_ORG", "conll_f1_LOC", "gum_f1") if k in kb]
    print("BENCH " + json.dumps({**{f"kb_{k}": kb[k] for k in keys},
                                 **{f"raw_{k}": raw.get(k) for k in keys},
                                 **{f"gain_{k}": round(kb[k] - raw.get(k, 0.0), 3) for k in keys}}))


if __name__ == "__main__":
    main()
