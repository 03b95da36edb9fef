"""Article pages: kb's extraction against plain trafilatura, speed and quality, one run.

1. Pages per second: `ingest.html.parse_html` (one lxml parse shared by trafilatura's balanced
   and fast precise passes, htmldate and the metadata readers; bylines, dateline) against `trafilatura.bare_extraction(with_metadata=True)` alone, on the same
   corpus pages (html/pages and html/newspaper4k), best of --repeat passes.
2. With --score: eval_html.py run on `.venv/bin/kb` and on bench/trafilatura_tool.py (plain
   trafilatura behind the same two commands), printing both SCORE lines side by side.
Last line: BENCH {...}.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "html"
EVAL = ROOT.parent / "shared" / "eval" / "eval_html.py"
KEYS = ("en_must_contain", "en_pages_all_found", "en_leak_rate", "en_date_acc", "en_title_acc",
        "en_author_acc", "np4k_text_f1")


def pages() -> list[bytes]:
    files = sorted((CORPUS / "pages").glob("*.html")) + sorted((CORPUS / "newspaper4k" / "html").glob("*.html"))
    return [f.read_bytes() for f in files]


def rate(fn, docs: list[bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for d in docs:
            fn(d)
        best = min(best, time.perf_counter() - start)
    return len(docs) / best


def score(kb: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(EVAL), "--kb", kb], capture_output=True, text=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("SCORE ")), "")
    print(f"  {kb}: {line}")
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+|nan)", line) if k in KEYS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--score", action="store_true", help="also run eval_html.py on both")
    args = ap.parse_args()
    import trafilatura

    from ingest.html import decode_html, parse_html

    docs = pages()
    kb_rate = rate(lambda d: parse_html(d, "page.html"), docs, args.repeat)
    tr_rate = rate(lambda d: trafilatura.bare_extraction(decode_html(d)[0], with_metadata=True), docs, args.repeat)
    print(f"pages: {len(docs)}; kb {kb_rate:.1f} pages/s, trafilatura alone {tr_rate:.1f} pages/s")
    result = {"pages": len(docs), "kb_pages_per_s": round(kb_rate, 2),
              "trafilatura_pages_per_s": round(tr_rate, 2), "ratio": round(kb_rate / tr_rate, 3)}
    if args.score:
        kb = score(str(ROOT / ".venv" / "bin" / "kb"))
        tool = score(f"{sys.executable} {HERE / 'trafilatura_tool.py'}")
        for k in KEYS:
            if k in kb and k in tool:
                better = kb[k] <= tool[k] if k.endswith("leak_rate") else kb[k] >= tool[k]
                print(f"  {k:22s} kb {kb[k]:.3f}  trafilatura {tool[k]:.3f}  {'ok' if better else 'WORSE'}")
        result.update(kb=kb, trafilatura=tool)
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
