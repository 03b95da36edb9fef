"""`kb ingest` of a news archive: articles per second and peak memory (issue 16).

Generates N distinct articles from the texts of ../shared/corpus (each one a seeded draw of
paragraphs from them, so none is a copy of another), written as JSON lines
(`{"url", "title", "published_at", "text"}`) and as a gzipped WARC of HTML responses (each
article as a small page, with a request record beside it, as crawlers write them). Then runs
`kb ingest --no-extract FILE` on each as a child process and reads its wall time and peak
resident memory (os.wait4: that child's own rusage). `--extract-n M` also ingests the
first M articles of the JSON lines with extraction on. Everything is written under a
temporary folder that is removed afterwards. Nothing touches the network.

    .venv/bin/python bench/bench_archive.py [--n 10000] [--warc-n 10000] [--extract-n 200]

Last line: BENCH {...}.
"""
from __future__ import annotations

import argparse
import html
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
KB = ROOT / ".venv" / "bin" / "kb"


def paragraphs() -> list[str]:
    """The paragraphs (40+ characters) of every .txt article of the shared corpus."""
    out = []
    for path in sorted(CORPUS.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        out.extend(p.strip() for p in text.split("\n") if len(p.strip()) >= 40)
    if not out:
        raise SystemExit(f"no texts under {CORPUS}")
    return out


def articles(n: int) -> Iterator[dict]:
    """n articles, one at a time: seeded draws of 6-12 paragraphs."""
    pool = paragraphs()
    rng = random.Random(16)
    for i in range(n):
        paras = rng.sample(pool, rng.randint(6, 12))
        day = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
        yield {"url": f"https://outlet{i % 50}.example/news/{i}", "title": f"Story {i}: {paras[0][:60]}",
               "published_at": f"{day}T{i % 24:02d}:00:00Z", "text": "\n\n".join(paras)}


def write_jsonl(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for art in articles(n):
            out.write(json.dumps(art) + "\n")


def write_warc(path: Path, n: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for art in articles(n):
            body = "".join(f"<p>{html.escape(p)}</p>" for p in art["text"].split("\n\n"))
            page = (f"<!doctype html><html lang='en'><head><title>{html.escape(art['title'])}</title>"
                    f"<meta property='article:published_time' content='{art['published_at']}'></head>"
                    f"<body><article><h1>{html.escape(art['title'])}</h1>{body}</article></body></html>")
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
            w.write_record(w.create_warc_record(art["url"], "request", payload=io.BytesIO(b""), http_headers=req))
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(art["url"], "response", payload=io.BytesIO(page.encode()),
                                                http_headers=head, warc_headers_dict={"WARC-Date": art["published_at"]}))


def run_ingest(path: Path, db: Path, extract: bool) -> dict:
    """`kb ingest` of one file in a child process: seconds, peak RSS, its summary line."""
    cmd = [str(KB), "ingest", str(path), "--db", str(db)] + ([] if extract else ["--no-extract"])
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read().decode() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - start
    return {"seconds": round(took, 1), "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": os.waitstatus_to_exitcode(status), "summary": out.strip().splitlines()[-1] if out.strip() else ""}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles in the JSON lines file")
    ap.add_argument("--warc-n", type=int, default=10_000, help="articles in the WARC (0: none)")
    ap.add_argument("--extract-n", type=int, default=200, help="articles ingested with extraction (0: none)")
    args = ap.parse_args()
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="kb-bench-archive-") as tmp:
        tmp_path = Path(tmp)
        runs = [("jsonl", args.n, write_jsonl, "news.jsonl", False)]
        if args.warc_n:
            runs.append(("warc", args.warc_n, write_warc, "news.warc.gz", False))
        if args.extract_n:
            runs.append(("jsonl_extract", args.extract_n, write_jsonl, "sample.jsonl", True))
        for name, n, write, filename, extract in runs:
            path = tmp_path / filename
            write(path, n)
            got = run_ingest(path, tmp_path / f"{name}.db", extract)
            got.update(articles=n, file_mb=round(path.stat().st_size / 1e6, 1),
                       articles_per_s=round(n / got["seconds"], 1))
            print(f"{name}: {n} articles ({got['file_mb']} MB): {got['seconds']} s, {got['articles_per_s']} "
                  f"articles/s, peak RSS {got['max_rss_mb']} MB; {got['summary']}", flush=True)
            result[name] = got
    print("BENCH " + json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
