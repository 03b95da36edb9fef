"""Entity mentions of kb.nlp on the seed article and on small made-up sentences."""
from pathlib import Path

import pytest

from conftest import SEED  # ../shared/seed, else the copy in kb/data/demo

SEED_DIR = SEED.parent
TYPES = {"government", "firm", "app", "official", "person", "media", "place", "group", "other"}

from kb import nlp as nlp_mod
from kb.nlp import analyze as _analyze



@pytest.fixture(scope="module")
def seed_body():
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (../shared/seed beside the repo)")
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("The Chinese government has told"):]


@pytest.fixture(scope="module")
def seed_result(seed_body):
    return _analyze(seed_body)


def by_text(result):
    out = {}
    for m in result["entities"]:
        out.setdefault(m["text"], set()).add((m["type"], m["name"]))
    return out


def test_result_shape_and_offsets(seed_body, seed_result):
    assert set(seed_result) == {"text", "entities", "claims", "relations", "nationalities"}
    assert seed_result["text"] == seed_body
    for m in seed_result["entities"]:
        assert set(m) - {"sense"} == {"text", "start", "end", "type", "name"}   # sense: where context tells
        assert seed_body[m["start"]:m["end"]] == m["text"]
        assert m["type"] in TYPES


def test_apps_firms_media(seed_result):
    ents = by_text(seed_result)
    for app in ("WeChat", "QQ", "KakaoTalk", "Line", "Instagram", "Flickr", "OneDrive", "Momo"):
        assert ("app", app) in ents[app], app
    for firm in ("Kakao", "Naver", "Gartner", "Microsoft", "Qualcomm", "Yahoo", "Facebook"):
        assert ("firm", firm) in ents[firm], firm
    assert ("media", "Yonhap") in ents["Yonhap"]
    assert ("media", "Business Korea") in ents["Business Korea"]


def test_governments_resolve_to_countries(seed_result):
    ents = by_text(seed_result)
    assert ("government", "China") in ents["Chinese government"]
    assert ("government", "China") in ents["Chinese authorities"]
    assert ("government", "South Korea") in ents["South Korean embassy"]
    assert ("government", "China") in ents["mainland"]
    assert ("government", "propaganda department") in ents["propaganda department"]
    assert ("government", "United States") in ents["US"]
    # Beijing as an actor ("Beijing's push") is the government; "Beijing-based" is a place
    assert ents["Beijing"] == {("government", "China"), ("place", "Beijing")}


def test_people_and_officials(seed_result):
    ents = by_text(seed_result)
    assert ents["Jane Zhang"] == {("person", "Jane Zhang")}
    assert ents["Xi Jinping"] == {("official", "Xi Jinping")}


def test_line_needs_a_proper_noun_context():
    text = "Line up early. The new messaging apps Line and WhatsApp grew fast."
    r = _analyze(text)
    lines = [m for m in r["entities"] if m["text"] == "Line"]
    assert [(m["start"], m["type"]) for m in lines] == [(text.index("Line and"), "app")]


def test_surname_and_title_resolution():
    text = ("President Anna Kowalski met Jane Zhang in Warsaw. Kowalski said the talks went well, "
            "and Zhang agreed.")
    r = _analyze(text)
    names = {(m["text"], m["type"], m["name"]) for m in r["entities"]}
    assert ("Kowalski", "official", "Anna Kowalski") in names
    assert ("Zhang", "person", "Jane Zhang") in names
    assert not any(m["text"].startswith("President") for m in r["entities"])


def test_context_rules_media_and_ministry():
    text = ("The Ruritanian government denied the report. Officials at the Ministry of Fisheries told "
            "the website Fishwatch Daily that quotas were unchanged, the Zenda news agency reported.")
    r = _analyze(text)
    types = {(m["text"], m["type"]) for m in r["entities"]}
    assert ("Ministry of Fisheries", "government") in types
    assert any(t == "media" and "Fishwatch" in x for x, t in types)
    assert ("Zenda", "media") in types


