"""Event classes of claim contents (kb.nlp.events, from WordNet): one event whatever the wording."""
import pytest

from kb.nlp import load_nlp
from kb.nlp.events import OPERATE, REASON, TARGET, compatible, event_of, lexicon


def event(text: str):
    doc = load_nlp()(text)
    root = next(t for t in doc if t.dep_ == "ROOT")
    ev = event_of(root)
    return (ev.name, ev.sign) if ev else None


@pytest.mark.parametrize("text", [
    "China will soon lift the restrictions on Line and KakaoTalk.",
    "The blockage will not last.",
    "Services will return to normal soon.",
    "Line resumed service in China on Friday.",
    "The ministry told us that the restrictions are temporary.",
    "The block would not be permanent.",
    "Chinese officials had repeated their pledge to restore the services.",
    "The strike will not last.",                          # a strike stops work (WordNet's definition)
    "The strike would be over by May 31.",
    "We will be back to a normal schedule as quickly as possible.",
    "We will be back to full strength on June 10.",
    "The two services would be back within weeks.",
    "The envoy was hopeful the two services would be back within weeks.",   # what is hoped
])
def test_ending_a_stop_and_restoring_are_one_positive_event(text):
    assert event(text) == (OPERATE, 1)


@pytest.mark.parametrize("text", [
    "The Chinese authorities have not lifted the blockage of KakaoTalk and Line.",
    "The Chinese government suspended the services of Line and KakaoTalk.",
    "China blocked Line last month.",
    "Beijing banned KakaoTalk.",
    "The government shut down the service last week.",
    "He no longer expected Beijing to lift its restrictions on KakaoTalk.",
])
def test_stopping_and_denying_the_end_of_a_stop_are_its_negative(text):
    assert event(text) == (OPERATE, -1)


@pytest.mark.parametrize("text, expected", [
    ("Greece will make a payment to the IMF on Friday.", ("pay", 1)),
    ("Greece has missed its payment to the IMF.", ("pay", -1)),
    ("Greece has now missed its 1.5 billion euro payment to the IMF.", ("pay", -1)),
    ("Greece defaulted on its loan.", ("pay", -1)),
    ("Greece would not make the deadline today for a key payment to the IMF.", ("pay", -1)),
    ("Greece failed to repay a loan to the IMF.", ("repay", -1)),
])
def test_paying_missing_and_defaulting(text, expected):
    assert event(text) == expected


def test_a_goal_stands_for_its_event_or_is_a_target_matched_by_figures():
    assert event("Tesla will reach its goal of producing 5,000 Model 3 cars per week in 2017.") == ("produce", 1)
    assert event("Tesla expects to achieve a production rate of 5,000 vehicles per week.") == ("produce", 1)
    assert event("Tesla will hit its target of 5,000 cars per week by the end of the quarter.") == (TARGET, 1)


@pytest.mark.parametrize("text", [
    "The curbs were linked to concerns that the apps were used to spread terrorist material.",
    "The delay was due to faults in the signalling software.",
    "The cause of the bottleneck has been confirmed to be at the battery plant.",
    "The government suspended the services in order to prevent attacks.",
    "The block is needed to stop the apps being used to spread propaganda.",
    "Software fixes to the signalling system had taken longer than expected.",
    "The problems stem from the battery module line.",
])
def test_a_reason_for_an_event_is_a_proposition_of_its_own(text):
    assert event(text) == (REASON, 1)


def test_a_stop_without_a_purpose_is_no_reason():
    assert event("The government suspended the services last week.") == (OPERATE, -1)
    assert event("The strike would continue into the summer.") == (OPERATE, -1)


def test_a_course_leads_to_its_event():
    assert event("It was still on course to pay refunds to all passengers by June 30.") == ("pay", 1)


def test_launching_and_delaying_a_launch():
    assert event("The company will launch the phone in May.") == (OPERATE, 1)
    assert event("The launch of the phone was delayed until June.") == (OPERATE, -1)


def test_a_new_date_is_not_a_denial():
    doc = load_nlp()("That target won't be hit until the end of June.")
    ev = event_of(next(t for t in doc if t.dep_ == "ROOT"))
    assert ev.sign == 1 and ev.revision


def test_compatible_events_share_a_sense_or_are_parent_and_child():
    assert compatible("repay", "pay") and compatible("pay", "repay")
    assert compatible("pay", "pay")
    assert not compatible("donate", "pay")          # siblings under "give", not one event
    assert not compatible(TARGET, "produce")        # a bare target needs its figures
    assert not compatible(None, "pay")


def test_the_lexicon_is_wordnet_data_with_its_licence():
    lex = lexicon()
    assert "WordNet 3.0" in lex["licence"] and lex["roots"]["stop"]
    assert lex["verbs"]["ban"]["p"] == -1 and lex["verbs"]["resume"]["p"] == 1
    assert lex["nouns"]["strike"]["x"] == 1 and lex["nouns"]["walkout"]["x"] == 1     # "stop work ..."
    assert lex["nouns"]["outage"]["x"] == 1 and "x" not in lex["nouns"].get("bridge", {})   # "suspension of operation"
    assert lex["verbs"]["attribute"]["k"] == 1 and lex["nouns"]["reason"]["k"] == 1 and "k" not in lex["verbs"]["make"]
    assert lex["verbs"]["ask"]["q"] == 1 and "q" not in lex["verbs"]["say"]
    assert lex["nouns"]["payment"]["v"] == ["pay"] and lex["nouns"]["blockage"]["x"] == 1
    assert lex["lasting"]["temporary"] == -1 and lex["lasting"]["permanent"] == 1


def test_being_back_somewhere_is_no_restart():
    assert event("The minister was back in London on Friday.") != (OPERATE, 1)
