"""Structural cue rules of kb.nlp.claims.candidates.cues and .quotes (content boundaries, misattached
clauses, cues that close a line), on small made-up sentences."""
import spacy
from spacy.tokens import Doc

from kb.nlp import analyze
from kb.nlp.claims.candidates.cues import _tail_cue


def claims_of(text):
    return [(c["speaker"], c["cue"], c["content"]) for c in analyze(text)["claims"]]


def by_cue(text, cue):
    return [c for c in claims_of(text) if c[1] == cue]


def test_parenthetical_cue_keeps_the_subject_of_the_reported_clause():
    assert by_cue("The plan, he said, was a mistake.", "said") == [("he", "said", "The plan, he said, was a mistake")]


def test_quoted_fragment_inside_a_reported_clause_takes_the_whole_clause():
    text = 'However welcome the rebate, cutting the fuel tax "is a reckless idea," said Ms. Lane. "It helps nobody."'
    [(spk, _, content)] = by_cue(text, "said")
    assert spk == "Ms. Lane"
    assert content.startswith("However welcome the rebate, cutting the fuel tax")
    assert content.endswith('It helps nobody."')      # the quote resumed after the cue


def test_quote_in_the_next_sentence_is_not_the_object_of_a_verb():
    claims = claims_of('That worries farmers. "The rain never came," one said.')
    assert ("one", "said", "The rain never came") in claims
    assert not [c for c in claims if c[1] == "worries"]


def test_speaker_words_do_not_count_against_the_quote_gap():
    text = ('"This is a big day for our city!" the mayor\'s niece, Ms. Ana "Ani" Ruiz (D-Springfield), '
            'shouted to the crowd. "We are all watching."')
    [(_, _, content)] = by_cue(text, "shouted")
    assert content.startswith("This is a big day for our city!")
    assert content.endswith("We are all watching")


def test_that_clause_hung_on_the_audience_is_the_content():
    assert ("She", "told", "the new dam would flood their fields") in \
        claims_of("She told a meeting of local farmers that the new dam would flood their fields.")
    # a that-clause on the verb's own object noun stays with the object
    assert not [c for c in claims_of("He offered no proof that the mayor had lied.") if c[2] == "the mayor had lied"]


def test_trailing_relative_clause_is_cut_from_an_object_content():
    text = "Critics praised the mayor's plan to repair the old bridges, which include a new footbridge over the river."
    assert ("Critics", "praised", "the mayor's plan to repair the old bridges") in claims_of(text)


def test_cue_closing_a_paragraph_with_a_colon_takes_the_next_paragraph():
    text = "The governor added:\n\nThe budget is balanced and the reserves are full."
    assert ("The governor", "added", "The budget is balanced and the reserves are full") in claims_of(text)
    assert not by_cue("The governor added:", "added")


def test_cue_after_a_comma_at_the_end_of_a_sentence_takes_what_precedes():
    """'Rules unclear on X, lawyers say.' parsed without a clause under the cue (as the
    parser does for a verbless headline)."""
    words = ["Rules", "unclear", "on", "renters", ",", "lawyers", "say", "."]
    heads = [6, 0, 0, 2, 6, 6, 6, 6]
    deps = ["dep", "amod", "prep", "pobj", "punct", "nsubj", "ROOT", "punct"]
    pos = ["NOUN", "ADJ", "ADP", "NOUN", "PUNCT", "NOUN", "VERB", "PUNCT"]
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos,
              tags=["NNS", "JJ", "IN", "NNS", ",", "NNS", "VBP", "."], sent_starts=[True] + [False] * 7)
    att = _tail_cue(doc, doc[6], doc[5])
    assert att is not None and att.content == (0, 4) and att.speaker.i == 5
    doc2 = Doc(nlp.vocab, words=["Rules", "unclear", "lawyers", "say", "."], heads=[3, 0, 3, 3, 3],
               deps=["dep", "amod", "nsubj", "ROOT", "punct"], pos=["NOUN", "ADJ", "NOUN", "VERB", "PUNCT"],
               sent_starts=[True] + [False] * 4)
    assert _tail_cue(doc2, doc2[3], doc2[2]) is None      # no comma before the speaker