def test_a_name_before_a_group_noun_is_that_group():
    text = ("The deal sparked anger from within his leftist Syriza party. In Italy the Five Star movement "
            "won, and members of the Tea Party movement rallied in Ohio.")
    types = {(m["text"], m["type"]) for m in _analyze(text)["entities"]}
    assert {("Syriza", "group"), ("Five Star", "group"), ("Tea Party", "group")} <= types
    assert ("Italy", "group") not in types and ("Ohio", "group") not in types


def test_a_name_after_an_office_only_people_hold_is_a_person():
    text = ("Following discussions over dinner at the European Commission in Brussels with its president, "
            "Jean-Claude Juncker, Tsipras told reporters. The regulator, Ofcom, said it would act.")
    types = {(m["text"], m["type"]) for m in _analyze(text)["entities"]}
    assert ("Jean-Claude Juncker", "official") in types
    assert ("Ofcom", "official") not in types           # a regulator may be a body


def test_the_models_lowercase_words_are_no_names():
    text = ("After 40 years moving in this direction—and with it failing at every turn—you might think they "
            "would change their views. But Republicans didn’t, and many still haven’t.\nAlthough neoliberalism "
            "had little to offer, it prevailed. It is way too difficult for many people who are already "
            "financially stretched to the max . The emergency department at Mercy Hospital was full.")
    got = {m["text"] for m in _analyze(text)["entities"]}
    assert "Republicans" in got and "Mercy Hospital" in got
    assert not {"n’t", "max"} & got


def test_numbers_and_dates_are_dropped():
    r = _analyze("On Monday, 3,000 people paid $5 each, up 20 percent from 2013.")
    assert r["entities"] == []


def test_empty_text():
    r = _analyze("")
    assert r == {"text": "", "entities": [], "claims": [], "relations": [], "nationalities": []}


def test_analyze_many_keeps_order():
    texts = ["Apple said it would grow.", "", "Reuters reported that Google will expand."]
    results = list(nlp_mod.analyze_many(texts, batch_size=2))
    assert [r["text"] for r in results] == texts
    assert results[0] == _analyze(texts[0])


def test_relations_on_seed(seed_result):
    rels = {(r["subject"], r["predicate"], r["object"]) for r in seed_result["relations"]}
    assert {("Kakao", "operates", "KakaoTalk"), ("Naver", "operates", "Line"),
            ("Facebook", "owns", "Instagram"), ("Yahoo", "owns", "Flickr"),
            ("Microsoft", "owns", "OneDrive"), ("Jane Zhang", "works_for", "Gartner")} <= rels
    text = seed_result["text"]
    for r in seed_result["relations"]:
        assert text[r["start"]:r["end"]] == r["evidence"]


def ents_of(text):
    return {(m["text"], m["type"], m["name"]) for m in _analyze(text)["entities"]}


def test_initials_make_a_person():
    got = ents_of("The bowling was led by R. Mbeki-Tomas , who took four wickets for Kentshire .")
    assert ("R. Mbeki-Tomas", "person", "R. Mbeki-Tomas") in got or \
        any(t == "R. Mbeki-Tomas" or t.startswith("R. Mbeki") and ty == "person" for t, ty, _ in got)


def test_results_lines_name_teams():
    text = ("Results of matches played on Sunday :\nChicago 5 Denver 3\nBrazil 2 Peru 1\n"
            "Chicago coach Sam Ortega praised his team .")
    ents = _analyze(text)["entities"]
    chicago = [m for m in ents if m["text"] == "Chicago"]
    assert chicago and all(m["type"] == "group" for m in chicago)  # the team, wherever it is named
    brazil = [m for m in ents if m["text"] == "Brazil"]
    assert brazil and brazil[0]["type"] == "group"  # a national side in a results line
    # the same names in prose, with no results line, are a place and a government
    prose = ents_of("Chicago is cold in winter , and Brazil said it would raise taxes .")
    assert ("Chicago", "place", "Chicago") in prose and ("Brazil", "government", "Brazil") in prose


def test_dateline_is_not_a_result():
    got = ents_of("LONDON 1996-08-30\nThe Bank of England left rates unchanged .")
    assert ("LONDON", "group", "LONDON") not in got
    assert any(t == "LONDON" and ty in ("place", "government") for t, ty, _ in got)


