"""Nationality words ("Chinese", "South Korean") are attributes naming a country, not entities."""
from ingest.article import Article
from kb import store
from kb.nlp import analyze

TEXT = ("A South Korean diplomat said the Chinese government would lift the block. "
        "Japanese firms welcomed the news, a Chinese official said.")


def test_nationality_words_name_their_country_and_are_not_entities():
    out = analyze(TEXT)
    assert {e["text"] for e in out["entities"]} >= {"Chinese government"}
    assert not any(e["text"] in ("South Korean", "Japanese", "Chinese") for e in out["entities"])
    got = {(n["text"], n["country"]) for n in out["nationalities"]}
    assert {("South Korean", "South Korea"), ("Japanese", "Japan"), ("Chinese", "China")} <= got
    for n in out["nationalities"]:
        assert TEXT[n["start"]:n["end"]] == n["text"]


def test_nationality_words_never_become_graph_nodes():
    db = store.open_db(memory=True)
    pk, _ = store.store_article(db, Article(source="a.txt", text=TEXT))
    store.save_analysis(db, pk, analyze(TEXT))
    names = {r[0] for r in db.execute("SELECT name FROM entities")}
    assert "China" in names and not names & {"Chinese", "South Korean", "Japanese"}
