"""The claim model's training helpers (kb.train): labels by the scorer's matching rule, and
the rule-family ablation. Sentences are made up; the scorer is ../shared/eval's."""
import pytest

from conftest import CORPUS, need
from kb.nlp import load_nlp
from kb.train import ablation, agreement
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


def _ann(spans: dict[str, str], events: list[str]) -> str:
    """A brat file: T lines for ``spans`` (id -> 'Type start end'), E lines for ``events``."""
    return "".join(f"{k}\t{v}\tx\n" for k, v in spans.items()) + "".join(f"E{i}\t{e}\n" for i, e in enumerate(events, 1))


def test_agreement_scores_the_second_annotator_as_the_scorer_scores_kb(tmp_path):
    E = scorer(need(CORPUS))
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (split / "text" / "b.txt").write_text(TEXT, encoding="utf-8")      # annotated once: not counted

    def at(s: str) -> str:
        i = TEXT.index(s)
        return f"{i} {i + len(s)}"
    smith = {"T1": "Source " + at("Smith"), "T2": "Cue " + at("said"),
             "T3": "Content " + at("the council never voted on the budget")}
    bridge = {"T4": "Source " + at("the city engineer"), "T5": "Cue " + at("according to"),
              "T6": "Content " + at("The bridge will reopen in May")}
    first = _ann({**smith, **bridge}, ["Attribution:T1 Content:T3 Cue:T2 Source:T1",
                                       "Attribution:T5 Content:T6 Cue:T5 Source:T4"])
    other = {"T1": "Source " + at("the council"), "T2": "Cue " + at("said"),
             "T3": "Content " + at("the council never voted on the budget")}
    second = _ann(other, ["Attribution:T2 Content:T3 Cue:T2 Source:T1"])
    for name, body in (("a_ann1.ann", first), ("a_ann2.ann", second), ("b_ann1.ann", first)):
        (split / "attributions" / name).write_text(body, encoding="utf-8")
    got = agreement.agreement(E, split)
    assert got["articles"] == ["a"]
    assert (got["precision"], got["recall"]) == (1.0, 0.5) and got["f1"] == round(2 / 3, 4)
    assert got["cue_acc"] == 1.0 and got["source_acc"] == 0.0          # same cue, another source


def test_settings_dev_cannot_tell_apart_go_to_train_then_to_precision(monkeypatch):
    """C and thresholds: within TOLERANCE of the best dev F1, then of the best out-of-fold F1
    on train, the most precise on dev (ties: the smaller C)."""
    from kb.train import claim_model as T
    dev_scores, oof_f1 = {}, {}
    monkeypatch.setattr(T, "C_GRID", (1.0, 0.3))
    monkeypatch.setattr(T, "THRESHOLDS", (0.2, 0.25))
    monkeypatch.setattr(T, "STRUCTURAL_THRESHOLDS", (0.4,))
    monkeypatch.setattr(T, "fit", lambda train, C: (C,))
    monkeypatch.setattr(T, "predict", lambda C, dev: C)
    monkeypatch.setattr(T, "evaluate", lambda E, arts, probs, t: dev_scores[probs, t[0]] if arts == "dev"
                        else {"f1": oof_f1[probs[0], t[0]]})
    monkeypatch.setattr(T, "out_of_fold", lambda train, C: ([C], [[0]]))

    def chosen(dev: dict, oof: dict) -> tuple:
        dev_scores.clear(), oof_f1.clear()
        dev_scores.update({k: {"f1": f, "precision": p} for k, (f, p) in dev.items()})
        oof_f1.update(oof)
        got = T.choose(None, ["train"], "dev")
        assert got.oof == ([got.C], [[0]])       # the chosen C's folds, for the card's CV
        return got.C, got.t[0]
    same_oof = dict.fromkeys([(0.3, 0.2), (0.3, 0.25), (1.0, 0.2), (1.0, 0.25)], 0.7336)
    # dev F1 0.0003 apart: the more precise threshold, whichever is higher on dev
    assert chosen({(0.3, 0.2): (0.8128, 0.860), (0.3, 0.25): (0.8125, 0.863),
                   (1.0, 0.2): (0.8100, 0.870), (1.0, 0.25): (0.8090, 0.880)}, same_oof) == (0.3, 0.25)
    # ... unless train tells them apart
    assert chosen({(0.3, 0.2): (0.8128, 0.860), (0.3, 0.25): (0.8125, 0.863),
                   (1.0, 0.2): (0.8100, 0.870), (1.0, 0.25): (0.8090, 0.880)},
                  {**same_oof, (0.3, 0.25): 0.7320}) == (0.3, 0.2)
    # a clear dev lead wins; an exact tie goes to the stronger regularisation
    assert chosen({(0.3, 0.2): (0.8100, 0.860), (0.3, 0.25): (0.8090, 0.863),
                   (1.0, 0.2): (0.8130, 0.850), (1.0, 0.25): (0.8110, 0.880)}, same_oof) == (1.0, 0.2)
    assert chosen({(0.3, 0.2): (0.8127, 0.862), (0.3, 0.25): (0.8000, 0.863),
                   (1.0, 0.2): (0.8127, 0.862), (1.0, 0.25): (0.8000, 0.880)}, same_oof) == (0.3, 0.2)


def test_the_parse_cache_is_keyed_on_kbs_own_pipeline_code_not_the_spacy_model_alone(tmp_path, monkeypatch):
    from kb.train import parse_cache
    sources = parse_cache.pipeline_sources()
    assert any(f.name == "tagger.py" and f.parent.name == "entities" for f in sources)
    assert any(f.name == "gazetteer.json" for f in sources)
    assert not any("claims" in f.parts for f in sources)        # claim rules are run on the cached parse
    nlp = load_nlp()
    rule = tmp_path / "rule.py"
    rule.write_text("A = 1\n")
    monkeypatch.setattr(parse_cache, "pipeline_sources", lambda: [rule])
    before = parse_cache._key(nlp, ["Some text."])
    rule.write_text("A = 2\n")
    assert parse_cache._key(nlp, ["Some text."]) != before
