"""The entity graph, always derived from the database (networkx), and its exports."""
from __future__ import annotations

import io
import json
from itertools import combinations
from typing import Iterable

import networkx as nx
import sqlite_utils

FORMATS = ("gexf", "graphml", "json", "cytoscape")


class GraphError(Exception):
    """A graph request that cannot be answered (unknown entity, unknown format)."""


def build_graph(db: sqlite_utils.Database) -> nx.MultiDiGraph:
    """Nodes: canonical entities. Edges: co-mention, claim (speaker -> subject/object), relation."""
    g = nx.MultiDiGraph()
    for e in db.query(
        "SELECT e.id, e.name, e.type, count(m.id) AS mentions, count(DISTINCT m.article_id) AS articles, "
        "(SELECT group_concat(alias, '; ') FROM entity_aliases WHERE entity_id = e.id) AS aliases "
        "FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY e.id"
    ):
        g.add_node(e["id"], label=e["name"], type=e["type"], mentions=e["mentions"],
                   articles=e["articles"], aliases=e["aliases"] or "")
    by_article: dict[int, set[int]] = {}
    for m in db.query("SELECT DISTINCT article_id, entity_id FROM mentions"):
        by_article.setdefault(m["article_id"], set()).add(m["entity_id"])
    weights: dict[tuple[int, int], list[int]] = {}
    for art, ents in by_article.items():
        for a, b in combinations(sorted(ents), 2):
            weights.setdefault((a, b), []).append(art)
    for (a, b), arts in weights.items():
        g.add_edge(a, b, key=f"co:{a}:{b}", kind="co-mention", label="co-mention", weight=len(arts),
                   articles=" ".join(map(str, arts)))
    for c in db.query(
        "SELECT c.id, c.speaker_entity_id AS s, ce.entity_id AS o, ce.role, c.predicate, c.modality, "
        "c.polarity, c.sentence, a.published_at, a.url, a.source FROM claims c "
        "JOIN claim_entities ce ON ce.claim_id = c.id AND ce.role IN ('subject', 'object') "
        "JOIN articles a ON a.id = c.article_id WHERE c.speaker_entity_id IS NOT NULL"
    ):
        if c["s"] != c["o"]:
            g.add_edge(c["s"], c["o"], key=f"claim:{c['id']}:{c['o']}:{c['role']}", kind="claim",
                       label=c["predicate"] or "", role=c["role"], modality=c["modality"] or "",
                       polarity=c["polarity"] or "", weight=1, date=c["published_at"] or "",
                       article_url=c["url"] or c["source"] or "", evidence=c["sentence"] or "")
    for r in db.query("SELECT id, subject_id, predicate, object_id, evidence, article_id FROM relations"):
        g.add_edge(r["subject_id"], r["object_id"], key=f"rel:{r['id']}", kind="relation",
                   label=r["predicate"], weight=1, evidence=r["evidence"] or "", articles=str(r["article_id"]))
    return g


def find_entity(g: nx.MultiDiGraph, name: str) -> int:
    """The node whose name (or, failing that, an alias) equals `name`, case-insensitively."""
    want = name.strip().casefold()
    for n, d in g.nodes(data=True):
        if d["label"].casefold() == want:
            return n
    for n, d in g.nodes(data=True):
        if want in (a.strip().casefold() for a in d["aliases"].split(";")):
            return n
    raise GraphError(f"no entity named {name!r}")


def neighbourhood(g: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    centre = find_entity(g, name)
    return g.subgraph(nx.ego_graph(g.to_undirected(as_view=True), centre, radius=depth).nodes).copy()


def _clean(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Writers reject None and lists: make every attribute a scalar."""
    for _, d in g.nodes(data=True):
        for k, v in list(d.items()):
            d[k] = "" if v is None else ("; ".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v)
    for *_, d in g.edges(keys=True, data=True):
        for k, v in list(d.items()):
            d[k] = "" if v is None else ("; ".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v)
    return g


def export_graph(g: nx.MultiDiGraph, fmt: str) -> str:
    """Serialise the graph as GEXF, GraphML, node-link JSON or Cytoscape.js JSON."""
    g = _clean(g.copy())
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(g, buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False, indent=1)
    if fmt == "cytoscape":
        data = nx.cytoscape_data(g, name="label", ident="id")
        return json.dumps(data, ensure_ascii=False, indent=1)
    raise GraphError(f"unknown graph format {fmt!r} (choose from {', '.join(FORMATS)})")


def edges_to_graph(rows: Iterable[dict]) -> nx.MultiDiGraph:
    """A graph from any rows with `source` and `target` columns (other columns become edge data)."""
    g = nx.MultiDiGraph()
    for i, row in enumerate(rows):
        s, t = row.get("source"), row.get("target")
        if s is None or t is None:
            continue
        g.add_node(str(s), label=str(s))
        g.add_node(str(t), label=str(t))
        data = {k: v for k, v in row.items() if k not in ("source", "target") and v is not None}
        g.add_edge(str(s), str(t), key=str(i), **data)
    return g
