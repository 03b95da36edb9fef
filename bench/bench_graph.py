"""Every graph export of the demo database, read back with networkx, against the database.

Builds the demo database (the bundled sample, offline) unless --db is given, exports the
entity graph in each format with `kb.graph`, reads each file back with networkx and
compares node and edge counts with counts taken from the database by plain SQL (not by
kb.graph): entities; co-mentioned pairs; claim edges (speaker -> subject/object, not to
itself); relations. Also times the build and each export. Last line: ``BENCH {...}``.

    python bench/bench_graph.py [--db demo.db]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kb import graph, serving, store  # noqa: E402

READERS = {
    "gexf": lambda t: nx.read_gexf(io.BytesIO(t.encode("utf-8"))),
    "graphml": lambda t: nx.read_graphml(io.BytesIO(t.encode("utf-8"))),
    "json": lambda t: nx.node_link_graph(json.loads(t), edges="links"),
    "cytoscape": lambda t: nx.cytoscape_graph(json.loads(t)),
    "csv": lambda t: nx.MultiDiGraph([(r["source_id"], r["target_id"], r) for r in csv.DictReader(io.StringIO(t))]),
}


def expected(db) -> dict[str, int]:
    """What the graph must hold, counted in SQL."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    co = one("SELECT count(*) FROM (SELECT DISTINCT m1.entity_id, m2.entity_id FROM mentions m1 "
             "JOIN mentions m2 ON m2.article_id = m1.article_id AND m2.entity_id > m1.entity_id)")
    claims = one("SELECT count(*) FROM claims c JOIN claim_entities ce ON ce.claim_id = c.id "
                 "AND ce.role IN ('subject', 'object') WHERE c.speaker_entity_id IS NOT NULL "
                 "AND ce.entity_id != c.speaker_entity_id")
    relations = one("SELECT count(*) FROM relations")
    isolated = one("SELECT count(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM mentions m1 JOIN mentions m2 "
                   "ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id WHERE m1.entity_id = e.id) "
                   "AND NOT EXISTS (SELECT 1 FROM relations r WHERE e.id IN (r.subject_id, r.object_id)) "
                   "AND NOT EXISTS (SELECT 1 FROM claims c JOIN claim_entities ce ON ce.claim_id = c.id "
                   "AND ce.role IN ('subject', 'object') WHERE ce.entity_id != c.speaker_entity_id "
                   "AND e.id IN (c.speaker_entity_id, ce.entity_id))")
    return {"nodes": one("SELECT count(*) FROM entities"), "edges": co + claims + relations,
            "co_mention": co, "claim": claims, "relation": relations, "isolated": isolated}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None)
    args, _ = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "demo.db"
        if args.db is None:
            serving.build_demo(str(path))
        db = store.open_db(path)
        want = expected(db)
        t0 = time.perf_counter()
        g = graph.build_graph(db)
        build_ms = (time.perf_counter() - t0) * 1000
        print(f"database: {want['nodes']} entities; {want['edges']} edges = {want['co_mention']} co-mention + "
              f"{want['claim']} claim + {want['relation']} relation; {want['isolated']} entities without edges")
        results, ok = {}, True
        for fmt, read in READERS.items():
            t0 = time.perf_counter()
            text = graph.export_graph(g, fmt)
            ms = (time.perf_counter() - t0) * 1000
            back = read(text)
            nodes_want = want["nodes"] - (want["isolated"] if fmt == "csv" else 0)
            match = back.number_of_nodes() == nodes_want and back.number_of_edges() == want["edges"]
            ok &= match
            results[fmt] = {"nodes": back.number_of_nodes(), "edges": back.number_of_edges(),
                            "nodes_expected": nodes_want, "edges_expected": want["edges"], "match": match,
                            "export_ms": round(ms, 1), "bytes": len(text.encode("utf-8"))}
            print(f"{fmt:10s} read back: {back.number_of_nodes():4d} nodes (db {nodes_want}), "
                  f"{back.number_of_edges():4d} edges (db {want['edges']})  {'OK' if match else 'MISMATCH'}  "
                  f"{ms:.1f} ms")
        print("BENCH " + json.dumps({"bench": "graph_exports", "build_ms": round(build_ms, 1), "all_match": ok,
                                     "database": want, "exports": results}))
        db.conn.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
