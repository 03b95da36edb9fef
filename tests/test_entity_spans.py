"""Names neither cut nor run into the next word, and one entity per name within an article:
span repairs of the small NER (run-in surnames, offices, adjectives, captions, honorifics),
coordinated names, titles with a name, defined abbreviations, bodies named in full once."""
import pytest

from ingest.article import Article
from kb import store
from kb.nlp import analyze
from kb.nlp.entities.names import name_key


def found(text: str) -> list[tuple[str, str, str]]:
    """(surface, canonical name, type) of every entity mention of `text`."""
    return [(e["text"], e["name"], e["type"]) for e in analyze(text)["entities"]]


def names(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for surface, name, _t in found(text):
        out.setdefault(surface, set()).add(name)
    return out


def test_a_known_surname_run_into_the_next_word_is_the_person():
    got = names("Andy Warhol made thousands of photographs. Warhol Polaroid exhibits opened at two "
                "museums this year, and Warhol is still popular.")
    assert "Warhol Polaroid" not in got
    assert got["Warhol"] == {"Andy Warhol"}


def test_a_hyphenated_adjective_is_no_part_of_a_name():
    got = found("Visitors could wear a Warhol-like wig. Andy Warhol would have liked it.")
    assert not any("like" in s for s, _n, _t in got)


def test_two_names_sharing_their_last_word_are_two_entities():
    got = found("The report comes after North and South Korea exchanged artillery fire yesterday.")
    assert {n for _s, n, _t in got} == {"North Korea", "South Korea"}
    # a name whose parts are no names of their own stays whole
    got = found("The Food and Drug Administration approved the drug on Monday.")
    assert [s for s, _n, _t in got] == ["Food and Drug Administration"]


def test_a_generic_body_named_in_full_once_is_that_body_after():
    got = names("Taxes follow a ruling of the Italian Supreme Court of Cassation in July. The municipalities "
                "cite the sentence of the Supreme Court. The case on which the Court has ruled was about a school.")
    full = "Italian Supreme Court of Cassation"
    assert got["Supreme Court"] == {full} and got["Court"] == {full}


def test_the_end_of_a_longer_name_is_that_name():
    got = names("Crowds came to the Taipei City Lantern Festival on Saturday. The Lantern Festival ends on Sunday.")
    assert got["Lantern Festival"] == {"Taipei City Lantern Festival"}


def test_an_office_after_an_organisation_is_not_part_of_its_name():
    got = found('Jeff Rathke, the State Department Spokesperson, said, "We urge the governments to act."')
    assert ("State Department", "State Department", "government") in got


def test_an_adjective_of_the_next_noun_is_cut_from_a_name():
    got = found("Her mother had spoken out against Scientology on French television after the divorce.")
    assert [s for s, _n, _t in got] == ["Scientology"]


def test_a_title_before_a_name_is_that_person():
    got = found("Labour's Shadow Home Secretary Yvette Cooper said her party has supported the idea.")
    assert ("Shadow Home Secretary", "Yvette Cooper", "official") in got
    assert not any(n == "Shadow Home" for _s, n, _t in got)


def test_an_honorific_is_no_part_of_the_name():
    got = names("The study was led by Cres Eastman in Sydney. Professor Eastman said the problem is easily fixed.")
    assert got["Eastman"] == {"Cres Eastman"}


def test_a_surname_introduced_with_a_title_is_not_a_later_full_name():
    got = names("President Obama is rolling out a new campaign. Mr. Obama said on Saturday that the vote "
                "matters. The campaign plans to employ Mr. Obama and the first lady, Michelle Obama.")
    assert got["Obama"] == {"Obama"}
    got = names("Jane Zhang won the race. Zhang said she was tired.")     # a full name first: that person
    assert got["Zhang"] == {"Jane Zhang"}


def test_white_house_and_a_named_navy_are_bodies_of_their_own():
    got = found("The White House said on Monday that the United States would send aid.")
    assert ("White House", "White House", "government") in got
    got = found("A boat was towed by the Indonesian Navy to the coast. The Chinese government protested.")
    assert ("Indonesian Navy", "Indonesian Navy", "government") in got
    assert ("Chinese government", "China", "government") in got     # the government is the country


def test_an_abbreviation_defined_in_brackets_is_the_name_before_it():
    got = names("The Union of Rationalist Atheists and Agnostics (UAAR) has launched a petition.")
    assert got["UAAR"] == {"Union of Rationalist Atheists and Agnostics"}


def test_a_campus_is_part_of_the_name_and_its_short_form():
    got = names("The museum at the University of North Carolina at Greensboro saw record attendance. "
                "Staff at UNC Greensboro were pleased.")
    assert got["UNC Greensboro"] == {"University of North Carolina at Greensboro"}


def test_a_country_before_a_body_is_the_country_and_the_body():
    got = found("Funding came from the US National Science Foundation last year.")
    assert ("US", "United States", "government") in got
    assert any(s == "National Science Foundation" for s, _n, _t in got)


def test_a_city_with_its_abbreviated_state_keeps_its_stop_and_sheds_a_caption():
    got = found("The team arrived in Washington D.C. after many difficulties. The competition was held in "
                "Washington D.C. Image: United States Navy.")
    assert {n for s, n, _t in got if s.startswith("Washington")} == {"Washington D.C."}
    assert not any("Image" in s for s, _n, _t in got)


def test_a_name_shared_by_coordinated_bodies_is_each_body():
    got = names("The girls met officials of the State and Homeland Security Departments last week.")
    assert got["State"] == {"State Department"}


def test_name_key_drops_a_leading_country_before_a_name_of_its_own():
    assert name_key("US State Department") == name_key("State Department")
    assert name_key("United Kingdom Home Office") == name_key("Home Office")
    assert name_key("US Navy") != name_key("Navy")


def test_name_key_drops_a_firms_legal_form():
    assert name_key("Tesla Inc.") == name_key("Tesla Inc") == name_key("Tesla")
    assert name_key("Naver Corp") == name_key("Naver")
    assert name_key("Inc") == "inc"                      # a legal form alone is left as it is


def test_a_products_number_is_part_of_its_name_a_results_table_is_not_a_product():
    got = found("Tesla said it would make 5,000 Model 3 cars a week by the end of June.")
    assert ("Model 3", "Model 3", "other") in got
    assert all(not surface[:1].isdigit() for surface, _n, _t in found("Brechin 1 Cardiff 2\n3 1 1 1 1 1 4\n"))


def test_a_product_after_the_before_a_comma_or_in_the_plural_is_one_name():
    got = found("Tesla struggled to ramp production of the Model 3 that began assembly last July. The new "
                "Model 3, crucial to the company's success, won't hit full-scale production until the end of "
                "June, Tesla said last week. Only 1,550 Model 3s were delivered in the fourth quarter.")
    assert [(surface, name) for surface, name, _t in got if "Model" in surface] == \
        [("Model 3", "Model 3"), ("Model 3", "Model 3"), ("Model 3s", "Model 3")]
    assert ("Brechin 1", "Brechin 1") not in [(s, n) for s, n, _t in found("Brechin 1, Cardiff 2, Celtic 0")]


@pytest.fixture
def db():
    return store.open_db(memory=True)


def test_a_body_with_and_without_its_country_is_one_entity_across_articles(db):
    for text in ("The US State Department said talks would resume.", "The State Department declined to comment."):
        pk, _ = store.store_article(db, Article(source=f"{len(text)}.txt", text=text))
        store.save_analysis(db, pk, analyze(text))
    rows = db.execute("SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                      "WHERE m.text LIKE '%State Department'").fetchall()
    assert len(rows) == 2 and len({r[0] for r in rows}) == 1


def test_a_plural_noun_opening_a_sentence_is_no_name():
    got = names("Trains will run every four minutes at peak times, the Corrington Regional Transit Authority said. "
                "Democrats said the line was late.")
    assert "Trains" not in got and "Corrington Regional Transit Authority" in got


def test_a_wire_dateline_is_the_place_and_not_part_of_the_next_words():
    got = found("MONTREAL - Thousands of travellers were stranded after attendants at Laurentide Air walked out.")
    assert ("MONTREAL", "Montreal", "place") in got
    assert all("Thousands" not in surface for surface, _n, _t in got)
    from kb.nlp import load_nlp
    from kb.nlp.entities.spans import dateline_dash
    doc = load_nlp().make_doc("SOCCER - JAPAN GET LUCKY WIN, CHINA IN SURPRISE DEFEAT.")
    assert not dateline_dash(doc, 1, 0, len(doc))        # a headline in capitals is no dateline


def test_a_word_with_no_name_in_it_is_no_entity():
    # the small NER tags the ’s of "let’s" as a place; its name would be empty
    assert found("Wait, let’s see who is here.") == []
