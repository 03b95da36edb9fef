"""Datasette face of kb: metadata, canned queries, graph renderers, cells and search.

A small database is built with kb.store from made-up analysis results (the contract's
fields), then served in-process with the project's metadata.json and plugin.
"""
from __future__ import annotations

import io
import re
import json
import sqlite3
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from datasette.app import Datasette

from ingest.article import Article, Failure
from kb import store

ROOT = Path(__file__).resolve().parent.parent
METADATA = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
SCHEMA_OBJECTS = [   # kb's tables and views (not SQLite's own, such as the planner's sqlite_stat1)
    r[0] for r in sqlite3.connect(":memory:").executescript(store.schema_sql()).execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite~_%' ESCAPE '~' "
        "ORDER BY name")
]
DB_NAME = "news"  # not "kb": the metadata key must be renamed, as the CLI does

TEXT1 = (
    "The Chinese government has told the South Korean embassy that it would soon lift the "
    "restrictions on Line and KakaoTalk, according to a Korean diplomat. "
    "\u201cThe Chinese authorities have not lifted the blockage of KakaoTalk and Line,\u201d the "
    "diplomat was quoted as saying by Yonhap. "
    "Kakao runs KakaoTalk and Naver runs Line. "
    "A Kakao spokesman said the problem involves blocked access to domains."
)
TEXT2 = "Naver said Line could resume service in China if the restrictions are lifted."
TEXT3 = "A short note about the weather, with nobody claiming anything."


def span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def mention(text: str, written: str, name: str, etype: str, after: int = 0) -> dict:
    s, e = span(text, written, after)
    return {"text": written, "start": s, "end": e, "type": etype, "name": name}


def claim(text: str, sentence: str, speaker: str | None, speaker_entity: dict | None, cue: str,
          content: str, subject: str | None, subject_entity: dict | None, predicate: str,
          objects: list[dict], modality: str, polarity: str, direct_quote: bool,
          via: str | None = None) -> dict:
    base = text.index(sentence)
    out: dict[str, Any] = {"sentence": sentence, "speaker": speaker, "speaker_entity": speaker_entity,
                           "cue": cue, "content": content, "via": via, "subject": subject,
                           "subject_entity": subject_entity, "predicate": predicate,
                           "predicate_text": predicate, "objects": objects, "modality": modality,
                           "polarity": polarity, "direct_quote": direct_quote}
    for key, part in (("speaker", speaker), ("cue", cue), ("content", content)):
        s, e = span(text, part, base) if part else (None, None)
        out[f"{key}_start"], out[f"{key}_end"] = s, e
    return out


GOV = {"name": "Chinese government", "type": "government"}
DIPLOMAT = {"name": "Korean diplomat", "type": "official"}
LINE = {"name": "Line", "type": "app"}
KAKAOTALK = {"name": "KakaoTalk", "type": "app"}
KAKAO = {"name": "Kakao", "type": "firm"}
NAVER = {"name": "Naver", "type": "firm"}


