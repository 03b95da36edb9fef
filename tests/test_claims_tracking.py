"""Claims that claim tracking needs (kb.nlp.claims and its rule modules), on small made-up
sentences of the shapes found in the dev tracking stories, and on those stories themselves
(../shared/corpus/tracking, skipped when absent)."""
import json
import re
from collections import Counter

import pytest

from kb.nlp import analyze
from kb.nlp.claims.candidates.lexicon import wordnet_lexicon

from conftest import CORPUS, SEED


def claims_of(text):
    return analyze(text)["claims"]


def one(claims, **want):
    hits = [c for c in claims if all(c[k] == v for k, v in want.items())]
    assert len(hits) == 1, (want, [(c["speaker"], c["cue"], c["content"]) for c in claims])
    return hits[0]


# ----------------------------------------------------------------------------- two claims, relayed claims
def test_a_sentence_with_two_reports_gives_two_claims():
    claims = claims_of("The airline tells us the strike will not last, and I expect flights to resume "
                       "by the end of this month.")
    a = one(claims, cue="tells")
    b = one(claims, cue="expect")
    assert (a["speaker"], a["content"]) == ("The airline", "the strike will not last")
    assert (b["speaker"], b["content"]) == ("I", "flights to resume by the end of this month")
    assert a["polarity"] == "negative" and b["modality"] == "future"


def test_relayed_claim_keeps_who_relayed_it_and_whose_claim_it_is():
    c = one(claims_of("“The ministry told us that the block would end soon,” the ambassador said."), cue="said")
    assert c["speaker"] == "the ambassador" and c["claimant"] == "The ministry"
    assert c["predicate"] == "end" and c["modality"] == "future"
    c = one(claims_of("The mayor said they were told by the ministry that the road would reopen."), cue="said")
    assert c["speaker"] == "The mayor" and c["claimant"] == "the ministry"      # a passive: the agent


def test_no_claimant_when_nothing_is_relayed_or_the_teller_is_the_speaker():
    assert one(claims_of("The mayor said the road would reopen."), cue="said")["claimant"] is None
    assert one(claims_of("Trump said he had told them that the wall would be built."), cue="said")["claimant"] is None
    assert one(claims_of("“I told them the plant would close,” she said."), cue="said")["claimant"] is None


def test_seed_claim_of_the_chinese_government_relayed_by_the_diplomat():
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    c = [c for c in claims_of(text) if "would soon lift" in c["content"] and c["cue"] == "according to"][0]
    assert "diplomat" in c["speaker"] and c["claimant"] == "The Chinese government"
    assert c["claimant_entity"] == {"name": "China", "type": "government"}
    assert c["predicate"] == "lift" and c["modality"] == "future"


# ----------------------------------------------------------------------------- descriptions (WordNet kin)
def test_wordnet_kin_links_a_description_to_a_synonym_or_hypernym():
    from kb.nlp.claims.assembly.speakers import kin_nouns
    assert "diplomat" in kin_nouns("envoy") and "envoy" in kin_nouns("diplomat")   # symmetric
    assert "diplomat" in wordnet_lexicon()["speaker_kin"]["envoy"].split()
    assert "company" not in kin_nouns("envoy")


def test_the_envoy_refers_to_the_earlier_diplomat_and_takes_its_entity():
    claims = claims_of("A Korean diplomat said the talks had failed. The envoy said the block would end soon.")
    assert one(claims, speaker="The envoy")["speaker_refers_to"] == "A Korean diplomat"
    claims = claims_of("A diplomat, Kim Hong-kyun, said the talks had failed. The envoy said the block would end soon.")
    c = one(claims, speaker="The envoy")
    assert c["speaker_refers_to"] == "A diplomat" and c["speaker_entity"]["name"] == "Kim Hong-kyun"
    claims = claims_of("A Korean diplomat said the talks had failed. The company said the block would end soon.")
    assert one(claims, speaker="The company")["speaker_refers_to"] is None


# ----------------------------------------------------------------------------- shapes of the tracking stories
def test_cue_closing_the_sentence_with_an_addressee():
    c = one(claims_of("Acme Corp. will “quite likely” meet its goal of making 500 cars in a single week by the "
                      "end of the month, Chief Executive Jane Roe told investors on Tuesday."), cue="told")
    assert c["speaker"] == "Chief Executive Jane Roe" and c["content"].startswith("Acme Corp. will")


def test_speaker_hung_on_an_opening_adjunct_and_the_quote_paragraph_after_it():
    text = ("In a letter published Monday, Chief Executive Jane Roe said “our biggest problem has been the "
            "paint shop” at the Ohio plant.\n\n“The new robots took longer to install than expected. We "
            "have moved our best engineers to the line.”")
    claims = claims_of(text)
    assert len(claims) == 2 and all(c["speaker"].endswith("Jane Roe") for c in claims)
    assert claims[0]["content"].startswith("our biggest problem")
    assert claims[1]["content"].startswith("The new robots") and claims[1]["direct_quote"]


def test_ascribing_verb_takes_the_object_and_what_it_is_ascribed_to():
    c = one(claims_of("The company attributed the delays to a shortage of pilots."), cue="attributed")
    assert c["speaker"] == "The company" and c["content"] == "the delays to a shortage of pilots"


