"""The entity graph: nodes, edges with evidence, filters, and every export read back by networkx."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kb import graph, store
from kb.cli import cli
from test_datasette import build_sample_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("graph") / "g.db")


@pytest.fixture(scope="module")
def g(db_path: Path) -> nx.MultiDiGraph:
    return graph.build_graph(store.open_db(db_path))


def node(g: nx.MultiDiGraph, name: str) -> tuple[int, dict]:
    return next((n, d) for n, d in g.nodes(data=True) if d["label"] == name)


def edges(g: nx.MultiDiGraph, kind: str) -> list[tuple[str, str, dict]]:
    return sorted(((g.nodes[u]["label"], g.nodes[v]["label"], d) for u, v, d in g.edges(data=True)
                   if d["kind"] == kind), key=lambda e: (e[0], e[1], e[2]["label"], e[2]["claim_id"]))


def test_nodes_carry_type_aliases_counts_and_dates(g: nx.MultiDiGraph, db_path: Path) -> None:
    assert g.number_of_nodes() == store.open_db(db_path)["entities"].count
    _, gov = node(g, "Chinese government")
    assert gov["type"] == "government"
    assert {"The Chinese government", "The Chinese authorities", "China"} <= set(gov["aliases"])
    assert (gov["mentions"], gov["articles"]) == (3, 2)
    assert (gov["first_seen"], gov["last_seen"]) == ("2014-08-04", "2014-09-01")
    _, yonhap = node(g, "Yonhap")
    assert (yonhap["mentions"], yonhap["first_seen"], yonhap["last_seen"]) == (1, "2014-08-04", "2014-08-04")


def test_edges_have_evidence(g: nx.MultiDiGraph) -> None:
    co = {(s, t): d for s, t, d in edges(g, "co-mention")}
    line_naver = co.get(("Line", "Naver")) or co[("Naver", "Line")]
    assert line_naver["weight"] == 2 and len(line_naver["articles"]) == 2
    assert (line_naver["first_seen"], line_naver["last_seen"]) == ("2014-08-04", "2014-09-01")
    assert all(d["weight"] == 1 for (s, t), d in co.items() if "Yonhap" in (s, t))

    claims = edges(g, "claim")
    pairs = [(s, t, d["label"], d["role"]) for s, t, d in claims]
    assert ("Korean diplomat", "Chinese government", "lift", "subject") in pairs
    assert ("Korean diplomat", "Line", "lift", "object") in pairs
    assert ("Naver", "Line", "resume", "subject") in pairs
    assert len(claims) == 7  # 3 + 3 edges of the diplomat's two claims, 1 of Naver's
    denial = next(d for s, t, d in claims if d["polarity"] == "negative" and t == "KakaoTalk")
    assert denial["modality"] == "asserted" and denial["first_seen"] == "2014-08-04"
    assert denial["article_url"] == "https://example.com/line-kakaotalk"
    assert denial["evidence"].startswith("\u201cThe Chinese authorities have not lifted")

    rels = [(s, t, d["label"], d["evidence"]) for s, t, d in edges(g, "relation")]
    assert rels == [("Kakao", "KakaoTalk", "operates", "Kakao runs KakaoTalk"),
                    ("Naver", "Line", "operates", "Naver runs Line")]


def test_every_edge_has_the_same_scalar_attributes(g: nx.MultiDiGraph) -> None:
    flat = graph.flatten(g)
    for _, _, d in flat.edges(data=True):
        assert set(d) == set(graph.EDGE_FIELDS)
        assert all(isinstance(v, (str, int)) for v in d.values()), d
    for _, d in flat.nodes(data=True):
        assert all(isinstance(v, (str, int)) for v in d.values()), d


def read_back(fmt: str, text: str) -> nx.Graph:
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    if fmt == "json":
        return nx.node_link_graph(json.loads(text), edges="links")
    if fmt == "cytoscape":
        return nx.cytoscape_graph(json.loads(text))
    out = nx.MultiDiGraph()
    for row in csv.DictReader(io.StringIO(text)):
        out.add_edge(row["source_id"], row["target_id"], **row)
    return out


@pytest.mark.parametrize("fmt", graph.FORMATS)
def test_every_format_reads_back(g: nx.MultiDiGraph, fmt: str) -> None:
    back = read_back(fmt, graph.export_graph(g, fmt))
    assert back.number_of_edges() == g.number_of_edges()
    if fmt == "csv":  # an edge list: entities without edges are not in it
        assert back.number_of_nodes() == g.number_of_nodes() - nx.number_of_isolates(g)
    else:
        assert back.number_of_nodes() == g.number_of_nodes()
    kinds = sorted(d["kind"] for *_, d in back.edges(data=True))
    assert kinds == sorted(d["kind"] for *_, d in g.edges(data=True))


def test_gexf_is_dynamic_with_start_and_end(g: nx.MultiDiGraph) -> None:
    text = graph.export_graph(g, "gexf")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    back = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    gov = next(d for _, d in back.nodes(data=True) if d["label"] == "Chinese government")
    assert (gov["start"], gov["end"]) == ("2014-08-04", "2014-09-01")
    assert "The Chinese authorities" in gov["aliases"]  # the list, flattened
    resume = next(d for *_, d in back.edges(data=True) if d.get("label") == "resume")
    assert (resume["start"], resume["end"]) == ("2014-09-01", "2014-09-01")


def test_filters_period_types_and_weight(db_path: Path) -> None:
    db = store.open_db(db_path)
    later = graph.build_graph(db, graph.parse_filters(since="2014-09-01"))
    assert {d["label"] for _, d in later.nodes(data=True)} == {"Naver", "Line", "Chinese government"}
    assert sorted(d["kind"] for *_, d in later.edges(data=True)) == ["claim", "co-mention", "co-mention", "co-mention"]
    _, naver = node(later, "Naver")
    assert (naver["mentions"], naver["first_seen"]) == (1, "2014-09-01")

    earlier = graph.build_graph(db, graph.parse_filters(until="2014-08-31"))
    assert "resume" not in {d["label"] for *_, d in earlier.edges(data=True)}

    apps = graph.build_graph(db, graph.parse_filters(types="app, firm"))
    assert {d["type"] for _, d in apps.nodes(data=True)} == {"app", "firm"}
    assert {(apps.nodes[u]["label"], apps.nodes[v]["label"]) for u, v, d in apps.edges(data=True)
            if d["kind"] != "co-mention"} == {("Kakao", "KakaoTalk"), ("Naver", "Line")}

    strong = graph.build_graph(db, graph.parse_filters(min_weight=2))
    co = {frozenset((strong.nodes[u]["label"], strong.nodes[v]["label"]))
          for u, v, d in strong.edges(data=True) if d["kind"] == "co-mention"}
    assert co == {frozenset(p) for p in (("Line", "Naver"), ("Line", "Chinese government"),
                                         ("Naver", "Chinese government"))}
    assert sum(d["kind"] == "claim" for *_, d in strong.edges(data=True)) == 7  # claims are kept


@pytest.mark.parametrize("kwargs,message", [
    ({"since": "last week"}, "--since"), ({"types": "app,planet"}, "planet"), ({"min_weight": 0}, "--min-weight")])
def test_bad_filters_are_one_line_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(graph.GraphError, match=message):
        graph.parse_filters(**kwargs)


def test_neighbourhood(g: nx.MultiDiGraph) -> None:
    near = graph.neighbourhood(g, "kakao", depth=1)
    names = {d["label"] for _, d in near.nodes(data=True)}
    assert {"Kakao", "KakaoTalk", "Chinese government"} <= names and "Naver" in names
    only = graph.neighbourhood(g, "The Chinese authorities", depth=0)  # an alias finds the entity
    assert [d["label"] for _, d in only.nodes(data=True)] == ["Chinese government"]
    with pytest.raises(graph.GraphError, match="no entity named"):
        graph.neighbourhood(g, "Atlantis")


def test_cli_csv_and_filters(db_path: Path, tmp_path: Path) -> None:
    run = CliRunner().invoke
    out = tmp_path / "g.csv"
    result = run(cli, ["export", "graph", "--format", "csv", "--since", "2014-09-01", "--types", "firm,app",
                       "-o", str(out), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["source"], r["target"], r["kind"], r["label"]) for r in rows] in (
        [("Line", "Naver", "co-mention", "co-mention"), ("Naver", "Line", "claim", "resume")],
        [("Naver", "Line", "co-mention", "co-mention"), ("Naver", "Line", "claim", "resume")])
    bad = run(cli, ["export", "graph", "--types", "planet", "--db", str(db_path)])
    assert bad.exit_code == 1 and "unknown entity type(s) planet" in bad.output
    assert "Traceback" not in bad.output


def test_edges_to_graph_flattens_any_rows() -> None:
    rows = [{"source": "A", "target": "B", "type": "x", "id": 1, "n": 2, "tags": ["p", "q"]},
            {"source": "B", "target": "C", "type": None, "id": 2, "n": None, "tags": None},
            {"source": None, "target": "C"}]
    g = graph.edges_to_graph(rows)
    assert g.number_of_edges() == 2
    for fmt in ("gexf", "graphml"):
        back = read_back(fmt, graph.export_graph(g, fmt))
        assert back.number_of_edges() == 2
        data = sorted((d for *_, d in back.edges(data=True)), key=lambda d: d["row_id"])
        assert data[0]["edge_type"] == "x" and data[0]["tags"] == "p; q" and data[1]["n"] == 0
