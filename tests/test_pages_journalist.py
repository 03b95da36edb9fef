"""The pages a journalist opens (issue 15): home, search, claim card, article page, 404s with
suggestions, every id linked, canned queries titled with their SQL hidden, every row as CSV.

Served in-process (Datasette(...).client) on the small database of test_datasette, and on
the demo built from the seed article (kb/data/demo) for the question the issue asks: who
claimed China would lift the block, when, and where is the sentence?
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.utils import to_css_class
from markupsafe import Markup

from kb import export, page_cells, page_csv, serving, store
from test_datasette import DB_NAME, METADATA, build_sample_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_db(tmp_path_factory.mktemp("pages") / f"{DB_NAME}.db")


def serve(path: Path, **settings) -> Datasette:
    return Datasette([str(path)], metadata=serving.metadata_for(path), settings=settings or None)


@pytest.fixture
async def ds(db_path: Path) -> Datasette:
    datasette = serve(db_path)
    await datasette.invoke_startup()
    return datasette


async def get(ds: Datasette, path: str, status: int = 200) -> str:
    response = await ds.client.get(path)
    assert response.status_code == status, (path, response.status_code, response.text[:400])
    return response.text


async def claim_id(ds: Datasette, words: str) -> int:
    rows = (await ds.client.get(f"/{DB_NAME}/claims.json?_shape=array&content__contains={words}")).json()
    return rows[0]["id"]


# --- the claim card and the article page ----------------------------------------------------

async def test_claim_card_marks_the_sentence_and_links_everything(ds: Datasette) -> None:
    cid = await claim_id(ds, "would soon lift")
    html = await get(ds, f"/-/kb/claim/{DB_NAME}/{cid}")
    assert '<mark class="kb-content">The Chinese government has told the South Korean embassy' in html
    assert '<strong class="kb-speaker">a Korean diplomat</strong>' in html
    assert '<u class="kb-cue">according to</u>' in html
    assert re.search(rf'href="/-/kb/entity/{DB_NAME}/\d+" class="kb-entity-link">Korean diplomat</a>', html)
    assert re.search(rf'href="/-/kb/entity/{DB_NAME}/\d+" class="kb-entity-link">Chinese government</a>', html)
    assert f'href="/-/kb/article/{DB_NAME}/1?claim={cid}#claim-{cid}"' in html
    assert re.search(rf'href="/-/kb/thread/{DB_NAME}/\d+">Chinese government – lift</a>', html)
    assert 'href="https://example.com/line-kakaotalk"' in html and "example.com" in html  # outlet: the host
    assert "2014-08-04" in html and "future" in html
    data = json.loads(await get(ds, f"/-/kb/claim/{DB_NAME}/{cid}.json"))
    assert data["claim"]["modality"] == "future" and data["article"]["id"] == 1
    assert [p["tag"] for p in data["claim"]["parts"]] == ["content", None, "cue", None, "speaker", None]


def test_claim_card_marks_both_pieces_of_a_quote_broken_by_its_cue() -> None:
    from kb.claim_page import sentence_parts
    text = 'Intro. "We won," she said. "They lost." Outro.'
    sentence = '"We won," she said. "They lost."'
    claim = {"sentence": sentence, "content": "We won … They lost", "content_start": 8, "content_end": 37,
             "speaker": "she", "speaker_start": 17, "speaker_end": 20, "cue": "said", "cue_start": 21, "cue_end": 25}
    marked = [(p["text"], p["tag"]) for p in sentence_parts(claim, text) if p["tag"]]
    assert marked == [("We won", "content"), ("she", "speaker"), ("said", "cue"), ("They lost", "content")]


async def test_article_page_shows_the_text_with_claims_in_place(ds: Datasette) -> None:
    cid = await claim_id(ds, "would soon lift")
    html = await get(ds, f"/-/kb/article/{DB_NAME}/1?claim={cid}")
    assert "<h1>Mainland restrictions to be lifted on Line and KakaoTalk" in html
    assert f'<span id="claim-{cid}" class="kb-anchor"></span>' in html
    focus = re.search(r'<a href="[^"]+" class="kb-in-text kb-focus"[^>]*><mark class="kb-content">([^<]+)', html)
    assert focus and focus.group(1).startswith("The Chinese government has told")
    assert html.count('class="kb-in-text') >= 3                      # every claim marked
    assert 'rel="noopener noreferrer" class="kb-original">Original article</a>' in html
    file_article = await get(ds, f"/-/kb/article/{DB_NAME}/2")
    assert "Source: later.txt" in file_article and "later.txt" in file_article   # a file: its name


async def test_row_pages_of_claims_and_articles_open_the_kb_pages(ds: Datasette) -> None:
    response = await ds.client.get(f"/{DB_NAME}/claims/1")
    assert response.status_code == 302 and response.headers["location"] == f"/-/kb/claim/{DB_NAME}/1"
    response = await ds.client.get(f"/{DB_NAME}/articles/2")
    assert response.headers["location"] == f"/-/kb/article/{DB_NAME}/2"
    assert (await ds.client.get(f"/{DB_NAME}/claims/1.json")).status_code == 200


async def test_every_id_links_to_its_page(ds: Datasette) -> None:
    view = await get(ds, f"/{DB_NAME}/claims_view")
    assert f'<a href="/-/kb/claim/{DB_NAME}/1" title="claim 1">1</a>' in view
    assert f'<a href="/-/kb/article/{DB_NAME}/1" title="article 1">1</a>' in view
    claims = await get(ds, f"/{DB_NAME}/claims")
    assert re.search(rf'<a href="/-/kb/entity/{DB_NAME}/\d+" title="entity \d+">Korean diplomat</a>', claims)
    assert "<td class=\"col-direct_quote type-int\">No</td>" in claims or ">No<" in claims   # Yes/No
    query = await get(ds, f"/{DB_NAME}/claims_about_entity?entity=Line")
    assert re.search(rf'href="/-/kb/claim/{DB_NAME}/\d+"', query) and re.search(rf'href="/-/kb/entity/{DB_NAME}/\d+"', query)
    articles = await get(ds, f"/{DB_NAME}/articles")
    assert '<time datetime="2014-08-04T13:29:00+08:00">2014-08-04 13:29</time>' in articles
    threads = await get(ds, f"/{DB_NAME}/claim_threads")
    assert not re.search(r'col-(first|last)_seen[^>]*>\d{4}-\d\d-\d\dT', threads)    # no raw ISO timestamps
    assert page_cells.DATE_COLUMNS >= {"first_seen", "last_seen", "published_at"}


# --- search and the home page -------------------------------------------------------------------

async def test_search_reads_entity_names_and_aliases(ds: Datasette) -> None:
    html = await get(ds, f"/-/kb/search/{DB_NAME}?q=China+lift")
    assert "<strong>China</strong> = Chinese government" in html
    assert "would soon lift the restrictions on Line and KakaoTalk" in html     # "the Chinese government"
    assert "have not lifted the blockage" in html
    assert "A Kakao spokesman" not in html
    data = json.loads(await get(ds, f"/-/kb/search/{DB_NAME}.json?q=kakao"))
    assert {"Kakao", "KakaoTalk"} <= {e["name"] for e in data["entities"]}
    assert json.loads(await get(ds, f"/-/kb/search/{DB_NAME}.json?q=Kakoa"))["suggestions"][0]["name"] == "Kakao"
    assert json.loads(await get(ds, f"/-/kb/search/{DB_NAME}.json?q=%22%29%28*"))["claims"] == []


async def test_home_page_starts_with_the_work(ds: Datasette) -> None:
    html = await get(ds, "/")
    assert f'action="/-/kb/search/{DB_NAME}"' in html and 'name="q"' in html
    assert html.index("Newest claims") < html.index("Open promises") < html.index("Most mentioned")
    assert "Line could resume service in China" in html               # the newest article's claim
    assert re.search(rf'href="/-/kb/entity/{DB_NAME}/\d+">Line</a>', html)
    assert "Overdue promises" in html and f'href="/{DB_NAME}/find_claims"' in html


async def test_plumbing_tables_are_hidden_but_reachable(ds: Datasette) -> None:
    page = await get(ds, f"/{DB_NAME}")
    listed = re.findall(rf'<h3><a href="/{DB_NAME}/(\w+)"', page)
    assert "claims" in listed and "articles" in listed
    assert not {"mentions", "co_mentions", "entity_aliases", "claim_entities"} & set(listed)
    assert "hidden table" in page
    await get(ds, f"/{DB_NAME}/mentions")


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/a/b/c/d", f"/{DB_NAME}/claims/1/x/y", "/-/kb/entity/news/abc", "/-/kb/claim/news/999999",
    "/-/kb/article/news/abc", f"/{DB_NAME}/claimz", "/nosuchdb", f"/{DB_NAME}/claims/999999.json",
    "/-/kb/entity/news?name=Kakoa", "/-/kb/search/nosuchdb?q=x", "/-/kb/home/nosuchdb",
])
async def test_unknown_paths_are_404_pages_with_suggestions(ds: Datasette, path: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code == 404, (path, response.status_code, response.text[:300])
    if path.endswith(".json"):
        assert response.json()["ok"] is False
        return
    assert "<h1>Not found</h1>" in response.text and '<footer class="ft">' in response.text  # the site layout
    assert 'class="kb-search"' in response.text


async def test_404_suggestions_name_what_is_close(ds: Datasette) -> None:
    assert f'href="/{DB_NAME}/claims">table claims</a>' in await get(ds, f"/{DB_NAME}/claimz", 404)
    assert ">Kakao (firm)</a>" in await get(ds, f"/-/kb/entity/{DB_NAME}?name=Kakoa", 404)
    assert f'href="/{DB_NAME}">database {DB_NAME}</a>' in await get(ds, "/newz", 404)


# --- canned queries and CSV ---------------------------------------------------------------------

async def test_canned_queries_show_their_title_and_hide_their_sql(ds: Datasette) -> None:
    html = await get(ds, f"/{DB_NAME}/forward_looking_claims")
    assert "<title>Promises and predictions – news</title>" in html
    assert "CROSS JOIN" not in html and "show</a>" in html
    assert f'href="/-/kb/csv/{DB_NAME}/forward_looking_claims.csv"' in html


async def test_find_claims_filters_by_outlet_dates_entity_modality_polarity_quotes(ds: Datasette) -> None:
    async def find(**params: str) -> list[str]:
        qs = "&".join(f"{k}={v}" for k, v in params.items())
        rows = (await ds.client.get(f"/{DB_NAME}/find_claims.json?_shape=array&{qs}")).json()
        return [r["content"] for r in rows]

    everything = await find()
    assert len(everything) == 4
    assert await find(outlet="later.txt") == ["Line could resume service in China if the restrictions are lifted"]
    assert len(await find(outlet="example.com")) == 3
    assert len(await find(since="2014-08-05")) == 1 and len(await find(until="2014-08-04")) == 3
    assert len(await find(entity="Kakao")) == 1 and len(await find(entity="the chinese authorities")) == 2
    assert len(await find(modality="future")) == 1 and len(await find(polarity="negative")) == 1
    assert len(await find(quotes="yes")) == 1 and len(await find(quotes="no")) == 3


async def test_query_csv_streams_every_row_past_the_row_limit(db_path: Path, tmp_path: Path) -> None:
    ds = serve(db_path, max_returned_rows=2)
    await ds.invoke_startup()
    shown = await get(ds, f"/{DB_NAME}/find_claims")
    assert "Only the first 2 rows are shown." in shown
    response = await ds.client.get(f"/-/kb/csv/{DB_NAME}/find_claims.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4
    assert {r["direct_quote"] for r in rows} == {"true", "false"}
    empty = await ds.client.get(f"/-/kb/csv/{DB_NAME}/find_claims.csv?entity=nobody")
    assert empty.text.splitlines() == [empty.text.splitlines()[0]] and empty.text.startswith("claim_id,date,outlet")
    assert (await ds.client.get(f"/-/kb/csv/{DB_NAME}/nosuchquery.csv")).status_code == 404


async def test_canned_queries_page_through_every_row(db_path: Path) -> None:
    """Every list query takes a page (1, 2, ...: page_csv.PAGE_CLAUSE): 100 rows a page in
    metadata.json, two here, with links to the previous and next page; the CSV has every row."""
    meta = serving.metadata_for(db_path)
    queries = meta["databases"][DB_NAME]["queries"]
    assert all(page_csv.is_paged(q["sql"]) and page_csv.page_rows(q["sql"]) == 100
               for name, q in queries.items()), "every canned query pages by 100"
    queries["claims_by_speaker"]["sql"] = queries["claims_by_speaker"]["sql"].replace(
        "LIMIT 100 OFFSET 100 *", "LIMIT 1 OFFSET 1 *")           # its page is chosen inside a CTE
    queries["find_claims"]["sql"] = queries["find_claims"]["sql"].replace("LIMIT 100 OFFSET 100 *",
                                                                          "LIMIT 2 OFFSET 2 *")
    ds = Datasette([str(db_path)], metadata=meta)
    await ds.invoke_startup()

    async def contents(path: str) -> list[str]:
        return [r["content"] for r in (await ds.client.get(path)).json()]

    every = await contents(f"/{DB_NAME}/find_claims.json?_shape=array&_size=max")
    pages = [await contents(f"/{DB_NAME}/find_claims.json?_shape=array&page={n}") for n in (1, 2, 3)]
    assert len(every) == 2 and pages[0] == every and len(pages[1]) == 2 and pages[2] == []
    assert set(pages[0]).isdisjoint(pages[1])
    first = await get(ds, f"/{DB_NAME}/find_claims?until=2099-01-01")
    assert "<strong>Rows 1–2</strong>, 2 a page" in first
    assert f'href="/{DB_NAME}/find_claims?until=2099-01-01&amp;page=2" rel="next">next 2 →</a>' in first
    assert 'rel="prev"' not in first
    second = await get(ds, f"/{DB_NAME}/find_claims?until=2099-01-01&page=2")
    assert "<strong>Rows 3–4</strong>" in second
    assert f'href="/{DB_NAME}/find_claims?until=2099-01-01" rel="prev">' in second
    assert f'href="/-/kb/csv/{DB_NAME}/find_claims.csv?until=2099-01-01"' in second  # every row, not this page
    assert len(list(csv.DictReader(io.StringIO(
        (await ds.client.get(f"/-/kb/csv/{DB_NAME}/find_claims.csv?page=2")).text)))) == 4
    by_diplomat = [await contents(f"/{DB_NAME}/claims_by_speaker.json?_shape=array&speaker=Korean+diplomat&page={n}")
                   for n in (1, 2, 3)]
    assert [len(p) for p in by_diplomat] == [1, 1, 0] and by_diplomat[0] != by_diplomat[1]
    rows = list(csv.DictReader(io.StringIO(
        (await ds.client.get(f"/-/kb/csv/{DB_NAME}/claims_by_speaker.csv?speaker=Korean+diplomat")).text)))
    assert [r["modality"] for r in rows] == ["future", "asserted"]


async def test_table_rows_are_datasettes_markup(ds: Datasette) -> None:
    """kb_table.html writes the rows in one pass (page_cells.table_body): Datasette's cells."""
    html = await get(ds, f"/{DB_NAME}/claims?direct_quote=1")
    assert re.search(r'<td class="col-modality type-str">asserted</td>', html)
    assert re.search(rf'<td class="col-id type-pk"><a href="/{DB_NAME}/claims/\d+">\d+</a></td>', html)
    assert '<td class="col-direct_quote type-int">Yes</td>' in html
    assert page_cells.table_body([[{"column": "a b", "value_type": "str", "value": "<x>"}]]) == (
        f'<tr><td class="col-{to_css_class("a b")} type-str">&lt;x&gt;</td></tr>\n')
    assert page_cells.query_body(["n"], [[1], [Markup("<b>2</b>")]]) == (
        '<tr><td class="col-n">1</td></tr>\n<tr><td class="col-n"><b>2</b></td></tr>\n')


