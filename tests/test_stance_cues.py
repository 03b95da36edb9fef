"""Stances told with an adjective or an agent noun (kb.nlp.claims.candidates.stance_cues) and the WordNet
stance adjectives and agent nouns of kb.nlp.wordnet_build."""
from kb.nlp import analyze
from kb.nlp.claims.candidates.stance_cues import stance_words


def stance(text: str, cue: str) -> dict | None:
    return next((c for c in analyze(text)["claims"] if c["cue"] == cue), None)


def test_wordnet_lists_hold_attitude_words_not_plain_ones():
    adjs, agents = stance_words()
    assert {"critical", "skeptical", "passionate", "bearish", "supportive"} <= adjs
    assert not {"green", "tall", "wooden"} & adjs
    assert {"critic", "defender", "proponent"} <= agents
    assert not {"general", "carpenter"} & agents


def test_adjective_with_a_preposition():
    c = stance("Senator Graham has been critical of the new trade deal.", "critical of")
    assert c is not None and c["speaker"] == "Senator Graham"
    assert c["content"] == "the new trade deal"


def test_preposition_attached_to_the_verb():
    c = stance("The senator is bearish on the future of the pipeline.", "bearish on")
    assert c is not None and c["content"] == "the future of the pipeline"


def test_adjective_with_a_clause_without_a_modal():
    c = stance("The governor is skeptical that the tax plan is fair.", "skeptical")
    assert c is not None and c["speaker"] == "The governor"
    assert c["content"] == "the tax plan is fair"


def test_agent_noun_as_predicate_and_apposition():
    c = stance("Mayor Lopez is a longtime critic of the stadium project.", "critic of")
    assert c is not None and c["speaker"] == "Mayor Lopez" and c["content"] == "the stadium project"
    c = stance("A passionate defender of the union, Mr. Hale spoke for an hour on Monday.", "defender of")
    assert c is not None and c["speaker"] == "Mr. Hale"


def test_no_stance_without_a_speaker_or_with_a_plain_adjective():
    assert stance("The bridge is critical of nothing.", "critical of") is None      # a thing holds no view
    assert stance("The minister is tall of stature.", "tall of") is None
    assert stance("The general of the army arrived on Monday.", "general of") is None


def test_ability_is_no_stance():
    assert stance("If you think your daughter is capable of earning money in the summer, ask her to save half.",
                  "capable of") is None
    assert stance("The nurses say the new hires are capable of running the ward.", "capable of") is None


def test_wordnet_experiencer_verbs_and_feeling_nouns():
    from kb.nlp.claims.candidates.cue_objects import proposition_nouns
    from kb.nlp.claims.candidates.stance_cues import experiencer_verbs
    verbs = experiencer_verbs()
    assert {"convince", "persuade", "disappoint", "unsettle", "please"} <= verbs
    assert not {"tell", "inform", "build", "assure"} & verbs
    assert {"anger", "hope", "fear"} <= proposition_nouns() and "table" not in proposition_nouns()


def test_passive_of_an_experiencer_verb_gives_the_subject_the_stance():
    c = stance("The mayor was convinced that the bridge would collapse within a year.", "convinced")
    assert c is not None and c["speaker"] == "The mayor"
    assert c["content"] == "the bridge would collapse within a year"
    c = stance("Local farmers have been unsettled by the new water rules.", "unsettled by")
    assert c is not None and c["speaker"] == "Local farmers" and c["content"] == "the new water rules"


def test_passive_of_a_cue_verb_on_a_thing_keeps_no_speaker():
    claims = analyze("The plan was criticized for its cost.")["claims"]
    assert any(c["cue"].startswith("criticized") and not c["speaker"] for c in claims)


def test_adjective_of_will_with_an_infinitive():
    c = stance("Some senators were willing to support a smaller bill.", "willing")
    assert c is not None and c["speaker"] == "Some senators"
    assert c["content"] == "to support a smaller bill"
    assert stance("The rocket was ready to launch on Friday.", "ready") is None
