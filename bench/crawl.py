"""Follow every link reachable from the demo's home page and count the answers by status.

    .venv/bin/python bench/crawl.py [--db demo.db] [--max 5000]

Builds the demo database (offline) unless --db names one, serves it with `kb serve` on a free
local port, and walks every same-site link (<a href>, forms' GET actions left out) breadth
first from `/`, up to --max pages, never leaving 127.0.0.1. Links that differ only in the values
of their filter arguments (not of sorts or facets) are followed once. Prints the count per status, each
500 with the page that linked to it, and one ``BENCH {...}`` line; exits 1 when any page
answered 500.
"""
from __future__ import annotations

import argparse
import collections
import html
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.shots import served  # noqa: E402

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"', re.I)
SKIP = re.compile(r"^(mailto:|javascript:|#)")


def links(base: str, url: str, body: str) -> list[str]:
    out = []
    for raw in HREF.findall(body):
        href = html.unescape(raw)
        if SKIP.match(href):
            continue
        absolute = urllib.parse.urljoin(url, href).split("#")[0]
        if absolute.startswith(base + "/"):
            out.append(absolute)
    return out


def _shape(url: str) -> tuple:
    """A link's path and the names (not values) of its arguments, with sort and facet values
    kept: one page of each shape is visited (Datasette's sort, facet and page links
    combine without end; each kind is followed once)."""
    parts = urllib.parse.urlsplit(url)
    args = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    keep = sorted((k, v if k.startswith("_sort") or k == "_facet" else "") for k, v in args if k != "_next")
    return parts.path, tuple(keep)


def crawl(base: str, limit: int) -> dict:
    seen: dict[str, str | None] = {base + "/": None}
    shapes = {_shape(base + "/")}
    queue = collections.deque([base + "/"])
    statuses: collections.Counter = collections.Counter()
    errors: list[tuple[str, str | None]] = []
    missing: list[tuple[str, str | None]] = []
    t0 = time.perf_counter()
    while queue and sum(statuses.values()) < limit:
        url = queue.popleft()
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                status, kind = r.status, r.headers.get("content-type", "")
                body = r.read().decode("utf-8", "replace") if kind.startswith("text/html") else ""
        except urllib.error.HTTPError as e:
            status, body = e.code, ""
        statuses[status] += 1
        if status >= 500:
            errors.append((url, seen[url]))
        elif status == 404:
            missing.append((url, seen[url]))
        for link in links(base, url, body):
            shape = _shape(link)
            if link not in seen and shape not in shapes:
                seen[link] = url
                shapes.add(shape)
                queue.append(link)
    return {"pages": sum(statuses.values()), "statuses": dict(statuses), "errors_500": len(errors),
            "unvisited": len(queue), "seconds": round(time.perf_counter() - t0, 1),
            "examples": [{"url": u[len(base):], "linked_from": (f or "")[len(base):]} for u, f in errors[:20]],
            "broken": [{"url": u[len(base):], "linked_from": (f or "")[len(base):]} for u, f in missing[:20]]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=None, help="a kb database (default: build the demo)")
    ap.add_argument("--max", type=int, default=5000, help="at most this many pages")
    args = ap.parse_args()
    with served(args.db) as (base, _):
        result = crawl(base, args.max)
    for status, n in sorted(result["statuses"].items()):
        print(f"{status}: {n}")
    for e in result["examples"]:
        print(f"500 {e['url']}  (linked from {e['linked_from']})")
    for e in result["broken"]:
        print(f"404 {e['url']}  (linked from {e['linked_from']})")
    print("BENCH " + json.dumps({"bench": "crawl_demo", **{k: v for k, v in result.items()
                                                           if k not in ("examples", "broken")}}))
    return 1 if result["errors_500"] else 0


if __name__ == "__main__":
    sys.exit(main())
