"""Cue rules of kb.nlp.claims (assembly/modality.py, candidates/cues.py, candidates/quotes.py) and the time a claim gets."""
from kb.nlp import analyze
from kb.nlp.claims.candidates.lexicon import lexicon, verb_class


def test_a_claims_time_is_its_content_clauses_resolved_on_its_own():
    """time_text and time_value come from the content clause's parse (kb.nlp.timex): an
    absolute date resolves without the article's date, a relative one waits for it (kb.store)."""
    by_cue = {c["cue"]: c for c in analyze("The minister said the law would take effect on 5 August 2015. "
                                           "She added that the ban will be lifted next month.")["claims"]}
    assert (by_cue["said"]["time_text"], by_cue["said"]["time_value"]) == ("on 5 August 2015", "2015-08-05")
    assert (by_cue["added"]["time_text"], by_cue["added"]["time_value"]) == ("next month", None)


def test_lexicon_classes_are_disjoint_and_complete():
    lex = lexicon()
    assert verb_class("say") == "speech" and verb_class("promise") == "future"
    assert verb_class("believe") == "hedge" and verb_class("urge") == "demand"
    assert set(lex["class_of"].values()) <= set(lex["frames"])


def test_split_quote_joined_and_time_field():
    text = "“We will act,” the minister said on Monday. “The ban will be lifted next month.”"
    claims = analyze(text)["claims"]
    c = [c for c in claims if c["direct_quote"]][0]
    assert c["content"].startswith("We will act") and c["content"].endswith("next month")
    assert c["speaker"] == "the minister" and c["modality"] == "future"


def test_stance_and_intent_verbs_and_nouns():
    claims = analyze("The senator criticized the new tax plan. The union wants to raise wages.")["claims"]
    by_cue = {c["cue"]: c for c in claims}
    assert by_cue["criticized"]["content"] == "the new tax plan"
    assert by_cue["wants"]["content"] == "to raise wages" and by_cue["wants"]["modality"] == "future"
    c = analyze("Critics rejected the claim that the vaccine was unsafe.")["claims"]
    assert any(x["cue"] == "claim" and x["content"] == "the vaccine was unsafe" for x in c)


def test_transcript_colon_and_no_claim_in_plain_narration():
    claims = analyze("SMITH: We are going to win this election.\n")["claims"]
    assert claims and claims[0]["speaker"] == "SMITH" and claims[0]["cue"] == ":"
    assert analyze("The river flooded the town in May. Boats were used.")["claims"] == []


def test_modal_inside_an_indirect_question_is_asked_not_claimed():
    text = "The firms said they did not know when the services would work again."
    c = analyze(text)["claims"][0]
    assert c["modality"] == "asserted" and c["polarity"] == "negative"
    text = "The firms said the services would work again next week."
    assert analyze(text)["claims"][0]["modality"] == "future"


def modality_of(text: str, cue: str) -> str:
    return next(c for c in analyze(text)["claims"] if c["cue"] == cue)["modality"]


def test_still_to_happen_is_future_not_a_demand():
    assert modality_of("Local officials say they have yet to receive a single complaint.", "say") == "future"
    assert modality_of("The mayor said there is more bad news to come.", "said") == "future"
    assert modality_of("The mayor said residents have to pay the fine.", "said") == "demanded"
    # "to come" with a place to come to is not "still to come"
    assert modality_of("The mayor said it was time for the leaders to come to the aid of the town.", "said") == "asserted"


def test_a_quote_of_several_sentences_keeps_the_first_sentences_modality():
    text = ('"The bridge most likely collapsed because of the flood. The river rose overnight. '
            'It broke apart at dawn," the engineer said.')
    assert modality_of(text, "said") == "hedged"
    text = ('"The crews tried to reach the village. The river rose overnight. '
            'It broke apart at dawn," the engineer said.')
    assert modality_of(text, "said") == "asserted"


def test_a_passive_of_saying_with_no_one_named_is_hearsay():
    claims = analyze("The ferry is reported to have sunk near the harbour.")["claims"]
    assert [c["modality"] for c in claims] == ["hedged"]
    claims = analyze("The bridge is said to be unsafe.")["claims"]
    assert [c["modality"] for c in claims] == ["hedged"]
    # named: the source vouches for it; found: a finding, not hearsay
    assert all(c["modality"] == "asserted" for c in analyze("The slag was found to be radioactive.")["claims"])