def analysis1() -> dict:
    t = TEXT1
    s1 = t[: t.index("diplomat.") + len("diplomat.")]
    s2 = t[t.index("\u201cThe"): t.index("Yonhap.") + len("Yonhap.")]
    s4 = t[t.index("A Kakao spokesman"):]
    entities = [
        mention(t, "The Chinese government", "Chinese government", "government"),
        mention(t, "South Korean embassy", "South Korean embassy", "government"),
        mention(t, "Line", "Line", "app"),
        mention(t, "KakaoTalk", "KakaoTalk", "app"),
        mention(t, "Korean diplomat", "Korean diplomat", "official", t.index("according")),
        mention(t, "The Chinese authorities", "Chinese government", "government"),
        mention(t, "Yonhap", "Yonhap", "media"),
        mention(t, "Kakao", "Kakao", "firm", t.index("Kakao runs")),
        mention(t, "Naver", "Naver", "firm"),
    ]
    claims = [
        claim(t, s1, "a Korean diplomat", DIPLOMAT, "according to",
              "The Chinese government has told the South Korean embassy that it would soon lift "
              "the restrictions on Line and KakaoTalk", "The Chinese government", GOV, "lift",
              [{"text": "Line", "entity": LINE}, {"text": "KakaoTalk", "entity": KAKAOTALK}],
              "future", "positive", False),
        claim(t, s2, "the diplomat", DIPLOMAT, "was quoted as saying",
              "The Chinese authorities have not lifted the blockage of KakaoTalk and Line",
              "The Chinese authorities", GOV, "lift",
              [{"text": "the blockage of KakaoTalk", "entity": KAKAOTALK}, {"text": "Line", "entity": LINE}],
              "asserted", "negative", True, via="Yonhap"),
        claim(t, s4, "A Kakao spokesman", KAKAO, "said", "the problem involves blocked access to domains",
              "the problem", None, "involve", [{"text": "blocked access to domains", "entity": None}],
              "asserted", "positive", False),
    ]
    relations = [
        {"subject": "Kakao", "predicate": "operates", "object": "KakaoTalk", "evidence": "Kakao runs KakaoTalk"},
        {"subject": "Naver", "predicate": "operates", "object": "Line", "evidence": "Naver runs Line"},
    ]
    return {"text": t, "entities": entities, "claims": claims, "relations": relations}


def analysis2() -> dict:
    t = TEXT2
    entities = [mention(t, "Naver", "Naver", "firm"), mention(t, "Line", "Line", "app"),
                mention(t, "China", "Chinese government", "government")]
    claims = [claim(t, t, "Naver", NAVER, "said",
                    "Line could resume service in China if the restrictions are lifted",
                    "Line", LINE, "resume", [{"text": "service", "entity": None}],
                    "conditional", "positive", False)]
    return {"text": t, "entities": entities, "claims": claims, "relations": []}


def build_sample_db(path: Path) -> Path:
    """Two articles with claims and relations, one without, two failures, one thread."""
    db = store.open_db(path)
    a1, _ = store.store_article(db, Article(
        source="https://example.com/line-kakaotalk", url="https://example.com/line-kakaotalk",
        title="Mainland restrictions to be lifted on Line and KakaoTalk, South Korean diplomat says",
        published_at="2014-08-04T13:29:00+08:00", text=TEXT1, kind="page", language="en"))
    a2, _ = store.store_article(db, Article(
        source="later.txt", title="Naver hopes Line returns", published_at="2014-09-01T09:00:00+08:00",
        text=TEXT2, language="en"))
    store.store_article(db, Article(source="weather.txt", title="Weather", text=TEXT3))
    store.save_analysis(db, a1, analysis1())
    store.save_analysis(db, a2, analysis2())
    store.record_failure(db, Failure("https://example.com/gone", "fetch", "HTTP 404"))
    store.record_failure(db, Failure("weather.txt", "parse", "no text"))
    store.resolve_failures(db, "weather.txt")
    with db.conn:
        tid = db["claim_threads"].insert({
            "key": "chinese government|lift", "label": "Chinese government – lift",
            "predicate": "lift", "status": "contradicted", "claims": 2,
            "first_seen": "2014-08-04", "last_seen": "2014-08-04"}).last_pk
        db.execute("UPDATE claims SET thread_id = ? WHERE predicate = 'lift'", [tid])
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("ds") / f"{DB_NAME}.db")


@pytest.fixture(scope="module")
def metadata(db_path: Path) -> dict:
    md = json.loads(json.dumps(METADATA))
    md["databases"] = {db_path.stem: md["databases"].pop("kb")}
    return md


@pytest.fixture
async def ds(db_path: Path, metadata: dict) -> Datasette:
    datasette = Datasette([str(db_path)], metadata=metadata)
    await datasette.invoke_startup()
    return datasette


async def get_json(ds: Datasette, path: str) -> Any:
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


