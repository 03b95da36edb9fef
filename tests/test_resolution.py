"""Entities resolved across articles: one entity per real-world thing, stable on re-runs."""
import pytest

from kb import store
from kb.nlp import analyze
from conftest import ingest_text


@pytest.fixture
def db():
    return store.open_db(memory=True)


def entity_of(db, article_id: int, text: str) -> tuple[str, str]:
    row = db.execute("SELECT e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id "
                     "WHERE m.article_id = ? AND m.text = ?", [article_id, text]).fetchone()
    assert row is not None, f"no mention {text!r} in article {article_id}"
    return tuple(row)


def test_surname_in_a_later_article_resolves_to_the_full_name(db):
    ingest_text(db, "a.txt", "President Anna Kowalski met Jane Zhang in Warsaw on Monday.")
    b = ingest_text(db, "b.txt", "Kowalski said on Tuesday that the talks had gone well.")
    assert entity_of(db, b, "Kowalski") == ("Anna Kowalski", "official")
    aliases = {r[0] for r in db.execute(
        "SELECT alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE e.name = 'Anna Kowalski'")}
    assert "Kowalski" in aliases


def test_ambiguous_surname_is_not_guessed(db):
    ingest_text(db, "a.txt", "Anna Kowalski met Piotr Kowalski in Warsaw on Monday.")
    b = ingest_text(db, "b.txt", "Kowalski said on Tuesday that the talks had gone well.")
    assert entity_of(db, b, "Kowalski")[0] == "Kowalski"


def test_person_and_official_of_one_name_are_one_entity(db):
    a = ingest_text(db, "a.txt", "President Anna Kowalski arrived in Warsaw on Monday.")
    b = ingest_text(db, "b.txt", "Anna Kowalski said the talks had gone well.")
    assert entity_of(db, a, "Anna Kowalski") == entity_of(db, b, "Anna Kowalski") == ("Anna Kowalski", "official")


def test_government_names_resolve_to_one_country_across_articles(db):
    a = ingest_text(db, "a.txt", "The Chinese government blocked the app on Monday.")
    b = ingest_text(db, "b.txt", "Beijing's decision surprised analysts, and Chinese authorities said little.")
    assert entity_of(db, a, "Chinese government") == ("China", "government")
    assert entity_of(db, b, "Beijing") == ("China", "government")
    assert entity_of(db, b, "Chinese authorities") == ("China", "government")
    assert db.execute("SELECT count(*) FROM entities WHERE name = 'China'").fetchone()[0] == 1


def test_rerun_keeps_entity_ids(db):
    a = ingest_text(db, "a.txt", "Jane Zhang, an analyst at Gartner, said WeChat would grow.")
    before = {r[0]: r[1] for r in db.execute("SELECT name, id FROM entities")}
    store.save_analysis(db, a, analyze(db["articles"].get(a)["text"]))
    after = {r[0]: r[1] for r in db.execute("SELECT name, id FROM entities")}
    assert before == after


def test_title_with_a_name_in_apposition_that_the_ner_cut_in_pieces():
    """"The secretary, Gen. Ana Maria Ruiz, said": the speaker is the person in apposition even
    when the NER tagged only part of the name, not an earlier person the description fits."""
    import spacy
    from spacy.tokens import Doc, Span

    from kb.nlp.entities import SPAN_KEY
    from kb.nlp.claims.assembly.speakers import Resolver
    words = ["Mr", "Lee", "arrived", ".", "The", "secretary", ",", "Gen.", "Ana", "Maria", "Ruiz", ",", "said", "so", "."]
    heads = [1, 2, 2, 2, 5, 12, 5, 10, 10, 10, 5, 5, 12, 12, 12]
    deps = ["compound", "nsubj", "ROOT", "punct", "det", "nsubj", "punct", "compound", "compound", "compound",
            "appos", "punct", "ROOT", "advmod", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PUNCT", "DET", "NOUN", "PUNCT", "PROPN", "PROPN", "PROPN", "PROPN",
           "PUNCT", "VERB", "ADV", "PUNCT"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos,
              sent_starts=[1, 0, 0, 0, 1] + [0] * 10)
    doc.spans[SPAN_KEY] = [Span(doc, 0, 2, label="official", kb_id="Mr Lee"),
                           Span(doc, 8, 9, label="official", kb_id="Ana")]
    assert Resolver(doc).resolve(doc[5])["name"] == "Ana"


def test_a_description_links_to_the_name_it_was_a_title_of():
    """"United States electronics retailer Circuit City ... The retailer said": the firm the
    earlier description named, not the country that modified it."""
    import spacy
    from spacy.tokens import Doc, Span

    from kb.nlp.entities import SPAN_KEY
    from kb.nlp.claims.assembly.speakers import Resolver
    words = ["United", "States", "electronics", "retailer", "Circuit", "City", "closed", ".",
             "The", "retailer", "said", "so", "."]
    heads = [1, 3, 3, 5, 5, 6, 6, 6, 9, 10, 10, 10, 10]
    deps = ["compound", "compound", "compound", "compound", "compound", "nsubj", "ROOT", "punct",
            "det", "nsubj", "ROOT", "advmod", "punct"]
    pos = ["PROPN", "PROPN", "NOUN", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "ADV", "PUNCT"]
    lemmas = ["United", "States", "electronics", "retailer", "Circuit", "City", "close", ".", "the", "retailer",
              "say", "so", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
              sent_starts=[1] + [0] * 7 + [1] + [0] * 4)
    doc.spans[SPAN_KEY] = [Span(doc, 0, 2, label="government", kb_id="United States"),
                           Span(doc, 4, 6, label="firm", kb_id="Circuit City")]
    assert Resolver(doc).resolve(doc[9])["name"] == "Circuit City"
