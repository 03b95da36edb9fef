"""Content boundaries (kb.nlp.claims.candidates.content_spans): where a cue's content starts and stops.

Sentences are made up for these tests; parse-dependent cases go through the real pipeline,
parse-repair cases through a hand-built parse so the misparse is certain.
"""
import spacy
from spacy.tokens import Doc

from kb.nlp import analyze
from kb.nlp.claims.candidates.content_spans import object_span, run_on

VOCAB = spacy.blank("en").vocab     # lexical attributes (is_punct) without a model


def contents(text: str) -> dict[str, str]:
    return {c["cue"]: c["content"] for c in analyze(text)["claims"]}


def test_object_complement_stops_at_the_verbs_own_comma():
    got = contents("The senator attacked the governor as a coward during the hearing on Tuesday, "
                   "with remarks that drew loud applause.")
    assert got["attacked"].startswith("the governor as a coward")
    assert "remarks" not in got["attacked"]
    got = contents("The mayor described the budget as a disaster at a meeting on Monday, "
                   "with critics who called it reckless.")
    assert got["described"].startswith("the budget as a disaster")
    assert "critics" not in got["described"]


def test_infinitive_content_leaves_out_a_trailing_clause_of_time():
    got = contents("The agency warned local officials to lock their doors after thieves struck two shops in the town.")
    assert got["warned"].endswith("to lock their doors")
    got = contents("The coach urged the players to stay calm after the referee sent off their captain in the second half.")
    assert got["urged"].endswith("to stay calm")


def _split_parse() -> Doc:
    """'She cited remarks he had made about the mayor.' parsed as two sentences after
    'remarks' (a contact relative clause the parser took for a new sentence)."""
    words = ["She", "cited", "remarks", "he", "had", "made", "about", "the", "mayor", "."]
    heads = [1, 1, 1, 5, 5, 5, 5, 8, 6, 5]
    deps = ["nsubj", "ROOT", "dobj", "nsubj", "aux", "ROOT", "prep", "det", "pobj", "punct"]
    pos = ["PRON", "VERB", "NOUN", "PRON", "AUX", "VERB", "ADP", "DET", "NOUN", "PUNCT"]
    return Doc(VOCAB, words=words, spaces=[True] * 8 + [False, False], heads=heads, deps=deps, pos=pos)


def test_object_runs_on_across_a_sentence_break_without_a_stop():
    doc = _split_parse()
    assert doc[3].is_sent_start
    s, e = object_span(doc[1], 1)
    assert doc[s:e].text == "remarks he had made about the mayor"