async def query(ds: Datasette, name: str, **params: str) -> list[dict]:
    qs = "&".join(f"{k}={v}" for k, v in params.items())
    data = await get_json(ds, f"/{DB_NAME}/{name}.json?_shape=array&{qs}")
    return data


# --- metadata ---------------------------------------------------------------------------

def test_metadata_describes_every_table_and_view() -> None:
    tables = METADATA["databases"]["kb"]["tables"]
    for name in SCHEMA_OBJECTS:
        assert tables.get(name, {}).get("description"), name
    assert tables["entities"]["label_column"] == "name"
    assert tables["articles"]["label_column"] == "title"
    assert tables["claim_threads"]["label_column"] == "label"
    assert set(tables["claims"]["facets"]) >= {"modality", "polarity", "direct_quote"}


def test_every_canned_query_runs_on_a_fresh_schema() -> None:
    db = store.open_db(memory=True)
    for name, q in METADATA["databases"]["kb"]["queries"].items():
        params = {p: "x" for p in re.findall(r":(\w+)", q["sql"])}
        assert list(db.query(q["sql"], params)) == [], name


async def test_tables_listed_with_descriptions(ds: Datasette) -> None:
    data = await get_json(ds, f"/{DB_NAME}.json")
    by_name = {t["name"]: t for t in data["tables"]}
    for name in ("articles", "entities", "claims", "claim_threads", "failures", "relations"):
        assert name in by_name
        assert not by_name[name]["hidden"]
    assert by_name["articles_fts"]["hidden"] and by_name["claims_fts"]["hidden"]
    assert {v["name"] for v in data["views"]} >= {"claims_view", "edges"}
    html = (await ds.client.get(f"/{DB_NAME}/claims")).text
    assert METADATA["databases"]["kb"]["tables"]["claims"]["description"][:40] in html
    assert "kb: who claimed what" in (await ds.client.get("/")).text


async def test_entity_label_column_expands_foreign_keys(ds: Datasette) -> None:
    rows = await get_json(ds, f"/{DB_NAME}/claims.json?_shape=array&_labels=on&direct_quote=1")
    assert len(rows) == 1
    assert rows[0]["speaker_entity_id"]["label"] == "Korean diplomat"
    assert rows[0]["article_id"]["label"].startswith("Mainland restrictions")


async def test_facets_suggested_by_metadata(ds: Datasette) -> None:
    data = await get_json(ds, f"/{DB_NAME}/claims.json")
    facets = data["facet_results"]
    assert {"modality", "polarity", "direct_quote"} <= set(facets)
    modality = {r["value"]: r["count"] for r in facets["modality"]["results"]}
    assert modality == {"asserted": 2, "future": 1, "conditional": 1}


# --- canned queries -----------------------------------------------------------------------

async def test_claims_about_entity(ds: Datasette) -> None:
    rows = await query(ds, "claims_about_entity", entity="line")
    assert [r["content"][:30] for r in rows] == [
        "Line could resume service in C",  # newest first
        "The Chinese government has tol",
        "The Chinese authorities have n",
    ]
    assert rows[0]["speaker_name"] == "Naver" and rows[0]["entity_role"] == "subject"
    assert rows[1]["article_url"] == "https://example.com/line-kakaotalk"
    assert rows[2]["speaker_name"] == "Korean diplomat" and rows[2]["entity_role"] == "object"
    # an alias as written finds the canonical entity
    via_alias = await query(ds, "claims_about_entity", entity="The%20Chinese%20authorities")
    assert {r["predicate"] for r in via_alias} == {"lift"} and len(via_alias) == 2
    assert await query(ds, "claims_about_entity", entity="Nobody") == []


async def test_claims_by_speaker(ds: Datasette) -> None:
    rows = await query(ds, "claims_by_speaker", speaker="Korean%20diplomat")
    assert [r["modality"] for r in rows] == ["future", "asserted"]
    assert {r["subject_name"] for r in rows} == {"Chinese government"}
    as_written = await query(ds, "claims_by_speaker", speaker="a%20kakao%20spokesman")
    assert [r["content"] for r in as_written] == ["the problem involves blocked access to domains"]