def test_surname_repeats_follow_the_full_name():
    text = "Jeff Tarango lost in the first round. Later, Tarango said the umpire had been unfair."
    got = [m for m in _analyze(text)["entities"] if m["text"] == "Tarango"]
    assert got and got[0]["type"] == "person" and got[0]["name"] == "Jeff Tarango"


def test_countries_from_the_data_file_and_headline_capitals():
    got = ents_of("Moldova and Benin signed a trade deal , officials in Chisinau said .")
    assert ("Moldova", "government", "Moldova") in got and ("Benin", "government", "Benin") in got
    caps = ents_of("SOCCER - JAPAN BEAT SYRIA IN ASIAN CUP .")
    assert ("JAPAN", "government", "Japan") in caps
    # a stop word in capitals is the word, not the acronym of an organisation
    assert not any(t == "WHO" for t, _, _ in ents_of("FANS WHO STORMED THE PITCH ARE BANNED ."))


def test_gazetteer_is_versioned_and_has_no_duplicate_alias():
    from kb.nlp.entities import gazetteer_entries, load_gazetteer

    gaz = load_gazetteer()
    assert isinstance(gaz.get("version"), int) and gaz["version"] >= 2
    seen = {}
    for surface, typ, canon, extra in gazetteer_entries(gaz):
        key = surface
        assert seen.get(key, canon) == canon, f"{surface!r} means both {seen[key]} and {canon}"
        seen[key] = canon


def test_relations_based_in_and_official_of_a_government():
    rels = {(r["subject"], r["predicate"], r["object"]) for r in _analyze(
        "Mira Osei, a Lagos-based analyst with Gartner, said Chinese President Xi Jinping would visit.")["relations"]}
    assert ("Mira Osei", "based_in", "Lagos") in rels
    assert ("Mira Osei", "works_for", "Gartner") in rels
    assert ("Xi Jinping", "works_for", "China") in rels
    none = _analyze("President Xi Jinping would visit, said Mira Osei.")["relations"]
    assert not [r for r in none if r["predicate"] == "works_for"]


def test_a_person_the_model_took_for_a_place():
    text = ("Piyum Moghadam, a Palo Alto business consultant, managed to book a flight home.\n\n"
            "\u201cIt is time to come home,\u201d Moghadam said.")
    ents = [(e["text"], e["type"], e["name"]) for e in _analyze(text)["entities"]]
    assert ("Piyum Moghadam", "person", "Piyum Moghadam") in ents           # the given name the model left out
    assert ("Moghadam", "person", "Piyum Moghadam") in ents                 # and the surname after it
    assert ("Palo Alto", "place", "Palo Alto") in ents                      # a place stays a place
    # a relative clause on 'who'
    ents = [(e["text"], e["type"]) for e in _analyze("Moghadam, who is now home, said he paid $2,000.")["entities"]]
    assert ("Moghadam", "person") in ents
    ents = [(e["text"], e["type"]) for e in _analyze("Texas, which is now dry, said rain will come.")["entities"]]
    assert ("Texas", "person") not in ents


def test_a_us_state_abbreviated_after_a_city_is_the_state():
    """AP style: 'Reno, Nev.', 'Cambridge, Mass., and Tysons, Va.': the states, one entity each
    with their full names (the graph joins them to 'Nevada'); not 'Mass.' without its city."""
    ents = {(e["name"], e["type"]) for e in _analyze(
        "The plant near Reno, Nev., and offices in Cambridge, Mass., and Tysons, Va., were searched.")["entities"]}
    assert {("Nevada", "place"), ("Massachusetts", "place"), ("Virginia", "place")} <= ents
    assert not {n for n, _ in ents} & {"Nev", "Mass", "Va"}
    ents = _analyze("The mayor of Albany, N.Y., spoke.")["entities"]
    assert [(e["name"], e.get("sense")) for e in ents if e["name"] == "New York"] == [("New York", "state")]
    assert "Massachusetts" not in {e["name"] for e in _analyze("On Sunday she attended Mass. Then she left.")["entities"]}
    names = {e["name"] for e in _analyze("Sens. Chris Coons, D-Del., and Marco Rubio, R-Fla., wrote to "
                                         "Reps. Dan Lipinski (Ill.) and Collin Peterson (Minn.).")["entities"]}
    assert {"Delaware", "Florida", "Illinois", "Minnesota"} <= names      # party labels
