"""Non-verb cues (kb.nlp.claims.candidates.phrase_cues): reporting nouns with an infinitive or an 'about' phrase,
framing phrases ('In a poll, ...'), and the WordNet reporting nouns of kb.nlp.wordnet_build,
on small made-up sentences and a made-up WordNet fragment."""
import pytest

from kb.nlp import analyze
from kb.nlp.claims.candidates.lexicon import reporting_nouns, wordnet_lexicon
from kb.nlp.wordnet_build import build


def claims_of(text):
    return [(c["speaker"], c["cue"], c["content"]) for c in analyze(text)["claims"]]


def with_cue(text, cue):
    return [c for c in claims_of(text) if c[1] == cue]


def test_wordnet_reporting_nouns_come_from_cue_verbs():
    data = wordnet_lexicon()
    assert "decide" in data["reporting_nouns"]["decision"]
    assert "poll" in data["inquiry_nouns"]
    assert {"decision", "remark", "claim"} <= reporting_nouns()
    assert "table" not in reporting_nouns() and "harbor" not in reporting_nouns()


def test_owned_decision_to_is_a_claim():
    got = with_cue("The mayor announced nothing new. Her decision to close the old bridge angered the drivers.",
                   "decision")
    assert got and got[0][0] == "Her" and got[0][2].startswith("to close the old bridge")


def test_decision_to_without_an_owner_is_not():
    assert not with_cue("The decision to close the old bridge angered the drivers.", "decision")


def test_an_owned_reporting_noun_of_something_is_a_claim_about_it():
    got = with_cue("The mayor's criticism of the new parking rules surprised the council.", "criticism of")
    assert got and got[0][0] == "The mayor" and got[0][2] == "the new parking rules"
    assert not with_cue("The criticism of the new parking rules surprised the council.", "criticism of")


def test_a_speaker_drops_the_owners_s_but_not_a_names():
    assert with_cue("The senators' criticism of the deal grew.", "criticism of")[0][0] == "The senators"
    assert with_cue("Macy's said that sales fell in the spring.", "said")[0][0] == "Macy's"


def test_questions_about_give_the_content():
    got = with_cue("The senator faced questions about how the city spent the flood money.", "questions")
    assert got and got[0][2] == "how the city spent the flood money"


@pytest.mark.parametrize("text, speaker, content", [
    ("In a poll released Monday, the mayor led his rival by five points.", "a poll",
     "the mayor led his rival by five points"),
    ("In a statement, the company was careful about its plans for the factory.", "the company",
     "the company was careful about its plans for the factory"),
    ("In his view, the budget was far too small for the schools.", "his",
     "the budget was far too small for the schools"),
])
def test_framing_phrase_frames_its_clause(text, speaker, content):
    got = [c for c in claims_of(text) if c[1].lower().startswith(("in ", "by "))]
    assert len(got) == 1 and got[0][0] == speaker and got[0][2] == content


@pytest.mark.parametrize("text", [
    "In other words, the budget was far too small for the schools.",
    "By the second week, the river had risen above the old bridge.",
])
def test_idioms_and_times_frame_nothing(text):
    assert not [c for c in claims_of(text) if c[1].lower().startswith(("in ", "by "))]


NOUN_DATA = """\
  1 made-up header line
10000001 10 n 01 remark 0 001 + 00000002 v 0101 | a statement
10000002 06 n 01 table 0 001 + 00000003 v 0101 | furniture
10000003 09 n 01 inquiry 0 000 | a search for knowledge
10000004 09 n 01 poll 0 001 @ 10000003 n 0000 | an inquiry into opinion
"""
VERB_DATA = """\
  1 made-up header line
00000002 32 v 01 remark 0 000 01 + 26 00 | make a remark
00000003 35 v 01 table 0 000 01 + 08 00 | put on a table
"""
SENSE_DATA = """\
remark%1:10:00:: 10000001 1 5
table%1:06:00:: 10000002 1 9
inquiry%1:09:01:: 10000003 1 4
poll%1:09:00:: 10000004 1 4
remark%2:32:00:: 00000002 1 5
table%2:35:00:: 00000003 1 1
"""


def test_build_reporting_and_inquiry_nouns_from_a_fragment(tmp_path, monkeypatch):
    monkeypatch.setattr("kb.nlp.wordnet_build.ROOTS", {"remark%2:32:00::": "express"})
    (tmp_path / "data.noun").write_text(NOUN_DATA, encoding="latin-1")
    (tmp_path / "data.verb").write_text(VERB_DATA, encoding="latin-1")
    (tmp_path / "index.sense").write_text(SENSE_DATA, encoding="latin-1")
    data = build(tmp_path)
    assert data["reporting_nouns"] == {"remark": ["remark"]}    # 'table' is neither act nor speech
    assert data["inquiry_nouns"] == ["inquiry", "poll"]