async def test_forward_looking_claims(ds: Datasette) -> None:
    rows = await query(ds, "forward_looking_claims")
    assert [(r["modality"], r["speaker_name"]) for r in rows] == [
        ("conditional", "Naver"), ("future", "Korean diplomat")]
    assert rows[1]["thread_status"] == "contradicted"


async def test_denials(ds: Datasette) -> None:
    rows = await query(ds, "denials")
    assert len(rows) == 1
    assert rows[0]["content"].startswith("The Chinese authorities have not lifted")
    assert rows[0]["direct_quote"] == 1 and rows[0]["via"] == "Yonhap"


async def test_co_mentioned(ds: Datasette) -> None:
    rows = await query(ds, "co_mentioned", entity="Line")
    assert {r["source"] for r in rows} == {"Line"}
    weights = {r["target"]: r["weight"] for r in rows}
    assert weights == {"Chinese government": 2, "Naver": 2, "Kakao": 1, "KakaoTalk": 1,
                       "Korean diplomat": 1, "South Korean embassy": 1, "Yonhap": 1}
    assert [r["target"] for r in rows[:2]] == ["Chinese government", "Naver"]


async def test_claims_via_outlet(ds: Datasette) -> None:
    rows = await query(ds, "claims_via_outlet", outlet="yonhap")
    assert len(rows) == 1 and rows[0]["via_name"] == "Yonhap"
    assert await query(ds, "claims_via_outlet", outlet="Reuters") == []


async def test_failures_open(ds: Datasette) -> None:
    rows = await query(ds, "failures_open")
    assert [(r["source"], r["stage"]) for r in rows] == [("https://example.com/gone", "fetch")]


async def test_thread_timeline(ds: Datasette) -> None:
    rows = await query(ds, "thread_timeline", thread_id="1")
    assert [r["polarity"] for r in rows] == ["positive", "negative"]
    assert {r["thread_label"] for r in rows} == {"Chinese government – lift"}
    assert [(r["date"], r["outlet"], r["speaker_name"]) for r in rows] == [
        ("2014-08-04", "line-kakaotalk", "Korean diplomat")] * 2   # no outlet stored: the page's name


# --- graph renderers ---------------------------------------------------------------------

EDGE_NODES = {"Kakao", "KakaoTalk", "Naver", "Line", "Korean diplomat", "Chinese government"}
EDGE_COUNT = 9  # 2 relations + 3 + 3 claim edges of the diplomat + 1 of Naver


def graph_from(fmt: str, body: bytes) -> nx.Graph:
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(body))
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(body))
    return nx.cytoscape_graph(json.loads(body))


def export_graph_of(db_path: Path, fmt: str) -> bytes:
    """What `kb export graph --format FMT` writes for the database."""
    import sqlite_utils

    from kb import graph

    return graph.export_graph(graph.build_graph(sqlite_utils.Database(db_path)), fmt).encode("utf-8")


@pytest.mark.parametrize("ext,content_type", [
    ("gexf", "application/gexf+xml"), ("graphml", "application/graphml+xml"), ("cyjs", "application/json")])
async def test_edges_view_downloads_the_kb_export_graph(ds: Datasette, db_path: Path, ext: str,
                                                         content_type: str) -> None:
    """The edges view's graph download is the graph `kb export graph` writes: same nodes, edges, attributes."""
    response = await ds.client.get(f"/{DB_NAME}/edges.{ext}")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(content_type)
    assert f'filename="graph.{ext}"' in response.headers["content-disposition"]
    g = graph_from(ext, response.content)
    cli = graph_from(ext, export_graph_of(db_path, {"cyjs": "cytoscape"}.get(ext, ext)))
    assert set(g.nodes) == set(cli.nodes) and g.number_of_edges() == cli.number_of_edges()
    assert {n: d for n, d in g.nodes(data=True)} == {n: d for n, d in cli.nodes(data=True)}
    labels = {d.get("label") or d.get("name") for _, d in g.nodes(data=True)}
    assert EDGE_NODES - {"Korean diplomat", "Chinese government"} <= labels
    kinds = {d.get("kind") for *_, d in g.edges(data=True)}
    assert {"co-mention", "claim", "relation"} <= kinds, kinds


