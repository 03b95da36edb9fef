"""The entity graph, always derived from the database (networkx), and its exports.

Nodes are canonical entities (name, type, aliases, mention and article counts, first and
last seen). Edges, each with its evidence:

- ``co-mention``: two entities mentioned in the same articles (weight = shared articles);
- ``claim``: speaker -> subject and speaker -> each object of a claim (predicate,
  modality, polarity, date, article URL, the sentence);
- ``relation``: operates, owns, works_for, role, based_in ... (the sentence).

Every node has the same attributes, and so has every edge (strings, ints, never None or
lists), so that the GEXF and GraphML writers, Gephi and Cytoscape accept every export.
Dates are days (``YYYY-MM-DD``): the article's publication date, else its ingestion date.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any, Iterable

import networkx as nx
import sqlite_utils

from kb.curation import label as entity_label

FORMATS = ("gexf", "graphml", "json", "cytoscape", "csv")
EDGE_FIELDS = ("kind", "label", "weight", "role", "modality", "polarity", "claim_id", "articles",
               "article_url", "first_seen", "last_seen", "evidence")
#: edge columns the GEXF writer would take for itself (edge direction, edge id)
RESERVED = {"type": "edge_type", "id": "row_id"}
DAY = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"


class GraphError(Exception):
    """A graph request that cannot be answered (unknown entity, unknown format, bad filter)."""


@dataclass(frozen=True)
class Filters:
    """What to keep: a period of article dates (inclusive days), entity types, co-mention weight."""

    since: str | None = None
    until: str | None = None
    types: frozenset[str] | None = None
    min_weight: int = 1

    def where(self, day: str = DAY) -> tuple[str, list[str]]:
        """SQL condition (on an `articles a` alias) and parameters for the period."""
        parts, params = [], []
        if self.since:
            parts.append(f"{day} >= ?")
            params.append(self.since[:10])
        if self.until:
            parts.append(f"{day} <= ?")
            params.append(self.until[:10])
        return (" AND ".join(parts) or "1"), params


ENTITY_TYPES = ("government", "firm", "app", "official", "person", "media", "place", "group", "other")


def _day(value: str | None, option: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise GraphError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def parse_filters(since: str | None = None, until: str | None = None, types: str | Iterable[str] | None = None,
                  min_weight: int = 1) -> Filters:
    """Filters from command-line values, checked (dates, known types, weight >= 1)."""
    if isinstance(types, str):
        types = [t for t in (x.strip().lower() for x in types.split(",")) if t]
    wanted = frozenset(types or ())
    unknown = sorted(wanted - set(ENTITY_TYPES))
    if unknown:
        raise GraphError(f"unknown entity type(s) {', '.join(unknown)} (choose from {', '.join(ENTITY_TYPES)})")
    if min_weight < 1:
        raise GraphError("--min-weight must be 1 or more")
    return Filters(_day(since, "--since"), _day(until, "--until"), wanted or None, min_weight)


def _edge(kind: str, label: str, **fields: Any) -> dict:
    base = {"kind": kind, "label": label or "", "weight": 1, "role": "", "modality": "", "polarity": "",
            "claim_id": "", "articles": "", "article_url": "", "first_seen": "", "last_seen": "",
            "evidence": ""}
    base.update({k: ("" if v is None else v) for k, v in fields.items()})
    return base


def _add_nodes(g: nx.MultiDiGraph, db: sqlite_utils.Database, f: Filters) -> None:
    where, params = f.where()
    seen = {r["entity_id"]: r for r in db.query(
        f"SELECT m.entity_id, count(*) AS mentions, count(DISTINCT m.article_id) AS articles, "
        f"min({DAY}) AS first_seen, max({DAY}) AS last_seen FROM mentions m "
        f"JOIN articles a ON a.id = m.article_id WHERE {where} GROUP BY m.entity_id", params)}
    aliases: dict[int, list[str]] = {}
    for r in db.query("SELECT entity_id, alias FROM entity_aliases ORDER BY entity_id, alias"):
        aliases.setdefault(r["entity_id"], []).append(r["alias"])
    period = bool(f.since or f.until)
    for e in db.query("SELECT id, name, type, sense FROM entities ORDER BY id"):
        if f.types and e["type"] not in f.types:
            continue
        s = seen.get(e["id"], {})
        if period and not s:
            continue  # added back below if a claim or relation of the period involves it
        g.add_node(e["id"], label=entity_label(e["name"], e["sense"]), type=e["type"], aliases=aliases.get(e["id"], []),
                   mentions=s.get("mentions", 0), articles=s.get("articles", 0),
                   first_seen=s.get("first_seen") or "", last_seen=s.get("last_seen") or "")


def _add_co_mentions(g: nx.MultiDiGraph, db: sqlite_utils.Database, f: Filters) -> None:
    where, params = f.where()
    by_article: dict[int, tuple[str, set[int]]] = {}
    for m in db.query(f"SELECT DISTINCT m.article_id, m.entity_id, {DAY} AS day FROM mentions m "
                      f"JOIN articles a ON a.id = m.article_id WHERE {where}", params):
        if m["entity_id"] in g:
            by_article.setdefault(m["article_id"], (m["day"] or "", set()))[1].add(m["entity_id"])
    pairs: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for art, (day, ents) in by_article.items():
        for a, b in combinations(sorted(ents), 2):
            pairs.setdefault((a, b), []).append((day, art))
    for (a, b), arts in pairs.items():
        if len(arts) < f.min_weight:
            continue
        days = sorted(d for d, _ in arts if d)
        g.add_edge(a, b, key=f"co:{a}:{b}", **_edge(
            "co-mention", "co-mention", weight=len(arts), articles=sorted(x for _, x in arts),
            first_seen=days[0] if days else "", last_seen=days[-1] if days else ""))


def _entity_node(g: nx.MultiDiGraph, db: sqlite_utils.Database, eid: int, f: Filters) -> bool:
    """Make sure entity `eid` is a node (it may have no mention in the period); False if filtered out."""
    if eid in g:
        return True
    row = db.execute("SELECT name, type, sense FROM entities WHERE id = ?", [eid]).fetchone()
    if row is None or (f.types and row[1] not in f.types):
        return False
    aliases = [r[0] for r in db.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", [eid])]
    g.add_node(eid, label=entity_label(row[0], row[2]), type=row[1], aliases=aliases, mentions=0, articles=0,
               first_seen="", last_seen="")
    return True


def _add_claims_and_relations(g: nx.MultiDiGraph, db: sqlite_utils.Database, f: Filters) -> None:
    where, params = f.where()
    for c in db.query(
        f"SELECT c.id, c.speaker_entity_id AS s, ce.entity_id AS o, ce.role, c.predicate, c.modality, "
        f"c.polarity, c.sentence, c.article_id, {DAY} AS day, coalesce(a.url, a.source) AS url FROM claims c "
        "JOIN claim_entities ce ON ce.claim_id = c.id AND ce.role IN ('subject', 'object') "
        f"JOIN articles a ON a.id = c.article_id WHERE c.speaker_entity_id IS NOT NULL AND {where} "
        "ORDER BY c.id", params):
        if c["s"] == c["o"] or not (_entity_node(g, db, c["s"], f) and _entity_node(g, db, c["o"], f)):
            continue
        g.add_edge(c["s"], c["o"], key=f"claim:{c['id']}:{c['o']}:{c['role']}", **_edge(
            "claim", c["predicate"], role=c["role"], modality=c["modality"], polarity=c["polarity"],
            claim_id=str(c["id"]), articles=str(c["article_id"]), article_url=c["url"],
            first_seen=c["day"], last_seen=c["day"], evidence=c["sentence"]))
    for r in db.query(
        f"SELECT r.id, r.subject_id, r.predicate, r.object_id, r.evidence, r.article_id, {DAY} AS day, "
        f"coalesce(a.url, a.source) AS url FROM relations r JOIN articles a ON a.id = r.article_id "
        f"WHERE {where} ORDER BY r.id", params):
        if not (_entity_node(g, db, r["subject_id"], f) and _entity_node(g, db, r["object_id"], f)):
            continue
        g.add_edge(r["subject_id"], r["object_id"], key=f"rel:{r['id']}", **_edge(
            "relation", r["predicate"], articles=str(r["article_id"]), article_url=r["url"],
            first_seen=r["day"], last_seen=r["day"], evidence=r["evidence"]))


def build_graph(db: sqlite_utils.Database, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The entity graph of the database (or of the part that `filters` keeps)."""
    f = filters or Filters()
    if f.min_weight < 1:
        raise GraphError("--min-weight must be 1 or more")
    g = nx.MultiDiGraph(name="kb entity graph")
    _add_nodes(g, db, f)
    _add_co_mentions(g, db, f)
    _add_claims_and_relations(g, db, f)
    return g


