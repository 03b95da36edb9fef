"""Event classes of claim contents (kb.nlp.events, from WordNet): one event whatever the wording."""
import pytest

from kb.nlp import load_nlp
from kb.nlp.events import OPERATE, TARGET, compatible, event_of, lexicon


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
    assert lex["nouns"]["payment"]["v"] == ["pay"] and lex["nouns"]["blockage"]["x"] == 1
    assert lex["lasting"]["temporary"] == -1 and lex["lasting"]["permanent"] == 1
