"""Claim threads in Datasette: the thread page, links to it, the claim_threads table and the
canned queries about promises.

A small story is stored with kb.store from made-up analysis results (the contract's
fields and the proposition fields tracking compares) and grouped with kb.track, then
served in-process with the project's metadata.json and plugin:

* Reuters, 2015-06-03: Tsipras says Greece will pay the IMF by June 5, and will submit its
  reform list to the European Commission by June 10 (never reported done: overdue);
* AP, 2015-06-04: Gerry Rice says Greece will pay on June 30 (the date moved), reprinted
  word for word by Yahoo News (one independent source with AP);
* The Guardian, 2015-06-30: Tsipras says Greece will not pay (contradicted; he reversed);
* BBC, 2015-07-01: the article itself reports the payment missed, and says the Eurogroup
  will meet Greece on July 5 and that Greece will ask for a new bailout (two open promises).
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from ingest.article import Article
from kb import store
from kb.track import update_threads

ROOT = Path(__file__).resolve().parent.parent
METADATA = json.loads((ROOT / "metadata.json").read_text(encoding="utf-8"))
DB = "news"
NOW = "2015-07-02"

GREECE = {"name": "Greece", "type": "government"}
IMF = {"name": "International Monetary Fund", "type": "group"}
EC = {"name": "European Commission", "type": "group"}
EUROGROUP = {"name": "Eurogroup", "type": "group"}
TSIPRAS = {"name": "Alexis Tsipras", "type": "official"}
RICE = {"name": "Gerry Rice", "type": "official"}

T1 = ("Greek Prime Minister Alexis Tsipras said Greece will pay the IMF by Friday. "
      "Tsipras also said Greece will submit its reform list to the European Commission by June 10.")
T2 = "\u201cGreece will pay the Fund on June 30,\u201d IMF spokesman Gerry Rice said on Thursday."
T4 = "Alexis Tsipras said Greece will not pay the IMF today."
T5 = ("Greece has missed its payment to the IMF. The Eurogroup will meet Greece on Sunday. "
      "Greece will ask the European Commission for a new bailout.")
EVIL_TITLE = 'Greece misses IMF payment <script>alert("x")</script>'


def claim(text: str, sentence: str, content: str, speaker: str | None, speaker_entity: dict | None,
          event: str, modality: str = "future", polarity: str = "positive", subject: dict = GREECE,
          obj: dict = IMF, obj_text: str = "the IMF", **extra: Any) -> dict:
    """A claim as kb.nlp gives it: contract fields, offsets into `text`, the proposition."""
    base = text.index(sentence)
    out = {"sentence": sentence, "speaker": speaker, "speaker_entity": speaker_entity,
           "cue": "said" if speaker else "will", "content": content, "via": None,
           "subject": subject["name"], "subject_entity": subject, "predicate": event, "predicate_text": event,
           "objects": [{"text": obj_text, "entity": obj}], "modality": modality, "polarity": polarity,
           "direct_quote": False, "event": event, "event_polarity": polarity, "realized": modality == "asserted",
           "participants": [{"text": subject["name"], "entity": subject, "role": "s"},
                            {"text": obj_text, "entity": obj, "role": "o"}], "quantities": []}
    for key, part in (("speaker", speaker), ("content", content)):
        start = text.index(part, base) if part else None
        out[f"{key}_start"], out[f"{key}_end"] = start, (start + len(part) if part else None)
    out.update(extra)
    return out


def add(db: Any, source: str, day: str, outlet: str, text: str, claims: list[dict], title: str = "",
        reports: tuple[dict, ...] = (), now: str = NOW) -> int:
    """Store one article and its analysis, then update the threads (as `kb ingest` does)."""
    pk, _ = store.store_article(db, Article(source=source, url=source if "://" in source else None, text=text,
                                            title=title or f"{outlet}: {text[:40]}", published_at=day,
                                            outlet=outlet, kind="page"))
    store.save_analysis(db, pk, {"entities": [], "relations": [], "claims": claims, "reports": list(reports)})
    update_threads(db, now=now)
    return pk


def build_story(path: Path) -> Path:
    db = store.open_db(path)
    s1, s2 = T1.split(". ")[0] + ".", T1.split(". ")[1]
    add(db, "https://reuters.example/tsipras", "2015-06-03", "Reuters", T1, [
        claim(T1, s1, "Greece will pay the IMF by Friday", "Greek Prime Minister Alexis Tsipras", TSIPRAS,
              "pay", deadline="2015-06-05"),
        claim(T1, s2, "Greece will submit its reform list to the European Commission by June 10", "Tsipras",
              TSIPRAS, "submit", obj=EC, obj_text="the European Commission", deadline="2015-06-10")])
    rice = claim(T2, T2, "Greece will pay the Fund on June 30", "IMF spokesman Gerry Rice", RICE, "pay",
                 obj_text="the Fund", deadline="2015-06-30", revision=True, direct_quote=True)
    add(db, "https://ap.example/rice", "2015-06-04", "AP", T2, [rice])
    add(db, "https://news.yahoo.example/rice", "2015-06-04", "Yahoo News", T2, [rice])   # a reprint of AP
    add(db, "https://theguardian.example/no", "2015-06-30", "The Guardian", T4, [
        claim(T4, T4, "Greece will not pay the IMF today", "Alexis Tsipras", TSIPRAS, "pay", polarity="negative",
              deadline="2015-06-30")])
    r1, r2, r3 = (s if s.endswith(".") else s + "." for s in T5.split(". "))
    report = claim(T5, r1, "Greece has missed its payment to the IMF", None, None, "pay", "asserted", "negative")
    add(db, "https://bbc.example/missed", "2015-07-01", "BBC", T5, reports=(report,), claims=[
        claim(T5, r2, "The Eurogroup will meet Greece on Sunday", None, None, "meet", subject=EUROGROUP, obj=GREECE,
              obj_text="Greece", deadline="2015-07-05"),
        claim(T5, r3, "Greece will ask the European Commission for a new bailout", None, None, "request",
              obj=EC, obj_text="the European Commission")], title=EVIL_TITLE)
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_story(tmp_path_factory.mktemp("threads") / f"{DB}.db")


def serve(path: Path) -> Datasette:
    md = json.loads(json.dumps(METADATA))
    md["databases"] = {path.stem: md["databases"].pop("kb")}
    return Datasette([str(path)], metadata=md)


@pytest.fixture
async def ds(db_path: Path) -> Datasette:
    datasette = serve(db_path)
    await datasette.invoke_startup()
    return datasette


async def html(ds: Datasette, path: str) -> str:
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.text


async def rows(ds: Datasette, path: str) -> list[dict]:
    response = await ds.client.get(path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


async def ids(ds: Datasette) -> dict[str, Any]:
    """Thread ids by event, claim ids by content (the first of a reprinted one), entity ids by name."""
    threads = await rows(ds, f"/{DB}/claim_threads.json?_shape=array&_col=event")
    claims = await rows(ds, f"/{DB}/claims.json?_shape=array&_size=max&_sort=id")
    entities = await rows(ds, f"/{DB}/entities.json?_shape=array")
    by_content: dict[str, int] = {}
    for c in claims:
        by_content.setdefault(c["content"], c["id"])
    return {"thread": {t["event"]: t["id"] for t in threads}, "claim": by_content,
            "entity": {e["name"]: e["id"] for e in entities}}


def section(page: str, title: str) -> str:
    """The part of the page from the <h2> titled `title` to the next <h2>."""
    return page.split(f"<h2>{title}")[1].split("<h2>")[0]


# --- the thread page ---------------------------------------------------------------------

async def test_thread_page_shows_status_deadlines_sources_flags(ds: Datasette) -> None:
    k = await ids(ds)
    pay = k["thread"]["pay"]
    page = await html(ds, f"/-/kb/thread/{DB}/{pay}")
    assert '<span class="kb-status kb-status-contradicted">contradicted</span>' in page
    assert "since 2015-06-30" in page and "a later claim or report says the opposite" in page
    assert "(as of 2015-07-02)" in page
    deadline = section(page, "Deadline")
    assert '<strong class="kb-deadline-date">2015-06-30</strong>' in deadline
    rice, first = k["claim"]["Greece will pay the Fund on June 30"], k["claim"]["Greece will pay the IMF by Friday"]
    assert deadline.index(f"#{rice}</a>") < deadline.index("Other deadlines")       # stated by Rice
    assert f"<strong>2015-06-05</strong>: <a href=\"#claim-{first}\"" in deadline  # the earlier one, by Tsipras
    sources = section(page, "Independent sources")
    assert "(4)" in sources
    assert re.findall(r"<li>([^<]+)</li>", sources) == ["Reuters", "AP", "The Guardian", "BBC"]
    flags = section(page, "Flags")
    tsipras = k["entity"]["Alexis Tsipras"]
    assert "Speaker reversal:" in flags and f'<a href="/-/kb/entity/{DB}/{tsipras}">Alexis Tsipras</a>' in flags
    denial = k["claim"]["Greece will not pay the IMF today"]
    assert f"#claim-{first}" in flags and f"#claim-{denial}" in flags


async def test_thread_page_history_names_the_claim_that_caused_each_change(ds: Datasette) -> None:
    k = await ids(ds)
    history = section(await html(ds, f"/-/kb/thread/{DB}/{k['thread']['pay']}"), "Status history")
    changes = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td><span class=\"kb-status kb-status-(\w+)\"", history)
    assert changes == [("2015-06-03", "open"), ("2015-06-30", "contradicted")]
    opened, denied = history.split("<tr><td>")[1:3]
    first, denial = k["claim"]["Greece will pay the IMF by Friday"], k["claim"]["Greece will not pay the IMF today"]
    assert f"#{first}</a>" in opened and "pending (deadline 2015-06-05)" in opened
    assert f"#{denial}</a>" in denied and "the latest statements deny it" in denied
    assert "Greece will not pay the IMF today" in denied
    overdue = section(await html(ds, f"/-/kb/thread/{DB}/{k['thread']['submit']}"), "Status history")
    last = overdue.split("<tr><td>")[-1]
    assert last.startswith("2015-06-11") and "<em>deadline passed</em>" in last
    assert "deadline 2015-06-10 passed" in last


async def test_thread_page_lists_claims_in_date_order_with_reasons(ds: Datasette) -> None:
    k = await ids(ds)
    page = await html(ds, f"/-/kb/thread/{DB}/{k['thread']['pay']}")
    claims = section(page, "Claims, in date order")
    rows_ = claims.split('<tr id="claim-')[1:]
    assert [r.split("<td>")[1].split("<")[0] for r in rows_] == [
        "2015-06-03", "2015-06-04", "2015-06-04", "2015-06-30", "2015-07-01"]
    assert [r.split("<td>")[2].split("<")[0].strip() for r in rows_] == [
        "Reuters", "AP", "Yahoo News", "The Guardian", "BBC"]
    assert "(reprint of AP; counts with it)" in rows_[2]
    first, rice, reprint, denial, report = rows_
    assert "opened the thread" in first
    greece, imf = k["entity"]["Greece"], k["entity"]["International Monetary Fund"]
    assert f'matched <a href="#claim-{k["claim"]["Greece will pay the IMF by Friday"]}">' in rice
    assert "same event &#39;pay&#39;, shared " in rice and "the deadline moved" in rice
    assert f'<a href="/-/kb/entity/{DB}/{greece}">Greece</a>' in rice
    assert f'<a href="/-/kb/entity/{DB}/{imf}">International Monetary Fund</a>' in rice
    assert "same deadline" in reprint
    assert "direct quote" in rice and "reported speech" in first
    assert f'<a href="/-/kb/entity/{DB}/{k["entity"]["Gerry Rice"]}">Gerry Rice</a>' in rice
    assert "future" in denial and "kb-pol-negative" in denial
    assert "<em>the article itself</em>" in report and "asserted" in report
    assert "the article&#39;s own report of the event" in report
    assert "<mark>Greece has missed its payment to the IMF</mark>" in report
    articles = re.findall(rf'href="/-/kb/article/{DB}/(\d+)', claims)
    assert len(articles) == 5 and len(set(articles)) == 5
    assert 'href="https://ap.example/rice"' in rice
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


async def test_thread_json_has_the_same_data(ds: Datasette) -> None:
    k = await ids(ds)
    data = await rows(ds, f"/-/kb/thread/{DB}/{k['thread']['pay']}.json")
    assert data["thread"]["status"] == "contradicted" and data["thread"]["deadline"] == "2015-06-30"
    assert [d["date"] for d in data["deadlines"]] == ["2015-06-05", "2015-06-30"]
    assert [d["in_force"] for d in data["deadlines"]] == [False, True]
    assert data["claims"][1]["reason"]["text"].startswith(
        f"matched claim #{k['claim']['Greece will pay the IMF by Friday']}: same event 'pay', shared ")
    assert [e["name"] for e in data["entities"]] == ["Greece", "International Monetary Fund"]


@pytest.mark.parametrize("path", [
    f"/-/kb/thread/{DB}/99999", f"/-/kb/thread/{DB}/abc", f"/-/kb/thread/{DB}/99999999999999999999999",
    "/-/kb/thread/nosuchdb/1", f"/-/kb/thread/{DB}/1/more", f"/-/kb/entity/{DB}/abc", "/-/kb/nothing/here/at/all"])
async def test_unknown_thread_is_a_clean_404_page(ds: Datasette, path: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text and "Traceback" not in response.text


async def test_unknown_thread_json_is_a_json_404(ds: Datasette) -> None:
    response = await ds.client.get(f"/-/kb/thread/{DB}/abc.json")
    assert response.status_code == 404 and response.json()["ok"] is False


# --- links to thread pages ----------------------------------------------------------------

async def test_thread_ids_link_to_thread_pages(ds: Datasette) -> None:
    k = await ids(ds)
    pay = k["thread"]["pay"]
    link = f'<a href="/-/kb/thread/{DB}/{pay}" title="thread {pay}">'
    for path in (f"/{DB}/claims?thread_id={pay}", f"/{DB}/claims_view?thread_id={pay}",
                 f"/{DB}/thread_history?thread_id={pay}", f"/{DB}/claim_threads", f"/{DB}/contradicted_threads",
                 f"/{DB}/recent_status_changes?days=100000", f"/{DB}/thread_timeline?thread_id={pay}",
                 f"/{DB}/forward_looking_claims", f"/{DB}/claim_threads/{pay}"):
        assert link in await html(ds, path), path
    claims = await html(ds, f"/{DB}/claims?thread_id={pay}")
    assert f"{link}Greece, International Monetary Fund: pay (by 2015-06-30)</a>" in claims  # the label


async def test_entity_page_lists_its_threads_open_promises_first(ds: Datasette) -> None:
    k = await ids(ds)
    page = await html(ds, f"/-/kb/entity/{DB}/{k['entity']['Greece']}")
    threads = section(page, "Claim threads")
    listed = [int(t) for t in re.findall(rf'<a href="/-/kb/thread/{DB}/(\d+)">', threads)]
    t = k["thread"]
    assert listed == [t["meet"], t["request"], t["submit"], t["pay"]]   # open (by deadline), overdue, contradicted
    assert re.findall(r"kb-status-(\w+)", threads) == ["open", "open", "overdue", "contradicted"]
    data = await rows(ds, f"/-/kb/entity/{DB}/{k['entity']['Gerry Rice']}.json")
    assert [x["id"] for x in data["threads"]] == [t["pay"]]


async def test_claim_threads_table_reads_label_status_deadline_first(ds: Datasette) -> None:
    page = await html(ds, f"/{DB}/claim_threads")
    head = page.split("<thead>")[1].split("</thead>")[0]
    order = re.findall(r'data-column="(\w+)"', head)
    assert order[:9] == ["id", "label", "status", "status_since", "deadline", "sources", "claims", "first_seen",
                         "last_seen"]
    assert order.index("key") > order.index("last_seen") and order.index("participants") > order.index("last_seen")
    assert "Reuters, AP, The Guardian, BBC" in page          # independent sources in words, not JSON
    data = await rows(ds, f"/{DB}/claim_threads.json")
    assert {r["value"] for r in data["facet_results"]["status"]["results"]} == {"open", "overdue", "contradicted"}
    since = [r[data["columns"].index("status_since")] for r in data["rows"]]
    assert since == sorted(since, reverse=True) and len(set(since)) > 2


# --- canned queries ------------------------------------------------------------------------

async def test_promise_queries_return_the_expected_threads(ds: Datasette) -> None:
    k = await ids(ds)
    t = k["thread"]
    open_ = await rows(ds, f"/{DB}/open_promises.json?_shape=array")
    assert [(r["thread_id"], r["deadline"]) for r in open_] == [(t["meet"], "2015-07-05"), (t["request"], None)]
    assert {r["status"] for r in open_} == {"open"} and all(r["label"] for r in open_)
    overdue = await rows(ds, f"/{DB}/overdue_promises.json?_shape=array")
    assert [(r["thread_id"], r["deadline"], r["overdue_since"]) for r in overdue] == [
        (t["submit"], "2015-06-10", "2015-06-11")]
    contradicted = await rows(ds, f"/{DB}/contradicted_threads.json?_shape=array")
    assert [(r["thread_id"], r["contradicted_by"], r["said_by"], r["reason"]) for r in contradicted] == [
        (t["pay"], k["claim"]["Greece will not pay the IMF today"], "Alexis Tsipras", "the latest statements deny it")]
    timeline = await rows(ds, f"/{DB}/thread_timeline.json?_shape=array&thread_id={t['pay']}")
    assert [r["date"] for r in timeline] == ["2015-06-03", "2015-06-04", "2015-06-04", "2015-06-30", "2015-07-01"]
    assert [r["outlet"] for r in timeline] == ["Reuters", "AP", "Yahoo News", "The Guardian", "BBC"]
    assert timeline[-1]["speaker_name"] == "the article itself"


async def test_recent_status_changes_counts_back_from_today(tmp_path: Path) -> None:
    today = date.today()
    db = store.open_db(tmp_path / "recent.db")
    old, new = (today - timedelta(days=40)).isoformat(), (today - timedelta(days=2)).isoformat()
    add(db, "https://a.example/1", old, "Reuters", T4.replace(" not", ""), now=today.isoformat(), claims=[
        claim(T4.replace(" not", ""), T4.replace(" not", ""), "Greece will pay the IMF today", "Alexis Tsipras",
              TSIPRAS, "pay")])
    add(db, "https://b.example/2", new, "AP", T5, now=today.isoformat(), claims=[
        claim(T5, T5.split(". ")[2], "Greece will ask the European Commission for a new bailout", None, None,
              "request", obj=EC, obj_text="the European Commission")])
    db.conn.close()
    datasette = serve(tmp_path / "recent.db")
    await datasette.invoke_startup()

    async def changes(days: str) -> list[tuple]:
        got = await rows(datasette, f"/recent/recent_status_changes.json?_shape=array&days={days}")
        return [(r["at"], r["status"], r["status_now"], r["caused_by"]) for r in got]

    recent = (new, "open", "open", "Greece will ask the European Commission for a new bailout")
    assert await changes("7") == [recent]
    assert await changes("") == [recent]                       # 7 days when empty
    assert await changes("60") == [recent, (old, "open", "open", "Greece will pay the IMF today")]
    assert await changes("abc") == []