def test_run_on_keeps_a_real_sentence_end():
    words = ["She", "cited", "remarks", ".", "He", "left", "."]
    doc = Doc(VOCAB, words=words, spaces=[True, True, False, True, True, False, False],
              heads=[1, 1, 1, 1, 5, 5, 5], deps=["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "punct"],
              pos=["PRON", "VERB", "NOUN", "PUNCT", "PRON", "VERB", "PUNCT"])
    assert run_on(doc, 3) == 3          # a full stop ends it
    assert run_on(doc, len(doc)) == len(doc)


def test_second_object_misparsed_as_a_coordinated_clause_stays_in_the_content():
    got = contents("The minister began by stressing economic growth, and a plan to cut taxes for small firms.")
    assert got["stressing"] == "economic growth, and a plan to cut taxes for small firms"
    got = contents("She spoke of the history of the town, and how the old mill shaped its people.")
    assert got["spoke of"].endswith("and how the old mill shaped its people")


def test_a_coordinated_clause_of_the_speakers_own_is_not_content():
    got = contents("The mayor praised the new park and then she left the ceremony early.")
    assert "left" not in got.get("praised", "")


def test_the_doer_of_an_object_noun_belongs_to_it_but_a_means_does_not():
    got = contents("The lawsuit cited misconduct by the police during the protest.")
    assert got["cited"].startswith("misconduct by the police")
    got = contents("The lawsuit cited misconduct by reading from a police log.")
    assert "reading" not in got.get("cited", "")


def test_a_quote_the_parser_ran_into_its_speaker_ends_at_the_closing_mark():
    """'“It's a rift between the board and the staff,” Smith, a director, said.' with the
    speaker hung inside the quoted clause (as an apposition of its last noun)."""
    words = ["“", "It", "'s", "a", "rift", "between", "the", "board", "and", "the", "staff", ",", "”",
             "Smith", ",", "a", "director", ",", "said", "."]
    heads = [2, 2, 18, 4, 2, 4, 7, 5, 7, 10, 7, 10, 13, 10, 13, 16, 13, 18, 18, 18]
    deps = ["punct", "nsubj", "ccomp", "det", "attr", "prep", "det", "pobj", "cc", "det", "conj", "punct", "punct",
            "appos", "punct", "det", "appos", "punct", "ROOT", "punct"]
    spaces = [False, False, True, True, True, True, True, True, True, True, False, False, True,
              False, True, True, False, True, False, False]
    pos = ["PUNCT", "PRON", "VERB", "DET", "NOUN", "ADP", "DET", "NOUN", "CCONJ", "DET", "NOUN", "PUNCT", "PUNCT",
           "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB", "PUNCT"]
    doc = Doc(VOCAB, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
    from kb.nlp.claims.candidates.content_spans import clause_span
    s, e = clause_span(doc, doc[2], {18})      # the speaker found elsewhere (or not at all)
    assert "Smith" not in doc[s:e].text
    assert doc[s:e].text.startswith("“It's a rift")


def test_run_on_stops_before_the_next_quote_and_its_speaker():
    """'She felt the | plan was “a mistake,” Kim said.' split after 'the' by the parser."""
    words = ["She", "felt", "the", "plan", "was", "“", "a", "mistake", ",", "”", "Kim", "said", "."]
    spaces = [True, True, True, True, True, False, True, False, False, True, True, False, False]
    heads = [1, 1, 1, 4, 11, 7, 7, 4, 7, 11, 11, 11, 11]
    deps = ["nsubj", "ROOT", "dobj", "nsubj", "ccomp", "punct", "det", "attr", "punct", "punct", "nsubj", "ROOT", "punct"]
    pos = ["PRON", "VERB", "DET", "NOUN", "AUX", "PUNCT", "DET", "NOUN", "PUNCT", "PUNCT", "PROPN", "VERB", "PUNCT"]
    doc = Doc(VOCAB, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
    e = run_on(doc, 3)
    assert doc[3:e].text == "plan was “a mistake"


def test_a_trailing_participle_that_spells_out_the_report_stays_in_it():
    got = contents("She said she took a second job in the city, teaching history at a public school in Queens.")
    assert got["said"].endswith("teaching history at a public school in Queens")
    got = contents("He said he was attracted to his first job in the city, teaching history at a public school "
                   "in Queens, in part because of the pay.")
    assert "teaching history" in got["said"]


def test_a_trailing_participle_that_cites_others_is_the_writers_framing():
    got = contents("The mayor said the new park would give the district a larger green space, contradicting "
                   "the council's earlier claim that no land was available.")
    assert got["said"] == "the new park would give the district a larger green space"


def test_a_demonstrative_that_before_a_reporting_noun_stays_in_the_content():
    assert contents("The governor said that promise was never kept.")["said"] == "that promise was never kept"
    assert contents("The minister said that money was tight this year.")["said"] == "money was tight this year"


def test_infinitive_content_starts_after_its_cue():
    """A word the parser hangs on the infinitive from before the cue ('where', a relative
    'that') stays out: the content is what follows the cue, never the cue itself."""
    for text, cue in [("Many commuters take public transport where they expect to come into contact "
                       "with people who might infect them.", "expect"),
                      ("The rules harm the very groups that the reformers claim to support.", "claim")]:
        found = [c for c in analyze(text)["claims"] if c["cue"] == cue]
        assert found, text
        assert all(c["content_start"] >= c["cue_end"] and c["content"].startswith("to ") for c in found), found


def test_a_content_that_opens_a_quotation_or_bracket_closes_it():
    """A partial quote or a bracket at the content's end keeps its closing mark (a straight
    quote its pair): 'his temperament is “dangerous for a president”', not '... “dangerous for
    a president'; 'Rep. John Culberson (R-TX)'."""
    for text, cue, end in [("Clinton said his temperament is “dangerous for a president.”", "said",
                            "“dangerous for a president.”"),
                           ('The mayor called the plan "a disaster," and left.', "called", '"a disaster,"'),
                           ("Officials said the vote was “fair,” and the results stood.", "said", "“fair,”"),
                           ("Ted Cruz is urging Congress to fast track the Trans-Pacific Partnership (TPP).", "urging",
                            "Partnership (TPP)")]:
        doc = analyze(text)
        found = [c for c in doc["claims"] if c["cue"] == cue]
        assert found, text
        assert found[0]["content"].endswith(end), found[0]["content"]
        assert text[found[0]["content_start"]:found[0]["content_end"]] == found[0]["content"]
