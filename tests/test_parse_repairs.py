"""Reporting sentences the small parser gets wrong (kb.nlp.claims.candidates.parse_repairs), on made-up sentences."""
import pytest

from kb.nlp import analyze


def claims_of(text):
    return [(c["speaker"], c["cue"], c["content"]) for c in analyze(text)["claims"]]


@pytest.mark.parametrize("speaker, cue, text", [
    # the parser makes 'explained' the root and 'were paid' a conjunct of it
    ("Lopez", "explained", "These farmers, Lopez explained at the hearing, were paid well, earning more than the miners."),
    # the cue hung on a noun
    ("she", "told", "The problem now, she told me on Monday, is that the river is too low for the barges."),
    # after an opening clause: both sides
    ("she", "said", "While the old bridge was relatively safe, she said, building a new one could take years."),
    # the opening clause hung on the cue stays in the content
    ("the coach", "said", "Although the first test was quite easy, the coach said, winning the final would be much harder."),
])
def test_parenthetical_cue_reports_the_whole_sentence(speaker, cue, text):
    assert (speaker, cue, text.rstrip(".")) in claims_of(text)


def test_cue_with_an_object_of_its_own_is_no_parenthetical():
    claims = claims_of("Last spring, the town accepted the offer, which the mayor had rejected.")
    assert not [c for c in claims if c[1] == "accepted" and c[2].startswith("Last spring")]


def test_headline_verb_tagged_as_a_name_is_a_cue():
    text = "Harbor Workers Vow To Block New Port Fees.\n\nThe union met on Monday."
    assert ("Harbor Workers", "Vow", "To Block New Port Fees") in claims_of(text)
    text = "Local Farmers Rip County Plan As A Costly Mistake.\n\nThe vote is next week."
    assert ("Local Farmers", "Rip", "County Plan As A Costly Mistake") in claims_of(text)


def test_headline_noun_phrase_is_no_claim():
    assert claims_of("A Bold Plan For Downtown Parks.\n\nThe council met on Monday.") == []
    assert claims_of("New Water Plan For Rural Towns.\n\nThe council met on Monday.") == []


@pytest.mark.parametrize("speaker, text", [
    ("Brown", "“Nice town, very nice town this place,” Brown, the former mayor of the city, said on Friday."),
    ("Jones", "“Good plan, a very good plan this one,” Jones, the committee chairman, said at the hearing."),
])
def test_words_inside_the_quote_are_not_the_speaker_named_after_it(speaker, text):
    # the parser takes a phrase of the quote for the subject of 'said'
    assert [c[0] for c in claims_of(text) if c[1] == "said"] == [speaker]


@pytest.mark.parametrize("speaker, text", [
    # the parser splits the word at its hyphen into two or three subjects of the verb
    ("The co-founder", "The co-founder said the firm will close."),
    ("the ex-partner", "\"We will win,\" the ex-partner later testified in court."),
    ("A vice-president of the bank", "A vice-president of the bank said rates will rise."),
    ("Trump's ex-wife", "Trump's ex-wife said he lied."),
    ("The former co-chair of the panel", "The former co-chair of the panel said the vote will fail."),
])
def test_a_speaker_split_at_its_hyphen_is_one_word(speaker, text):
    assert [c[0] for c in claims_of(text)] == [speaker]


def test_a_speaker_does_not_end_on_a_preposition_whose_name_the_parser_hung_elsewhere():
    # 'Real' parsed as a modifier of 'say': the speaker stopped at 'close to'
    text = "But sources close to Real say the club knows a swap deal would not be easy."
    assert [c[0] for c in claims_of(text)] == ["sources close to Real"]
    assert [c[0] for c in claims_of("People familiar with Apple said the phone will ship in May.")] == [
        "People familiar with Apple"]