def test_appositive_after_an_object_is_cut_even_when_more_follows():
    text = ("Senator Ross is endorsing the governor's campaign, the latest chapter in a rocky relationship between "
            "the two men that has gone from praise to insults to, now, a kind of truce.")
    assert by_cue(text, "endorsing") == [("Senator Ross", "endorsing", "the governor's campaign")]


def test_dash_after_spaces_ends_an_object_content():
    [(_, _, content)] = by_cue("Most of the generals had announced their support  -- who praised her record.", "announced")
    assert content == "their support"


def test_trailing_participle_after_a_comma_is_not_reported():
    text = "Senator Ross has repeatedly wondered whether the judges will be fair to him, engaging in what critics call old tactics."
    [(_, _, content)] = by_cue(text, "wondered")
    assert content == "whether the judges will be fair to him"


def test_evidence_verb_with_a_bare_short_object_is_no_finding():
    assert by_cue("The inspectors found a way through the old law.", "found") == []
    assert by_cue("The inspectors found that the pipes were rusty.", "found") == [
        ("The inspectors", "found", "the pipes were rusty")]


def test_quote_resumes_after_but_when_the_cue_is_parenthetical():
    [(_, _, content)] = by_cue('"Well, I respect Tom," she said, but "on taxes, Tom is wrong."', "said")
    assert content.startswith("Well, I respect Tom") and content.endswith("Tom is wrong")


def test_reported_clause_ending_in_a_colon_takes_what_the_colon_spells_out():
    text = ("Ms. Park notes that we are at a rare moment where three things happen at once: prices are rising, "
            "rates are low and banks are lending.")
    [(_, _, content)] = by_cue(text, "notes")
    assert content.endswith("banks are lending")


def test_object_standing_for_the_words_said_is_the_content():
    assert by_cue("Several former governors have said the same thing about the budget.", "said") == [
        ("Several former governors", "said", "the same thing about the budget")]
    assert by_cue("The union leader said as much in an interview on Tuesday, arguing that the plan was unfair.",
                  "said") == [("The union leader", "said", "as much")]
    assert by_cue("Once the senator has said his piece, he usually leaves the room.", "said") == [
        ("the senator", "said", "his piece")]


def test_infinitive_hung_as_an_adverbial_on_a_verb_of_telling_is_the_content():
    assert by_cue("The agency has advised all visitors still in the region to prepare for more flooding.",
                  "advised") == [("The agency", "advised", "all visitors still in the region to prepare for more flooding")]
    [(spk, _, content)] = by_cue('The coach tells his players at every practice to "run until you drop."', "tells")
    assert spk == "The coach" and content.startswith("his players at every practice to")


def test_everyday_senses_of_cue_verbs_are_no_claims():
    assert not by_cue("The new bridge was supposed to open in March.", "supposed")       # a modal idiom
    assert not by_cue("Many landlords have found ways to avoid the new rent rules.", "found")
    assert not by_cue("Voters found it hard to trust either candidate.", "found")
    assert by_cue("The auditors found that the city had overspent by $2 million.", "found") == [
        ("The auditors", "found", "the city had overspent by $2 million")]


def test_place_after_a_comma_in_the_subjects_phrase_is_not_the_speaker():
    [(spk, _, content)] = by_cue("A representative with the Regional Climate Center in Fort Worth, Texas told "
                                 "reporters that the drought would end soon.", "told")
    assert spk.startswith("A representative") and content == "the drought would end soon"
    [(spk, _, _)] = by_cue("Mark Baldwin, a psychology professor at McGill University in Montreal, Canada "
                           "hopes to use the game to help people.", "hopes")
    assert spk == "Mark Baldwin"