def test_export_csv_is_one_value_per_cell(db_path: Path) -> None:
    db = store.open_db(db_path)
    out = io.StringIO()
    export.write(export.rows(db, "claims"), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    first = next(r for r in rows if "would soon lift" in r["content"])
    assert first["objects"] == "Line; KakaoTalk"
    assert first["speaker_entity"] == "Korean diplomat" and first["direct_quote"] == "false"
    assert not any(v.startswith(("[", "{")) for r in rows for v in r.values() if v)
    empty = io.StringIO()
    export.write(export.Records(iter(()), export.FIELDS["claims"]), "csv", empty)
    assert empty.getvalue().startswith("id,article_id,article_url")


# --- the seed, as the demo serves it ------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    serving.build_demo(str(path))
    return path


async def test_demo_search_china_lift_finds_the_governments_claim(demo_db: Path) -> None:
    ds = serve(demo_db)
    await ds.invoke_startup()
    data = json.loads(await get(ds, "/-/kb/search/demo.json?q=China+lift"))
    soon = [c for c in data["claims"] if "would soon lift" in c["content"]]
    assert soon and soon[0]["claimant_name"] == "China"
    card = await get(ds, f"/-/kb/claim/demo/{soon[0]['id']}")
    assert "would soon lift" in card and "Show this sentence in its article" in card
    assert METADATA["databases"]["kb"]["queries"]["find_claims"]["hide_sql"] is True