async def test_edges_graph_takes_the_export_options(ds: Datasette) -> None:
    response = await ds.client.get(f"/{DB_NAME}/edges.gexf?types=app,firm")
    g = nx.read_gexf(io.BytesIO(response.content))
    assert {d["type"] for _, d in g.nodes(data=True)} <= {"app", "firm"}
    bad = await ds.client.get(f"/{DB_NAME}/edges.gexf?types=planet")
    assert bad.status_code == 400 and "planet" in bad.text


async def test_filtered_edges_export_their_rows(ds: Datasette) -> None:
    """Filtered rows of the view (every page of them) are the graph."""
    filtered = await ds.client.get(f"/{DB_NAME}/edges.graphml?kind=relation&_size=1")
    g = nx.read_graphml(io.BytesIO(filtered.content))
    assert sorted(g.edges()) == [("Kakao", "KakaoTalk"), ("Naver", "Line")]
    claims = await ds.client.get(f"/{DB_NAME}/edges.gexf?kind__startswith=claim&_size=2")
    assert nx.read_gexf(io.BytesIO(claims.content)).number_of_edges() == EDGE_COUNT - 2


async def test_canned_query_exports_graph(ds: Datasette) -> None:
    response = await ds.client.get(f"/{DB_NAME}/co_mentioned.gexf?entity=Line")
    assert response.status_code == 200
    assert 'filename="co_mentioned.gexf"' in response.headers["content-disposition"]
    g = nx.read_gexf(io.BytesIO(response.content))
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 7
    weights = {g.nodes[v]["label"]: d["weight"] for _, v, d in g.edges(data=True)}
    assert weights["Naver"] == 2 and weights["Yonhap"] == 1


async def test_renderer_offered_only_with_source_and_target(ds: Datasette) -> None:
    edges_html = (await ds.client.get(f"/{DB_NAME}/edges")).text
    for ext in ("gexf", "graphml", "cyjs"):
        assert f"/{DB_NAME}/edges.{ext}" in edges_html
    entities_html = (await ds.client.get(f"/{DB_NAME}/entities")).text
    assert ".gexf" not in entities_html and ".cyjs" not in entities_html
    # articles has a `source` column but no `target`
    articles = await ds.client.get(f"/{DB_NAME}/articles.gexf")
    assert articles.status_code == 400 and "source" in articles.text
    sql_html = (await ds.client.get(f"/{DB_NAME}?sql=select+name+as+source,+type+as+target+from+entities")).text
    assert ".gexf?sql=" in sql_html


# --- cells and search ----------------------------------------------------------------------

async def test_objects_cell_is_readable(ds: Datasette) -> None:
    html = (await ds.client.get(f"/{DB_NAME}/claims?direct_quote=1")).text
    assert "the blockage of KakaoTalk → KakaoTalk (app); Line (app)" in html
    assert "[{&#34;text&#34;" not in html and '[{"text"' not in html


async def test_sentence_cell_highlights_claim(ds: Datasette) -> None:
    html = (await ds.client.get(f"/{DB_NAME}/claims_view?speaker_name=Naver")).text
    assert "<strong>Naver</strong> <u>said</u> <mark>Line could resume service" in html


def test_sentence_cell_marks_both_pieces_of_a_broken_quote() -> None:
    from kb.page_cells import highlight_sentence
    html = highlight_sentence('"We won," she said. "They lost."', "she", "said", "We won … They lost")
    assert str(html) == '&#34;<mark>We won</mark>,&#34; <strong>she</strong> <u>said</u>. &#34;<mark>They lost</mark>.&#34;'
    html = highlight_sentence("He said we will … win.", "He", "said", "we will … win")    # an ellipsis of its own
    assert str(html) == "<strong>He</strong> <u>said</u> <mark>we will … win</mark>."


