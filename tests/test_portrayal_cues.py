"""Portrayals, ratings and omissions (kb.nlp.claims.candidates.portrayal_cues) on small made-up sentences:
'X sees Y as Z', 'X called Y a Z', 'Y is considered a Z', 'The report does not include Y'."""
import pytest

from kb.nlp import analyze


def with_cue(text, cue):
    return [(c["speaker"], c["cue"], c["content"]) for c in analyze(text)["claims"] if c["cue"] == cue]


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("Farmers in the valley see the new dam as a threat to their orchards.", "see",
     "Farmers in the valley", "the new dam as a threat to their orchards"),
    ("The governor painted her opponent as a friend of the oil companies.", "painted",
     "The governor", "her opponent as a friend of the oil companies"),
    ("The union leader is casting himself as a defender of the night shift.", "casting",
     "The union leader", "himself as a defender of the night shift"),
])
def test_object_as_predicate_is_the_content(text, cue, speaker, content):
    got = with_cue(text, cue)
    assert got == [(speaker, cue, content)]


@pytest.mark.parametrize("text", [
    "Do you really see these two plans as equal?",
    "Parents worry about what they see as a lack of teachers.",
    "The old mill was used as a school for many years.",
])
def test_questions_relatives_and_plain_verbs_are_not_portrayals(text):
    claims = analyze(text)["claims"]
    assert not [c for c in claims if c["cue"] in ("see", "used")]


def test_agentless_rating_has_no_speaker():
    got = with_cue("The bridge is considered a danger to cyclists in the winter.", "considered")
    assert len(got) == 1 and got[0][0] is None
    assert got[0][2] == "The bridge is considered a danger to cyclists in the winter"


def test_a_rating_needs_a_predicate():
    assert not with_cue("The proposal was considered at length by the board.", "considered")


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("The audit does not include the spending of the parks department, which grew last year.", "include",
     "The audit", "the spending of the parks department"),
    ("The mayor did not address the complaints about the bus lanes.", "address",
     "The mayor", "the complaints about the bus lanes"),
])
def test_negated_coverage_reports_what_was_left_out(text, cue, speaker, content):
    assert with_cue(text, cue) == [(speaker, cue, content)]


def test_coverage_without_negation_is_not_a_claim():
    assert not with_cue("The audit includes the spending of the parks department.", "includes")


def test_criticism_for_a_deed_is_about_the_deed():
    got = with_cue("The minister faced sharp criticism for closing the rural clinics.", "criticism")
    assert got == [(None, "criticism", "closing the rural clinics")]


def test_criticism_from_critics_is_theirs_and_about_the_subject():
    got = with_cue("The referee drew criticism from both coaches after the final whistle.", "criticism")
    assert got == [("both coaches", "criticism", "The referee")]


def test_criticism_that_nobody_meets_is_not_a_claim():
    assert not with_cue("Criticism of the plan grew louder over the summer.", "Criticism")


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("The mayor unleashed a flurry of tweets mocking the harbor commission.", "unleashed",
     "The mayor", "a flurry of tweets mocking the harbor commission"),
    ("The governor issued a statement in support of the striking nurses.", "issued",
     "The governor", "a statement in support of the striking nurses"),
])
def test_a_message_put_out_is_the_content(text, cue, speaker, content):
    assert with_cue(text, cue) == [(speaker, cue, content)]


def test_a_message_that_says_something_leaves_the_cue_to_its_participle():
    claims = analyze("The governor issued a statement saying that the nurses deserve a raise.")["claims"]
    assert [c["cue"] for c in claims] == ["saying"]


def test_things_that_are_not_messages_are_not_claims():
    assert not with_cue("The police released the driver after two hours.", "released")


def test_a_relative_who_speaks_for_its_head():
    got = with_cue("The plan drew anger from some who see the new schedule as a burden on families.", "see")
    assert got == [("who", "see", "the new schedule as a burden on families")]