def test_proposition_noun_object_joins_the_cue_and_its_that_clause_is_the_content():
    assert by_cue("Many analysts suggest the strong possibility that the council will delay the vote.",
                  "suggest the strong possibility") == [("Many analysts", "suggest the strong possibility",
                                                         "the council will delay the vote")]
    assert by_cue("The senator dismissed the idea that the bill was dead.", "dismissed the idea") == [
        ("The senator", "dismissed the idea", "the bill was dead")]
    assert by_cue("Officials voiced concern that the virus could spread.", "voiced concern") == [
        ("Officials", "voiced concern", "the virus could spread")]


def test_claim_with_an_infinitive_reports_what_the_subject_claims_of_itself():
    assert by_cue("Smith claimed to have seen the suspect near the bank.", "claimed") == [
        ("Smith", "claimed", "to have seen the suspect near the bank")]
    [c] = [c for c in analyze("The group claims to have hacked the ministry's servers.")["claims"] if c["cue"] == "claims"]
    assert c["content"] == "to have hacked the ministry's servers" and c["subject"] == "The group"


def test_gerund_clause_is_the_object_of_a_verb_whose_object_is_its_content():
    assert by_cue("The former mayor admitted taking cash from developers.", "admitted") == [
        ("The former mayor", "admitted", "taking cash from developers")]
    assert by_cue("Most residents favored expanding the bus network.", "favored") == [
        ("Most residents", "favored", "expanding the bus network")]


def test_an_indefinite_any_pronoun_is_no_source():
    text = ("Anyone wanting to learn more about the bonds should call the county office. "
            "The clerk said the files stayed sealed until anyone disclosed the names.")
    claims = claims_of(text)
    assert not [c for c in claims if c[0] and c[0].lower() == "anyone"]
    assert [c for c in claims if c[1] == "said" and c[0] == "The clerk"]


def test_a_negated_passive_judgment_reports_no_judgment():
    assert by_cue("The mayor has never been charged with any crime.", "charged") == []
    assert by_cue("Neither the mayor nor his aides have been accused of fraud.", "accused") == []
    assert by_cue("The mayor has been charged with bribery.", "charged") != []


def test_a_passive_verb_of_perceiving_with_an_ing_clause_is_no_report():
    assert by_cue("On the tape the driver can be heard shouting at the guards.", "heard") == []
    assert by_cue("The senator is expected to win the seat.", "expected") != []
    assert by_cue("The tanks are reported to be leaking into the river.", "reported") != []


def test_an_intent_verb_takes_no_clause_before_it_as_content():
    # 'fell' parses as a clausal complement of 'wants': only cues that may follow their
    # content ('A, she said') read a clause before them
    assert by_cue("Sales fell sharply, the firm wants to cut costs.", "wants") == [("the firm", "wants", "to cut costs")]
    assert by_cue("Sales fell sharply, the firm said.", "said") == [("the firm", "said", "Sales fell sharply")]


def test_an_intent_verb_with_for_plans_its_object():
    assert by_cue("The company is planning for new product launches in 2027.", "planning for") == [
        ("The company", "planning for", "new product launches in 2027")]


def test_you_know_with_a_comma_is_a_discourse_marker_not_a_report():
    assert by_cue("You know, the senator has changed her mind twice.", "know") == []
    assert by_cue("You know the senator has changed her mind twice.", "know") != []
    assert by_cue("Apps now let you actually, ya know, meet people in the area.", "know") == []


def test_a_verb_under_let_is_a_proposal_not_a_report():
    assert by_cue("Let's talk about the budget.", "talk about") == []
    assert by_cue("Let us hope the rain stops soon.", "hope") == []
    assert by_cue("We talked about the budget.", "talked about") != []
    assert by_cue("Let's focus on understanding what the senator meant.", "understanding") == []   # cue deeper
    assert by_cue("We focus on understanding what the senator meant.", "understanding") != []