async def test_full_text_search(ds: Datasette) -> None:
    arts = await get_json(ds, f"/{DB_NAME}/articles.json?_shape=array&_search=kakaotalk")
    assert [a["title"][:8] for a in arts] == ["Mainland"]
    assert await get_json(ds, f"/{DB_NAME}/articles.json?_shape=array&_search=weather") != []
    claims = await get_json(ds, f"/{DB_NAME}/claims.json?_shape=array&_search=blockage")
    assert [c["polarity"] for c in claims] == ["negative"]
    resume = await get_json(ds, f"/{DB_NAME}/claims_view.json?_shape=array&_search=resume")
    assert [c["speaker_name"] for c in resume] == ["Naver"]
    assert await get_json(ds, f"/{DB_NAME}/claims.json?_shape=array&_search=zeppelin") == []


async def test_every_html_page_renders(ds: Datasette) -> None:
    """Tables, views and canned queries as HTML (where render_cell runs) all answer 200."""
    params = "entity=Line&speaker=Naver&outlet=Yonhap&thread_id=1&days=7"
    paths = [f"/{DB_NAME}/{name}" for name in SCHEMA_OBJECTS]
    paths += [f"/{DB_NAME}/{name}?{params}" for name in METADATA["databases"]["kb"]["queries"]]
    for path in paths:
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
    html = (await ds.client.get(f"/{DB_NAME}/claims_about_entity?entity=Line")).text
    assert "<mark>The Chinese authorities have not lifted" in html


# --- the entity page -------------------------------------------------------------------------

async def entity_id(ds: Datasette, name: str) -> int:
    response = await ds.client.get(f"/-/kb/entity/{DB_NAME}?name={name}")
    assert response.status_code == 302, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


async def test_entity_page_shows_aliases_claims_relations_timeline(ds: Datasette) -> None:
    gov = await entity_id(ds, "the%20chinese%20authorities")  # an alias finds the entity
    html = (await ds.client.get(f"/-/kb/entity/{DB_NAME}/{gov}")).text
    assert "<h1>Chinese government" in html
    for alias in ("The Chinese government", "The Chinese authorities", "China"):
        assert f'<span class="kb-alias">{alias}</span>' in html
    assert "Line could resume service in China" not in html.split("Claims about")[0].split("Claims by")[-1]
    about = html.split("<h2>Claims about Chinese government</h2>")[1].split("<h2>Relations")[0]
    assert about.count("<tr class=") == 2 and "via Yonhap" in about
    assert "<td>2014-08-04</td><td>1</td><td>0</td><td>2</td>" in html  # timeline: a day, its counts
    assert "<td>2014-09-01</td><td>1</td><td>0</td><td>0</td>" in html
    assert 'href="https://example.com/line-kakaotalk"' in html
    assert "/-/kb/vis-network.min.js" in html and "cdn" not in html.lower()
    naver = await entity_id(ds, "Naver")
    naver_html = (await ds.client.get(f"/-/kb/entity/{DB_NAME}/{naver}")).text
    assert "Naver runs Line" in naver_html and "<td>operates</td>" in naver_html
    by = naver_html.split("<h2>Claims by Naver</h2>")[1].split("<h2>")[0]
    assert "Line could resume service in China" in by and "conditional" in by


