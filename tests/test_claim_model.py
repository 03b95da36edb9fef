"""The claim model (kb.nlp.claims.model): features, scoring, loading, and its place in extraction."""
import json
import math

import pytest

from kb.nlp import load_nlp
from kb.nlp.claims import model as cm
from kb.nlp.claims.candidates.structural import clause_candidates, object_candidates
from kb.nlp.claims.extract import candidates, extract_claims
from conftest import ingested_file


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def write_model(tmp_path, weights, bias=0.0, threshold=0.5, structural=None):
    path = tmp_path / f"model{len(list(tmp_path.glob('*.json')))}.json"     # loaded models are cached by path
    data = {"weights": weights, "bias": bias, "threshold": threshold}
    if structural is not None:
        data["structural_threshold"] = structural
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def features_of(nlp, text: str, cue: str, context: bool = False) -> dict:
    """The features of the candidate cued by ``cue`` in ``text`` (with the other candidates)."""
    doc = nlp(text)
    claims, rules, _ = candidates(doc, structural=False)
    c = next(c for c in claims if c["cue"] == cue)
    others = [(o, rules[id(o)]) for o in claims] if context else None
    return cm.features(doc, c, rules[id(c)], others=others)


def test_features_describe_rule_cue_speaker_and_content(nlp, monkeypatch):
    monkeypatch.setenv(cm.ENV_VAR, "off")
    f = features_of(nlp, "Headline\n\nThe senator said that the bill would pass.", "said")
    assert f["rule=verb"] == 1 and f["lemma=say"] == 1 and f["cls=speech"] == 1
    assert f["spk=noun"] == 1 and f["spkword=senator"] == 1
    assert f["cuepos=before"] == 1 and f["direct=False"] == 1
    assert "cue_in_title" not in f
    g = features_of(nlp, '"We will win," she said.', "said")
    assert g["spk=pron"] == 1 and g["cuepos=after"] == 1 and g["direct=True"] == 1


def test_features_name_the_kind_of_verb_also_for_verbs_training_never_saw(nlp):
    """WordNet's lexicographer file of the cue verb (kb/data/wordnet_cues.json verb_files)."""
    doc = nlp("Senator Maria Lopez passed the surveillance camera. Senator Maria Lopez criticized the plan.")
    claims, rules, _ = candidates(doc, structural=True)
    kinds = {c["cue"]: {k for k in cm.features(doc, c, rules[id(c)]) if k.startswith("verb_file=")} for c in claims}
    assert kinds["passed"] == {"verb_file=motion"} and kinds["criticized"] == {"verb_file=communication"}
    assert "rule_verb_file=object|motion" in cm.features(doc, next(c for c in claims if c["cue"] == "passed"), "object")


def test_features_place_a_report_within_a_report(nlp, monkeypatch):
    monkeypatch.setenv(cm.ENV_VAR, "off")
    text = "The senator said that aides believe the bill would pass."
    fo, fi = (features_of(nlp, text, cue, context=True) for cue in ("said", "believe"))
    assert fi["cue_in_other"] == 1 and "holds_other_cue" not in fi
    assert fo["holds_other_cue"] == 1 and "cue_in_other" not in fo
    assert "cue_in_other" not in features_of(nlp, text, "believe")     # alone: no context


def test_features_pair_the_cue_class_with_content_and_speaker_place(nlp, monkeypatch):
    monkeypatch.setenv(cm.ENV_VAR, "off")
    f = features_of(nlp, '"We will win the state," the senator said.', "said")
    assert f["cls_pos=speech|after"] == 1 and f["head_spk=say|before"] == 1
    (clen,) = [k[5:] for k in f if k.startswith("clen=")]
    assert [k for k in f if k.startswith("cls_clen=")] == ["cls_clen=speech|" + clen]


def test_score_is_the_logistic_of_the_weighted_sum():
    m = cm.ClaimModel({"weights": {"a": 2.0, "b": -1.0}, "bias": 0.5, "threshold": 0.5})
    assert m.score({"a": 1, "b": 1, "unknown": 1}) == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert m.score({}) == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert m.score({"a": 1000}) <= 1.0


def test_structural_candidates_have_their_own_threshold(nlp):
    doc = nlp("Senator Bernie Sanders opposes the trade deal.")
    (c,) = [dict(cue_start=doc[a.cue[0]].idx, cue_end=doc[a.cue[1] - 1].idx + len(doc[a.cue[1] - 1]),
                 content_start=doc[a.content[0]].idx, content_end=len(doc.text) - 1, speaker="Sanders")
            for a in object_candidates(doc)]
    m = cm.ClaimModel({"weights": {}, "bias": 0.0, "threshold": 0.4, "structural_threshold": 0.6})
    assert m.keep(doc, c, "verb") and not m.keep(doc, c, "object")


