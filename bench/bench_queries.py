"""Time every canned query of metadata.json (and the entity page) on a large database.

The database comes from bench/gen_claims.py (1M claims by default; generated on first
use into /tmp, never into the repository). Each query is asked through Datasette
in-process (``Datasette(...).client``, JSON, up to 1,000 rows as a journalist's page
would), with parameters drawn from the data: entities by popularity (hubs and the long
tail alike), speakers, outlets. Prints p50 and p95 per query and, last, one
``BENCH {...}`` line.

    python bench/bench_queries.py [--db /tmp/kb-bench-1m.db] [--claims 1000000] [--runs 40]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from datasette.app import Datasette  # noqa: E402

from bench.gen_claims import generate  # noqa: E402
from kb import store  # noqa: E402
from kb.serving import metadata_for  # noqa: E402

TARGET_MS = 100


def parameters(path: Path, runs: int, seed: int = 1) -> dict[str, list[dict]]:
    """Parameter values per placeholder, half weighted by how often the entity occurs, half uniform."""
    rng = random.Random(seed)
    db = store.open_db(path)
    ents = [(r[0], r[1]) for r in db.execute(
        "SELECT e.name, count(*) FROM claim_entities ce JOIN entities e ON e.id = ce.entity_id "
        "WHERE ce.role IN ('subject', 'object') GROUP BY e.id")]
    spk = [(r[0], r[1]) for r in db.execute(
        "SELECT e.name, count(*) FROM claims c JOIN entities e ON e.id = c.speaker_entity_id GROUP BY e.id")]
    outlets = [r[0] for r in db.execute("SELECT DISTINCT via FROM claims WHERE via IS NOT NULL LIMIT 200")]
    threads = [r[0] for r in db.execute("SELECT id FROM claim_threads LIMIT 200")] or [1]
    ids = [r[0] for r in db.execute("SELECT id FROM entities")]
    db.conn.close()

    def pick(pairs: list[tuple[str, int]]) -> list[str]:
        names, weights = [p[0] for p in pairs], [p[1] for p in pairs]
        return (rng.choices(names, weights=weights, k=runs - runs // 2)
                + rng.choices(names, k=runs // 2)) if names else ["nobody"] * runs

    return {"entity": [{"entity": v} for v in pick(ents)], "speaker": [{"speaker": v} for v in pick(spk)],
            "outlet": [{"outlet": rng.choice(outlets) if outlets else "x"} for _ in range(runs)],
            "thread_id": [{"thread_id": str(rng.choice(threads))} for _ in range(runs)],
            "entity_page": [{"id": rng.choice(ids)} for _ in range(runs)]}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def run(path: Path, runs: int) -> dict:
    meta = metadata_for(path)
    name = path.stem
    ds = Datasette([str(path)], metadata=meta, settings={"sql_time_limit_ms": 20_000, "num_sql_threads": 1})
    await ds.invoke_startup()
    params = parameters(path, runs)
    results: dict[str, dict] = {}
    queries = meta["databases"][name]["queries"]
    targets = [(q, [p for p in ("entity", "speaker", "outlet", "thread_id") if f":{p}" in queries[q]["sql"]])
               for q in queries]
    targets.append(("entity_page", ["entity_page"]))
    for query, needs in targets:
        times, rows, errors = [], [], 0
        for i in range(runs):
            if query == "entity_page":
                url = f"/-/kb/entity/{name}/{params['entity_page'][i]['id']}.json"
            else:
                args = {k: v for n in needs for k, v in params[n][i].items()}
                url = f"/{name}/{query}.json?_shape=objects&" + urllib.parse.urlencode(args)
            t0 = time.perf_counter()
            response = await ds.client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                errors += 1
                continue
            data = response.json()
            rows.append(len(data.get("rows", [])) if "rows" in data else len(data.get("claims_about", [])))
        results[query] = {"p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
                          "max_ms": round(max(times), 1), "median_rows": statistics.median(rows) if rows else 0,
                          "errors": errors}
        print(f"{query:24s} p50 {results[query]['p50_ms']:8.1f} ms   p95 {results[query]['p95_ms']:8.1f} ms   "
              f"max {results[query]['max_ms']:8.1f} ms   rows~{results[query]['median_rows']}   errors {errors}",
              flush=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/kb-bench-1m.db"))
    ap.add_argument("--claims", type=int, default=1_000_000, help="size of the database to generate if --db is absent")
    ap.add_argument("--runs", type=int, default=40)
    args, _ = ap.parse_known_args()
    if not args.db.exists():
        print(f"generating {args.claims:,} claims into {args.db} ...", file=sys.stderr, flush=True)
        generate(args.db, args.claims, log=lambda *a, **k: print(*a, **k, file=sys.stderr, flush=True))
    store.open_db(args.db).conn.close()  # bring indexes and views up to schema.sql
    claims = store.open_db(args.db).execute("SELECT count(*) FROM claims").fetchone()[0]
    results = asyncio.run(run(args.db, args.runs))
    worst = max(r["p95_ms"] for r in results.values())
    print("BENCH " + json.dumps({"bench": "canned_queries", "claims": claims, "runs": args.runs,
                                 "worst_p95_ms": worst, "target_ms": TARGET_MS,
                                 "under_target": sum(r["p95_ms"] < TARGET_MS for r in results.values()),
                                 "queries": len(results), "results": results}))


if __name__ == "__main__":
    main()
