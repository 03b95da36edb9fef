"""The claim model's training helpers (kb.train): labels by the scorer's matching rule, and
the rule-family ablation. Sentences are made up; the scorer is ../shared/eval's."""
import pytest

from conftest import CORPUS, need
from kb.nlp import load_nlp
from kb.train import ablation
from kb.train.claim_model import Article, scorer

TEXT = ("The bridge will reopen in May, according to the city engineer. "
        "Smith said the council never voted on the budget.")


@pytest.fixture(scope="module")
def article():
    E = scorer(need(CORPUS))
    doc = load_nlp()(TEXT)

    def span(s: str) -> list[tuple[int, int]]:
        i = TEXT.index(s)
        return [(i, i + len(s))]
    gold = [{"content": span("the council never voted on the budget"), "cue": span("said"), "source": span("Smith")}]
    return E, Article("made-up", TEXT, gold, doc, E)


def test_a_candidate_is_labelled_by_the_scorers_match(article):
    _, a = article
    labels = {a.rules[id(c)] + ":" + c["cue"]: lab for c, lab in zip(a.claims, a.labels)}
    assert labels["verb:said"] == 1 and labels["according_to:according to"] == 0


def test_dropping_a_rule_family_recomputes_features_and_labels(article):
    E, a = article
    (b,) = ablation.drop_rules(E, [a], {"according_to"})
    assert [c["cue"] for c in b.claims] == [c["cue"] for c in a.claims if c["cue"] != "according to"]
    assert len(b.feats) == len(b.claims) and b.labels == [1]
    assert a.rules[id(b.claims[0])] == "verb" and any(c["cue"] == "according to" for c in a.claims)   # a is unchanged