def test_object_and_clause_candidates():
    nlp = load_nlp()
    doc = nlp("Senator Bernie Sanders opposes the trade deal. She figured that the wall will be built.")
    objs = [(doc[slice(*a.cue)].text, doc[slice(*a.content)].text, a.speaker.text) for a in object_candidates(doc)]
    assert ("opposes", "the trade deal", "Sanders") in objs
    clauses = [(doc[slice(*a.cue)].text, doc[slice(*a.content)].text) for a in clause_candidates(doc)]
    assert ("figured", "the wall will be built") in clauses    # 'figure' is no cue of the lexicon
    none = nlp("The weather improved the harvest.")     # no one is the subject
    assert not list(object_candidates(none))


def test_a_structural_candidate_gives_way_to_a_rule_inside_it_or_on_its_cue(nlp):
    doc = nlp("Maria Lopez released a statement saying that the factory will close in May.")
    claims, rules, _ = candidates(doc, structural=True)
    assert [(rules[id(c)], c["cue"]) for c in claims] == [("verb", "saying")]
    doc = nlp("The Bank of Canada warned in a report on Tuesday that a trade war could push the "
              "economy into recession.")     # not the object reading 'warned in: a report'
    claims, rules, _ = candidates(doc, structural=True)
    assert [(rules[id(c)], c["cue"]) for c in claims] == [("verb", "warned")]
    doc = nlp("Senator Bernie Sanders visited the plant.")       # no rule: the structural reading stays
    claims, rules, _ = candidates(doc, structural=True)
    assert [(rules[id(c)], c["cue"], c["content"]) for c in claims] == [("object", "visited", "the plant")]


def test_model_off_or_missing_keeps_every_rule_candidate(nlp, monkeypatch, tmp_path):
    monkeypatch.setenv(cm.ENV_VAR, "off")
    assert cm.model() is None
    monkeypatch.setenv(cm.ENV_VAR, str(tmp_path / "absent.json"))
    assert cm.model() is None
    doc = nlp("The minister said the plan would fail.")
    assert [c["cue"] for c in extract_claims(doc)] == ["said"]


def test_the_model_decides(nlp, monkeypatch, tmp_path):
    text = "The minister said the plan would fail. The mayor hopes the rain stops."
    monkeypatch.setenv(cm.ENV_VAR, write_model(tmp_path, {"lemma=say": 10.0}, bias=-5.0))
    kept = extract_claims(nlp(text))
    assert [c["cue"] for c in kept] == ["said"]       # 'hopes' scores below the threshold
    monkeypatch.setenv(cm.ENV_VAR, write_model(tmp_path, {}, bias=-30.0))
    assert not [c for c in extract_claims(nlp(text)) if c["cue"] in ("said", "hopes")]


def test_the_articles_own_consequences_are_not_for_the_model(nlp, monkeypatch, tmp_path):
    monkeypatch.setenv(cm.ENV_VAR, write_model(tmp_path, {}, bias=-30.0))     # rejects every candidate
    claims = extract_claims(nlp("Greece missed the payment. This means it cannot receive further IMF loans."))
    assert [c["cue"] for c in claims if c["speaker"] is None] == ["means"]


def test_shipped_model_loads_and_keeps_a_plain_report(nlp, monkeypatch):
    monkeypatch.delenv(cm.ENV_VAR, raising=False)
    m = cm.model()
    if m is None:
        pytest.skip("no kb/data/claim_model.json shipped")
    assert 0 < m.threshold < 1 and m.weights
    claims = extract_claims(nlp("Headline\n\nThe White House said on Monday that the talks had failed."))
    assert any(c["cue"] == "said" and "talks had failed" in c["content"] for c in claims)


def test_ingest_keeps_the_claims_of_the_title(tmp_path):
    """The title is stored apart from the text; its claim ('..., diplomat says') is kept."""
    db = ingested_file(tmp_path, "Talks on the dam have collapsed, Egyptian minister says\n\nThe dispute goes on\n\n"
                       "PUBLISHED : Monday, 04 August, 2014, 1:29pm\n\n"
                       "Cairo, Monday. The two countries met again this week.\n")
    (art,) = db.execute("SELECT title, text FROM articles").fetchall()
    assert art[0].startswith("Talks on the dam") and "Talks" not in art[1]
    claims = db.execute("SELECT speaker, cue, content, content_start FROM claims").fetchall()
    assert ("Egyptian minister", "says", "Talks on the dam have collapsed", None) in claims
