"""p95 latency over HTTP of the pages a journalist opens, on a large generated database.

The database comes from bench/gen_claims.py (1M claims in 100k articles by default;
generated on first use into /tmp, never into the repository) and is used as generation
leaves it: no warm-up query a user would not make. `kb serve` runs it on a free local port
(the settings a journalist gets: 3 s query limit, 1,000 rows), and each page is fetched over
HTTP with parameters a journalist would use, drawn from the data (the biggest hub and the
long tail): the home page, a search, claim cards, article pages, the entity page of the
biggest hub and of others, thread pages, every canned query, and the claims table with
facets and filters. Every answer must be 200 and show rows: a page that shows nothing
measures nothing, and is reported as an error.

With --ingest DIR, `kb ingest DIR` (extraction included) writes into the same database
while the pages are timed, as a newsroom's feed job would.

    python bench/bench_queries.py [--db /tmp/kb-bench-1m.db] [--claims 1000000] [--runs 30] [--ingest DIR]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.gen_claims import generate  # noqa: E402
from bench.shots import free_port, wait_until_up  # noqa: E402

TARGET_MS = 300
KB = str(Path(sys.executable).with_name("kb"))
ROWS = re.compile(r'<tr class="(?:kb-|)?[^"]*"|<li class="kb-claim-item|<tr>')


def samples(path: Path, runs: int, seed: int = 1) -> dict[str, list]:
    """What a journalist would ask about: the hub and other entities, claims, articles, threads."""
    rng = random.Random(seed)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    hub = conn.execute("SELECT speaker_entity_id, count(*) FROM claims WHERE speaker_entity_id IS NOT NULL "
                       "GROUP BY 1 ORDER BY 2 DESC LIMIT 1").fetchone()[0]
    busy = [r[0] for r in conn.execute(
        "SELECT entity_id FROM co_mentions GROUP BY entity_id ORDER BY sum(articles) DESC LIMIT 300")]
    top = conn.execute("SELECT max(id) FROM claims").fetchone()[0]
    arts = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    threads = [r[0] for r in conn.execute("SELECT id FROM claim_threads WHERE claims > 1 ORDER BY random() LIMIT ?",
                                          [runs])]
    open_threads = [r[0] for r in conn.execute("SELECT id FROM claim_threads WHERE status = 'open' LIMIT 50")]
    name = {r[0]: r[1] for r in conn.execute(
        f"SELECT id, name FROM entities WHERE id IN ({','.join(map(str, [hub, *busy]))})")}
    vias = [r[0] for r in conn.execute("SELECT name FROM entities WHERE type = 'media' LIMIT 50")]
    outlets = [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL LIMIT 20")]
    preds = [r[0] for r in conn.execute("SELECT DISTINCT predicate FROM claims LIMIT 30")]
    day = conn.execute("SELECT substr(max(published_at), 1, 10) FROM articles").fetchone()[0]
    speaking = [e for e in busy if conn.execute(       # who has claims to show as a speaker (not a place or an app)
        "SELECT 1 FROM claim_entities WHERE entity_id = ? AND role = 'speaker' LIMIT 1", [e]).fetchone()]
    conn.close()
    people = [hub] * (runs // 3) + rng.choices(busy, k=runs - runs // 3)
    speakers = [hub] * (runs // 3) + random.Random(seed + 1).choices(speaking or [hub], k=runs - runs // 3)
    return {"hub": hub, "hub_name": name[hub], "entities": [name[i] for i in people], "entity_ids": people,
            "speakers": [name[i] for i in speakers], "speaker_ids": speakers,
            "claims": [rng.randint(1, top) for _ in range(runs)], "articles": [rng.randint(1, arts) for _ in range(runs)],
            "threads": threads or [1], "open_threads": open_threads or [1], "vias": vias or ["x"],
            "outlets": outlets or ["x"], "preds": preds or ["say"], "day": day}


def pages(db: str, s: dict, runs: int, queries: dict, rng: random.Random) -> dict[str, list[str]]:
    q = urllib.parse.quote
    out: dict[str, list[str]] = {
        "home": ["/"] * runs,
        "search": [f"/-/kb/search/{db}?q={q(s['entities'][i] + ' ' + rng.choice(s['preds']))}" for i in range(runs)],
        "claim_card": [f"/-/kb/claim/{db}/{i}" for i in s["claims"]],
        "article_page": [f"/-/kb/article/{db}/{i}" for i in s["articles"]],
        "entity_page_hub": [f"/-/kb/entity/{db}/{s['hub']}"] * runs,
        "entity_page": [f"/-/kb/entity/{db}/{i}" for i in s["entity_ids"]],
        "thread_page": [f"/-/kb/thread/{db}/{rng.choice(s['threads'])}" for _ in range(runs)],
        "claims_faceted": [f"/{db}/claims?_facet=modality&_facet=polarity&_facet=direct_quote&modality=future"
                           f"&speaker_entity_id={i}" for i in s["speaker_ids"]],
        "claims_view": [f"/{db}/claims_view?_facet=modality&_facet=polarity"] * runs,
    }
    params = {"entity": lambda i: s["entities"][i], "speaker": lambda i: s["speakers"][i],
              "outlet": lambda i: rng.choice(s["vias"]), "thread_id": lambda i: str(rng.choice(s["threads"])),
              "days": lambda i: "100000", "since": lambda i: "", "until": lambda i: "", "modality": lambda i: "",
              "polarity": lambda i: "", "quotes": lambda i: ""}
    for name, query in queries.items():
        needed = sorted(set(re.findall(r":(\w+)", query["sql"])))
        if name == "find_claims":   # a journalist's filter: an outlet, a month, an entity, promises
            out[name] = [f"/{db}/{name}?" + urllib.parse.urlencode(
                {"entity": s["entities"][i], "outlet": rng.choice(s["outlets"]), "since": "", "until": "",
                 "modality": "future", "polarity": "", "quotes": ""}) for i in range(runs)]
            continue
        out[name] = [f"/{db}/{name}?" + urllib.parse.urlencode({p: params.get(p, lambda i: "")(i) for p in needed})
                     for i in range(runs)]
    return out


def fetch(url: str) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            body = r.read().decode("utf-8", "replace")
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read().decode("utf-8", "replace"), e.code
    return (time.perf_counter() - t0) * 1000, status, body


def shows_rows(name: str, body: str) -> bool:
    """A page that answers: result rows, a claim, a text."""
    if name in ("claim_card",):
        return "kb-sentence" in body
    if name == "article_page":
        return "kb-article-text" in body
    if name.startswith("entity_page"):
        return "Claims by" in body and "<td>" in body
    if name == "thread_page":
        return "kb-thread-claims" in body
    if name in ("home", "search"):
        return "kb-claim-item" in body
    if name == "failures_open":
        return "<table" in body or "0 rows" in body
    return '<td class="col-' in body


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/kb-bench-1m.db"))
    ap.add_argument("--claims", type=int, default=1_000_000, help="size of the database to generate if --db is absent")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--ingest", type=Path, default=None, help="a folder `kb ingest` writes in while pages are timed")
    args = ap.parse_args()
    if not args.db.exists():
        print(f"generating {args.claims:,} claims into {args.db} ...", file=sys.stderr, flush=True)
        generate(args.db, args.claims, log=lambda *a, **k: print(*a, **k, file=sys.stderr, flush=True))
    s = samples(args.db, args.runs)
    meta = json.loads((Path(__file__).resolve().parent.parent / "metadata.json").read_text())
    queries = {k: v for k, v in meta["databases"]["kb"]["queries"].items() if k != "failures_open"}
    db = args.db.stem
    targets = pages(db, s, args.runs, queries, random.Random(2))
    port = free_port()
    server = subprocess.Popen([KB, "serve", "--db", str(args.db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    writer = None
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        if args.ingest:
            writer = subprocess.Popen([KB, "ingest", "--db", str(args.db), str(args.ingest)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = {}
        for name, urls in targets.items():
            times, empty, errors = [], 0, 0
            for url in urls:
                ms, status, body = fetch(base + url)
                times.append(ms)
                if status != 200:
                    errors += 1
                elif not shows_rows(name, body):
                    empty += 1
            results[name] = {"p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
                             "max_ms": round(max(times), 1), "errors": errors, "empty": empty}
            r = results[name]
            print(f"{name:24s} p50 {r['p50_ms']:8.1f} ms   p95 {r['p95_ms']:8.1f} ms   max {r['max_ms']:8.1f} ms"
                  f"   errors {errors}   empty {empty}", flush=True)
        writing = writer is not None and writer.poll() is None
    finally:
        if writer is not None and writer.poll() is None:
            writer.terminate()
            writer.wait()
        server.terminate()
        server.wait()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    claims = conn.execute("SELECT max(id) FROM claims").fetchone()[0]
    articles = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    conn.close()
    worst = max(r["p95_ms"] for r in results.values())
    print("BENCH " + json.dumps({"bench": "journalist_pages_http", "claims": claims, "articles": articles,
                                 "runs": args.runs, "ingest_writing": bool(args.ingest), "writer_still_running": writing,
                                 "worst_p95_ms": worst, "target_ms": TARGET_MS,
                                 "over_target": sorted(k for k, r in results.items() if r["p95_ms"] > TARGET_MS),
                                 "with_errors_or_empty": sorted(k for k, r in results.items()
                                                                if r["errors"] or r["empty"]),
                                 "results": results}))


if __name__ == "__main__":
    main()