def find_entity(g: nx.Graph, name: str) -> Any:
    """The node whose name (or, failing that, an alias) equals `name`, case-insensitively."""
    want = name.strip().casefold()
    for n, d in g.nodes(data=True):
        if str(d.get("label", "")).casefold() == want:
            return n
    for n, d in g.nodes(data=True):
        aliases = d.get("aliases") or []
        if isinstance(aliases, str):
            aliases = aliases.split(";")
        if want in (a.strip().casefold() for a in aliases):
            return n
    raise GraphError(f"no entity named {name!r}")


def neighbourhood(g: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entities within `depth` hops of the entity `name` (edges in either direction)."""
    if depth < 0:
        raise GraphError("--depth must be 0 or more")
    centre = find_entity(g, name)
    return g.subgraph(nx.ego_graph(g.to_undirected(as_view=True), centre, radius=depth).nodes).copy()


def _scalar(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (list, tuple, set, frozenset)):
        return "; ".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def flatten(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose every attribute is a scalar (writers reject None, lists and dicts)."""
    g = g.copy()
    for _, d in g.nodes(data=True):
        d.update({k: _scalar(v) for k, v in d.items()})
    for *_, d in g.edges(keys=True, data=True):
        d.update({k: _scalar(v) for k, v in d.items()})
    return g


def _with_times(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF dynamic mode: `start`/`end` from first and last seen, so Gephi's timeline works.

    Edge ids are the graph's keys ("claim:12:3:object", "rel:4", "co:1:2").
    """
    for *_, key, d in g.edges(keys=True, data=True):
        d.setdefault("id", str(key))
    for d in [n[-1] for n in g.nodes(data=True)] + [e[-1] for e in g.edges(keys=True, data=True)]:
        if d.get("first_seen"):
            d["start"] = d["first_seen"]
        if d.get("last_seen"):
            d["end"] = d["last_seen"]
    return g


def to_csv(g: nx.MultiDiGraph) -> str:
    """The edge list as CSV: source/target names and ids and types, then the edge fields."""
    buf = io.StringIO()
    fields = ["source", "target", "source_id", "target_id", "source_type", "target_type", *EDGE_FIELDS]
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for u, v, d in g.edges(data=True):
        w.writerow({"source": g.nodes[u].get("label", u), "target": g.nodes[v].get("label", v),
                    "source_id": u, "target_id": v, "source_type": g.nodes[u].get("type", ""),
                    "target_type": g.nodes[v].get("type", ""), **d})
    return buf.getvalue()


def export_graph(g: nx.MultiDiGraph, fmt: str) -> str:
    """Serialise the graph as GEXF (dynamic), GraphML, node-link JSON, Cytoscape.js JSON or CSV."""
    if fmt not in FORMATS:
        raise GraphError(f"unknown graph format {fmt!r} (choose from {', '.join(FORMATS)})")
    g = flatten(g)
    if fmt == "gexf":
        buf = io.BytesIO()
        nx.write_gexf(_with_times(g), buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False, indent=1)
    if fmt == "csv":
        return to_csv(g)
    for _, d in g.nodes(data=True):
        d["name"] = d.get("label", "")  # Cytoscape shows `name`
    return json.dumps(nx.cytoscape_data(g), ensure_ascii=False, indent=1)


def edges_to_graph(rows: Iterable[dict]) -> nx.MultiDiGraph:
    """A graph from any rows with `source` and `target` columns (other columns become edge data).

    Every edge gets every column seen (missing or null cells become "" or 0), so attribute
    types stay consistent for the writers; columns the GEXF writer reserves are renamed.
    """
    rows = [r for r in rows if r.get("source") is not None and r.get("target") is not None]
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in ("source", "target") and k not in columns]
    kinds: dict[str, type] = {}
    for c in columns:
        types = {type(r[c]) for r in rows if r.get(c) is not None}
        kinds[c] = types.pop() if len(types) == 1 and types <= {int, float, bool, str} else str
    g = nx.MultiDiGraph()
    for i, row in enumerate(rows):
        s, t = str(row["source"]), str(row["target"])
        g.add_node(s, label=s)
        g.add_node(t, label=t)
        data = {}
        for c in columns:
            v = row.get(c)
            name = RESERVED.get(c, c)
            if v is None:
                v = "" if kinds[c] is str else kinds[c]()
            data[name] = v if kinds[c] is not str else str(_scalar(v))
        g.add_edge(s, t, key=str(i), **data)
    return g