def test_forecast_beside_a_participle_cue_is_still_the_articles_own():
    claims = claims_of("Acme will not reach its sales goal this year, pointing to weak demand in Europe.")
    f = one(claims, speaker=None)
    assert f["content"] == "Acme will not reach its sales goal this year"
    assert (f["modality"], f["polarity"]) == ("future", "negative")
    assert one(claims, cue="pointing to")["content"] == "weak demand in Europe"


def test_effort_towards_a_goal_looks_ahead():
    from kb.nlp.claims.candidates.lexicon import aim_verbs
    assert {"try", "strive", "push", "aim"} <= aim_verbs() and "think" not in aim_verbs()
    c = one(claims_of("The company is trying to reach a rate of 500 cars a day by the end of the quarter."),
            speaker=None)
    assert c["cue"] == "is trying" and c["modality"] == "future"
    assert one(claims_of("The union is pushing to win a new contract."), speaker=None)["modality"] == "future"
    assert claims_of("The police tried to stop the crowd.") == []          # a past attempt
    c = one(claims_of("The airline may be on track to restore all flights by the end of the quarter."), speaker=None)
    assert c["cue"] == "may"                                             # 'may' with a deadline


def test_a_consequence_drawn_by_the_article():
    c = one(claims_of("This means the county will miss Friday's payment of $3 million."), cue="means")
    assert c["speaker"] is None and c["content"] == "the county will miss Friday's payment of $3 million"
    assert c["modality"] == "future"
    assert claims_of("That does not mean prices will fall.") == []
    # a person who 'means' something intends it: his words if anything (the model decides), no consequence
    assert all(c["speaker"] == "He" for c in claims_of("He means that he will quit."))


def test_a_stated_target_or_intention_is_future():
    c = one(claims_of("Mr. Roe trumpeted a production level of 500 a week by December 2019."), cue="trumpeted")
    assert c["modality"] == "future"
    c = one(claims_of("“It has always been our intention to open a second plant,” she said."), cue="said")
    assert c["modality"] == "future"


def test_a_because_clause_of_the_quote_stays_in_the_content():
    c = one(claims_of('Talk of a strike is "all rumour, because we\'re expecting the deal to be signed on '
                      'Friday," said union spokesman Tom Baker.'), cue="said")
    assert c["content"].endswith('signed on Friday,"')


def test_yes_or_no_answers_the_question_put():
    claims = claims_of('Asked by reporters whether the city would pay the bill, the mayor replied, "No".')
    c = one(claims, cue="replied")
    assert c["speaker"] == "the mayor" and c["content"] == "the city would pay the bill"
    assert (c["polarity"], c["modality"]) == ("negative", "future")
    assert not [c for c in claims if c["cue"] == "Asked"]                 # the question is no claim
    c = one(claims_of('Reporters asked whether the plant would close. "Yes," the mayor said.'), cue="said")
    assert c["content"] == "the plant would close" and c["polarity"] == "positive"
    c = one(claims_of('"Do I think it matters? No," she said.'), cue="said")
    assert c["polarity"] == "positive"                                    # the answer is inside the quote


# ----------------------------------------------------------------------------- what is not a content
def test_an_adverbial_clause_of_the_cue_is_not_what_was_said():
    assert not [c for c in claims_of("But when Congress cut funding two years later, Mexico said enough.")
                if c["content"].startswith("But when")]


def test_a_one_word_quote_before_the_cue_opens_the_content():
    c = one(claims_of('"That," he added, "promises to make life harder for our children."'), cue="added")
    assert c["content"].startswith("That") and c["content"].endswith("our children")


def test_a_quote_after_a_relative_clause_belongs_to_the_sentence():
    claims = claims_of('She said anybody who complains about the rules "is not having a good night."')
    assert not [c for c in claims if c["cue"].startswith("complains") and "good night" in c["content"]]


def test_relative_pronoun_object_leaves_no_adjunct_content():
    claims = claims_of("Cross-selling was a key strategy, which the bank detailed in its annual filings.")
    assert not [c for c in claims if c["content"].startswith("in its annual")]


# ----------------------------------------------------------------------------- the dev tracking stories
def member_words(text):
    words = re.findall(r"\w+", text.lower())
    return Counter(w for w in words if len(w) > 3) or Counter(words)


def test_dev_tracking_members_are_claims():
    folder = CORPUS / "tracking"
    if not folder.exists():
        pytest.skip(f"tracking corpus not found at {folder}")
    total = found = 0
    for gold_path in sorted(folder.glob("*/gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        members = [m for t in gold["threads"] for m in t["members"]]
        for name in sorted({m["file"] for m in members}):
            claims = claims_of((gold_path.parent / "articles" / name).read_text(encoding="utf-8"))
            for m in (m for m in members if m["file"] == name):
                want = member_words(m["text"])
                total += 1
                found += any(sum((want & member_words(c["sentence"])).values()) >= 0.6 * sum(want.values())
                             for c in claims)
    assert total and found / total >= 0.9, (found, total)
