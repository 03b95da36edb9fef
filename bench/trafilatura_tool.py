#!/usr/bin/env python3
"""Plain trafilatura as a stand-in for `kb`, so the html scorer can run it side by side.

Implements just what eval_html.py calls:
  trafilatura_tool.py ingest --no-extract --db FILE PAGE...
  trafilatura_tool.py export articles --format jsonl --db FILE
Each page goes through `trafilatura.bare_extraction(html, with_metadata=True)` with the
library's defaults (no kb code at all); the "database" is a JSON-lines file.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import trafilatura

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def extract(path: str) -> dict:
    """One page with trafilatura's defaults, as an exported article."""
    html = Path(path).read_bytes()
    doc = trafilatura.bare_extraction(html, with_metadata=True)
    get = (lambda k: getattr(doc, k, None)) if doc is not None else (lambda k: None)
    return {"source": path, "url": get("url"), "title": get("title"), "byline": get("author"),
            "published_at": get("date"), "language": get("language"), "text": get("text") or ""}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ing = sub.add_parser("ingest")
    ing.add_argument("pages", nargs="+")
    ing.add_argument("--no-extract", action="store_true")
    ing.add_argument("--db", required=True)
    exp = sub.add_parser("export")
    exp.add_argument("kind", choices=["articles"])
    exp.add_argument("--format", default="jsonl", choices=["jsonl"])
    exp.add_argument("--db", required=True)
    args = ap.parse_args(argv)
    if args.cmd == "ingest":
        failed = 0
        with open(args.db, "a", encoding="utf-8") as out:
            for page in args.pages:
                try:
                    out.write(json.dumps(extract(page), ensure_ascii=False) + "\n")
                except OSError as exc:
                    print(f"error: {page}: {exc.strerror}", file=sys.stderr)
                    failed += 1
        print(f"{len(args.pages) - failed} new, {failed} failed")
        return 1 if failed else 0
    if Path(args.db).exists():
        sys.stdout.write(Path(args.db).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
