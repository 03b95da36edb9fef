"""Article pages: kb's extraction against plain trafilatura, speed and quality, one run.

1. Pages per second: `ingest.html.parse_html` (one lxml parse shared by trafilatura's balanced
   and fast precise passes, htmldate and the metadata readers; bylines, dateline) against `trafilatura.bare_extraction(with_metadata=True)` alone, on the same
   corpus pages (html/pages and html/newspaper4k), best of --repeat passes.
2. With --score: eval_html.py run on `.venv/bin/kb` and on bench/trafilatura_tool.py (plain
   trafilatura behind the same two commands), printing both SCORE lines side by side.
3. Storing: milliseconds per article of `kb.store.store_article` on the PolNeAR and tracking
   texts (dev and train: about 940 files, in date order, into a fresh on-disk database) with
   reprint detection (narrative marks, candidate lookup, comparison) and with it switched
   off, interleaved runs, best of --repeat; also the cost of the last quarter of articles
   (with more stored before them) against the first. --no-store skips it.
Last line: BENCH {...}.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
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


def store_texts() -> list:
    """The PolNeAR and tracking texts as parsed articles, oldest first."""
    from ingest.text import parse_text

    corpus = CORPUS.parent
    files = sorted((corpus / "tracking").glob("*/articles/*.txt"))
    files += sorted((corpus / "claims" / "polnear").glob("*/text/*.txt"))
    arts = []
    for f in files:
        art = parse_text(f.read_bytes(), str(f))
        day = re.search(r"_(\d{4}-\d\d-\d\d)_", f.name)
        art.published_at = art.published_at or (day.group(1) if day else None)
        arts.append(art)
    return sorted(arts, key=lambda a: a.published_at or "")


def store_cost(arts: list, repeat: int) -> dict[str, float]:
    """ms per stored article with and without reprint detection (best of `repeat`)."""
    from kb import store

    def run(link: bool) -> tuple[float, float, float]:
        saved = store.link_reprint
        if not link:
            store.link_reprint = lambda *a, **k: None
        try:
            with tempfile.TemporaryDirectory() as tmp:
                db = store.open_db(Path(tmp) / "bench.db")
                times = []
                for art in arts:
                    start = time.perf_counter()
                    store.store_article(db, art)
                    times.append(time.perf_counter() - start)
                db.close()
        finally:
            store.link_reprint = saved
        q = max(1, len(times) // 4)
        return 1000 * sum(times) / len(times), 1000 * sum(times[:q]) / q, 1000 * sum(times[-q:]) / q

    best = {True: (float("inf"),) * 3, False: (float("inf"),) * 3}
    for _ in range(repeat):
        for link in (False, True):
            best[link] = min(best[link], run(link))
    with_, without = best[True], best[False]
    print(f"store: {len(arts)} articles; {without[0]:.2f} ms/article without reprint detection, "
          f"{with_[0]:.2f} with (ratio {with_[0] / without[0]:.2f}); first / last quarter: "
          f"without {without[1]:.2f} / {without[2]:.2f} ms, with {with_[1]:.2f} / {with_[2]:.2f} ms")
    return {"store_articles": len(arts), "store_ms_without": round(without[0], 3),
            "store_ms_with": round(with_[0], 3), "store_ratio": round(with_[0] / without[0], 3),
            "store_quarters_without": [round(without[1], 3), round(without[2], 3)],
            "store_quarters_with": [round(with_[1], 3), round(with_[2], 3)]}


def score(kb: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(EVAL), "--kb", kb], capture_output=True, text=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("SCORE ")), "")
    print(f"  {kb}: {line}")
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+|nan)", line) if k in KEYS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--score", action="store_true", help="also run eval_html.py on both")
    ap.add_argument("--no-store", action="store_true", help="skip the store_article timing")
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
    if not args.no_store:
        result.update(store_cost(store_texts(), max(args.repeat, 2)))
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    main()
