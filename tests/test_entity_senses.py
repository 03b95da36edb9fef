"""One name, different things: senses chosen from the article's context keep them apart
(kb.nlp.entities.senses; entities.sense in the store)."""
import sqlite3

import pytest

from kb import curation, store
from kb.nlp import analyze
from conftest import ingest_text


@pytest.fixture
def db():
    return store.open_db(memory=True)


def entity_of(db, article_id: int, text: str) -> tuple[int, str, str, str]:
    row = db.execute("SELECT e.id, e.name, e.type, e.sense FROM mentions m JOIN entities e ON e.id = m.entity_id "
                     "WHERE m.article_id = ? AND m.text = ?", [article_id, text]).fetchone()
    assert row is not None, f"no mention {text!r} in article {article_id}"
    return tuple(row)


HONG_KONG = ("Lee Cheuk-yan of the Labour Party lost his seat in Hong Kong on Sunday. Voters in Hong Kong "
             "elected more pro-Beijing candidates, and turnout in Hong Kong was a record.")
BRITAIN = ("The Labour Party said on Monday that the United Kingdom needs a new asylum plan, and Labour "
           "will vote against the bill in Britain's parliament.")


def test_a_party_abroad_is_not_its_namesake_at_home(db):
    hk = ingest_text(db, "hk.txt", HONG_KONG)
    uk = ingest_text(db, "uk.txt", BRITAIN)
    a, b = entity_of(db, hk, "Labour Party"), entity_of(db, uk, "Labour Party")
    assert a[0] != b[0]
    assert (a[1], a[3]) == ("Labour Party", "Hong Kong") and (b[1], b[3]) == ("Labour Party", "")
    again = ingest_text(db, "hk2.txt", HONG_KONG.replace("Sunday", "Monday").replace("Lee Cheuk-yan", "Cyd Ho"))
    assert entity_of(db, again, "Labour Party")[0] == a[0]      # the same sense again: the same entity


def test_a_city_and_the_state_of_its_name(db):
    city = ingest_text(db, "a.txt", "Delegates met at the United Nations headquarters in New York on Monday.")
    state = ingest_text(db, "b.txt", "The exhibit opened at Skidmore College in Saratoga Springs, New York, on Friday.")
    a, b = entity_of(db, city, "New York"), entity_of(db, state, "New York")
    assert a[0] != b[0] and a[3] == "" and b[3] == "state"


MATCH = ("Sweden defeated South Korea 1 - 0 in the World Cup on Monday. The striker scored from a penalty "
         "in the second half. Korea's goalkeeper saved a header before half-time. The referee showed a "
         "yellow card to the captain of South Korea.")


def test_a_country_and_its_national_team(db):
    news = ingest_text(db, "a.txt", "South Korea fired artillery shells on Thursday, and North Korea said it "
                                    "would respond.")
    match = ingest_text(db, "b.txt", MATCH)
    country, team = entity_of(db, news, "South Korea"), entity_of(db, match, "South Korea")
    assert country[0] != team[0] and country[3] == "" and team[3] == "national team"
    assert {r[0] for r in db.execute("SELECT DISTINCT e.sense FROM mentions m JOIN entities e ON e.id = m.entity_id "
                                     "WHERE m.article_id = ? AND m.text = 'Sweden'", [match])} == {"national team"}


def test_a_science_contest_is_no_match_report():
    r = analyze("The Afghan team won a silver medal at the robotics competition in Washington. The United "
                "States had denied the team visas. Teams from Syria and Yemen were in the contest too, and "
                "the European team won the match overall.")
    assert not any(e.get("sense") for e in r["entities"])


def test_curation_and_graph_tell_the_senses_apart(db):
    ingest_text(db, "hk.txt", HONG_KONG)
    ingest_text(db, "uk.txt", BRITAIN)
    with pytest.raises(curation.CurationError, match="ambiguous"):
        curation.lookup(db, "Labour Party")
    assert curation.lookup(db, "Labour Party (Hong Kong)")["sense"] == "Hong Kong"
    from kb.graph import build_graph

    labels = {d["label"] for _, d in build_graph(db).nodes(data=True)}
    assert {"Labour Party", "Labour Party (Hong Kong)"} <= labels


def test_a_database_made_before_senses_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    old = store.schema_sql().replace("UNIQUE (name, type, sense)", "UNIQUE (name, type)")
    old = "\n".join(line for line in old.splitlines() if not line.lstrip().startswith(("sense TEXT", "-- 'state'")))
    conn = sqlite3.connect(path)
    conn.executescript(old)
    conn.execute("INSERT INTO entities (id, name, type, name_key) VALUES (7, 'New York', 'place', 'newyork')")
    conn.execute("INSERT INTO entity_aliases VALUES (7, 'NYC')")
    conn.commit()
    with pytest.raises(sqlite3.IntegrityError):     # the old key: one row per name and type
        conn.execute("INSERT INTO entities (name, type) VALUES ('New York', 'place')")
    conn.close()
    db = store.open_db(path)
    assert db.execute("SELECT id, name, type, sense FROM entities").fetchall() == [(7, "New York", "place", "")]
    assert store.entity_id(db, "New York", "place") == 7
    state = store.entity_id(db, "New York", "place", sense="state")
    assert state != 7 and db["entities"].count == 2
    assert ("NYC",) in db.execute("SELECT alias FROM entity_aliases WHERE entity_id = 7").fetchall()
    assert "idx_entities_name_key" in {i.name for i in db["entities"].indexes}


def test_a_list_of_cities_is_no_city_and_its_state():
    r = analyze("Teachers marched in Chicago, Houston, New York, and Boston on Monday. Parents in New York City "
                "joined them, and the New York state attorney general spoke.")
    senses = [(e["text"], e.get("sense", "")) for e in r["entities"] if e["name"] == "New York"]
    assert senses == [("New York", ""), ("New York City", ""), ("New York", "state")]


@pytest.mark.asyncio
async def test_the_entity_page_names_the_sense(tmp_path):
    from datasette.app import Datasette

    path = tmp_path / "kb.db"
    db = store.open_db(path)
    state = ingest_text(db, "b.txt", "The exhibit opened at Skidmore College in Saratoga Springs, New York, on Friday.")
    eid = entity_of(db, state, "New York")[0]
    db.conn.close()
    ds = Datasette([str(path)], metadata=None)
    r = await ds.client.get(f"/-/kb/entity/kb/{eid}")
    assert r.status_code == 200 and "New York <span class=\"kb-sense\">(state)</span>" in r.text