async def test_entity_json_has_the_neighbourhood_graph(ds: Datasette) -> None:
    line = await entity_id(ds, "Line")
    data = await get_json(ds, f"/-/kb/entity/{DB_NAME}/{line}.json")
    assert data["entity"] == {"id": line, "name": "Line", "type": "app", "sense": "", "mentions": 2, "articles": 2,
                              "first_seen": "2014-08-04", "last_seen": "2014-09-01"}
    assert [c["speaker_name"] for c in data["claims_about"]] == ["Naver", "Korean diplomat", "Korean diplomat"]
    names = {n["id"]: n["name"] for n in data["graph"]["nodes"]}
    assert set(names.values()) == {"Line", "Chinese government", "South Korean embassy", "KakaoTalk",
                                   "Korean diplomat", "Yonhap", "Kakao", "Naver"}
    kinds = {(names[e["from"]], names[e["to"]], e["kind"]) for e in data["graph"]["edges"]}
    assert {("Naver", "Line", "relation"), ("Naver", "Line", "claim"), ("Korean diplomat", "Line", "claim"),
            ("Line", "Naver", "co-mention")} <= kinds
    assert [n["centre"] for n in data["graph"]["nodes"] if n["name"] == "Line"] == [True]
    assert (await ds.client.get(f"/-/kb/entity/{DB_NAME}/99999.json")).status_code == 404
    assert (await ds.client.get(f"/-/kb/entity/{DB_NAME}/99999")).status_code == 404
    assert (await ds.client.get("/-/kb/entity/nosuchdb/1")).status_code == 404
    assert (await ds.client.get(f"/-/kb/entity/{DB_NAME}?name=Atlantis")).status_code == 404


async def test_graph_library_and_page_assets_are_served_locally(ds: Datasette) -> None:
    vis = await ds.client.get("/-/kb/vis-network.min.js")
    assert vis.status_code == 200 and "vis-network" in vis.text[:300]
    js = await ds.client.get("/-/kb/static/entity.js")
    assert js.status_code == 200 and "textContent" in js.text and "innerHTML" not in js.text
    assert (await ds.client.get("/-/kb/static/entity.css")).status_code == 200
    assert (await ds.client.get("/-/kb/static/../datasette_plugin.py")).status_code == 404


async def test_entities_table_links_to_entity_pages(ds: Datasette) -> None:
    naver = await entity_id(ds, "Naver")
    html = (await ds.client.get(f"/{DB_NAME}/entities?type=firm")).text
    assert f'<a href="/-/kb/entity/{DB_NAME}/{naver}" title="entity {naver}">Naver</a>' in html


async def test_nothing_can_be_written(ds: Datasette) -> None:
    before = (await get_json(ds, f"/{DB_NAME}/claims.json?_shape=array"))
    response = await ds.client.get(f"/{DB_NAME}.json?sql=delete+from+claims")
    assert response.status_code == 400
    assert not any(q.get("write") for q in METADATA["databases"]["kb"]["queries"].values())
    assert await get_json(ds, f"/{DB_NAME}/claims.json?_shape=array") == before


@pytest.fixture
async def hostile(tmp_path: Path) -> Datasette:
    """An article whose text, names and URL try to inject HTML and script."""
    evil = '<script>alert("x")</script>'
    text = f'{evil} Corp said that <img src=x onerror=alert(1)> is fine.'
    path = tmp_path / "evil.db"
    db = store.open_db(path)
    aid, _ = store.store_article(db, Article(source="javascript:alert(1)", url="javascript:alert(1)",
                                             title=f"T {evil}", text=text, published_at="2020-01-01"))
    ent = {"name": f"{evil} Corp", "type": "firm"}
    store.save_analysis(db, aid, {"text": text, "entities": [
        {"text": f"{evil} Corp", "start": 0, "end": len(evil) + 5, "type": "firm", "name": ent["name"]}],
        "claims": [claim(text, text, f"{evil} Corp", ent, "said", "<img src=x onerror=alert(1)> is fine",
                         None, None, "be", [], "asserted", "positive", False)],
        "relations": []})
    db.conn.close()
    datasette = Datasette([str(path)])
    await datasette.invoke_startup()
    return datasette


async def test_entity_page_escapes_everything_from_articles(hostile: Datasette) -> None:
    html = (await hostile.client.get("/-/kb/entity/evil/1")).text
    assert "<h1>&lt;script&gt;alert(" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;img src=x onerror=alert(1)&gt; is fine" in html