@pytest.mark.parametrize("text, adverb, content", [
    ("The bakery reportedly plans to close its second shop in May.", "reportedly",
     "The bakery reportedly plans to close its second shop in May"),
    ("The guard was fired after he allegedly sold keys to the vault.", "allegedly",
     "he allegedly sold keys to the vault"),
])
def test_hearsay_adverb_is_a_report_without_speaker(text, adverb, content):
    got = with_cue(text, adverb)
    assert len(got) == 1 and got[0][0] is None and got[0][2] == content


def test_inference_adverb_is_no_report():
    assert not with_cue("The guard apparently sold keys to the vault.", "apparently")


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("The mayor's view is that the budget was a disaster.", "view", "The mayor",
     "the budget was a disaster"),
    ("The word from the union is that the strike will end soon.", "word", "the union",
     "the strike will end soon"),
])
def test_owned_noun_with_copula_and_clause(text, cue, speaker, content):
    got = with_cue(text, cue)
    assert len(got) == 1 and got[0][0] == speaker and got[0][2] == content


def test_unowned_noun_with_copula_is_not():
    assert not with_cue("The criticism is that the budget was a disaster.", "criticism")


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("In the words of the mayor, the budget was a disaster.", "In the words", "the mayor",
     "the budget was a disaster"),
    ("The flood damaged 300 homes in the valley, by one estimate.", "by one estimate", "one estimate",
     "The flood damaged 300 homes in the valley"),
    ("The coach slept in the bus, by his own account.", "by his own account", "his",
     "The coach slept in the bus"),
])
def test_framing_phrase_in_words_of_and_trailing_by(text, cue, speaker, content):
    got = with_cue(text, cue)
    assert len(got) == 1 and got[0][0] == speaker and got[0][2] == content


def test_trailing_agent_with_reporting_noun_is_not_a_frame():
    assert not [c for c in claims_of("The voters were swayed by the mayor's announcement.")
                if c[1].lower().startswith("by ")]


def test_an_owned_point_of_view_frames_its_clause():
    got = [c for c in claims_of("In her eyes, the new stadium was a waste of public money.") if c[1] == "In her eyes"]
    assert got == [("her", "In her eyes", "the new stadium was a waste of public money")]


def test_an_unowned_point_of_view_frames_nothing():
    assert not [c for c in claims_of("In the eyes of the law, the two companies were one.") if c[1].startswith("In")]


def test_questions_about_keep_the_phrases_that_follow():
    got = with_cue("The senator faced questions about the harbor contract during the hearing on Monday.", "questions")
    assert got and got[0][2] == "the harbor contract during the hearing on Monday"


@pytest.mark.parametrize("text, speaker, content", [
    # a noun after 'to' tagged as a verb ('show insiders')
    ("As a manager at the plant, Smith routinely insulted workers with crude language, according to show insiders.",
     "insiders", "As a manager at the plant, Smith routinely insulted workers with crude language"),
    # the phrase hung on an embedded clause: the sentence it closes is the content
    ("The poorest families would see their monthly bills go up by as much as 12 percent, according to the "
     "state energy office, far more than the agency had promised.", "the state energy office",
     "The poorest families would see their monthly bills go up by as much as 12 percent"),
    ("Most renters would see their rents rise by nearly 9 percent, according to the housing board, twice what "
     "it forecast last year.", "the housing board", "Most renters would see their rents rise by nearly 9 percent"),
])
def test_according_to_misparsed(text, speaker, content):
    got = [c for c in claims_of(text) if c[1].lower() == "according to"]
    assert got == [(speaker, got[0][1], content)]


def test_a_vox_pop_line_gives_each_quote_the_name_after_its_dash():
    # web copy: a no-break space after the dash, a full stop after the name
    text = ("“The bus fares went up twice this year and nobody asked us.” ― Maria Lopez\n"
            "“I just hope the new council listens to the people on the east side.” ―\u00a0Tom Baker\n"
            "“Maybe we can build a new school instead of another car park.” ―\u00a0Ann Lee.\n")
    got = [(c["speaker"], c["content"][:12]) for c in analyze(text)["claims"] if c["cue"] == "―"]
    assert got == [("Maria Lopez", "The bus fare"), ("Tom Baker", "I just hope "), ("Ann Lee", "Maybe we can")]
