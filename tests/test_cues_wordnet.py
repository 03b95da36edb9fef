"""Cue verbs from WordNet (kb.nlp.claims.candidates.wordnet_cues, kb.nlp.wordnet_build) and the agent-passive
rule of kb.nlp.claims.candidates.cues, on small made-up sentences and a made-up WordNet fragment."""
import json

import pytest

from kb.nlp import analyze
from kb.nlp.claims.candidates.lexicon import wordnet_lexicon
from kb.nlp.claims.candidates.wordnet_cues import GROUPS, wordnet_cue
from kb.nlp.wordnet_build import build, main


def claims_of(text):
    return [(c["speaker"], c["cue"], c["content"]) for c in analyze(text)["claims"]]


def test_data_file_has_licence_and_groups():
    data = wordnet_lexicon()
    assert "Princeton University" in data["licence"]
    groups = {v["group"] for v in data["verbs"].values()}
    assert set(GROUPS) <= groups
    assert all(set(v["frames"]) <= {8, 9, 26} | ({15, 21} if v["group"] == "evaluate" else set()) and v["frames"]
               for v in data["verbs"].values())
    assert {"journalist", "committee"} <= data["speaker_set"]


def test_hand_lexicon_wins_and_unknown_verbs_are_not_cues():
    assert wordnet_cue("say") is None          # in kb/data/cues.json
    assert wordnet_cue("run") is None          # not a communication verb
    assert wordnet_cue("voice")["group"] == "express"


def test_object_of_an_expressive_verb_is_the_content():
    assert ("The mayor", "voiced", "strong doubts about the budget") in \
        claims_of("The mayor voiced strong doubts about the budget.")
    assert ("The committee", "assessed", "the damage to the harbor") in \
        claims_of("The committee assessed the damage to the harbor.")


def test_subject_must_be_able_to_hold_a_view():
    assert not [c for c in claims_of("The machine voiced strong doubts about the budget.") if c[1] == "voiced"]
    assert not [c for c in claims_of("The thermometer logged the temperature every hour.") if c[1] == "logged"]


def test_agent_of_a_passive_stance_verb_is_the_speaker():
    assert ("the teachers union", "endorsed", "The new plan") in \
        claims_of("The new plan was endorsed by the teachers union on Monday.")
    # no agent: the existing no-source reading, not a speaker
    assert all(c[0] is None for c in claims_of("The new plan was endorsed on Monday.") if c[1] == "endorsed")


VERB_DATA = """\
  1 made-up header line
00000001 32 v 01 express 0 000 01 + 08 00 | give expression to
00000002 32 v 02 voice 0 vent 0 001 @ 00000001 v 0000 02 + 08 00 + 09 01 | put into words
00000003 38 v 01 run 0 000 01 + 02 00 | move fast
00000004 32 v 01 hum 0 001 @ 00000001 v 0000 01 + 02 00 | sing with closed lips
"""
SENSE_DATA = """\
express%2:32:01:: 00000001 1 59
voice%2:32:00:: 00000002 1 3
vent%2:32:00:: 00000002 1 0
run%2:38:00:: 00000003 1 100
hum%2:32:00:: 00000004 1 2
critic%1:18:00:: 10000001 1 4
committee%1:14:00:: 10000002 1 9
xylophonist%1:18:00:: 10000003 1 0
"""


def test_build_from_a_wordnet_fragment(tmp_path, monkeypatch):
    (tmp_path / "data.verb").write_text(VERB_DATA, encoding="latin-1")
    (tmp_path / "index.sense").write_text(SENSE_DATA, encoding="latin-1")
    monkeypatch.setattr("kb.nlp.wordnet_build.ROOTS", {"express%2:32:01::": "express"})
    data = build(tmp_path)
    assert data["verbs"] == {"express": {"group": "express", "frames": [8]},
                             "vent": {"group": "express", "frames": [8]},
                             "voice": {"group": "express", "frames": [8, 9]}}   # 9 is voice's own frame
    assert data["speaker_nouns"] == ["committee", "critic"]    # untagged noun left out
    out = tmp_path / "out.json"
    assert main([str(tmp_path), str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["verbs"] == data["verbs"]


def test_build_refuses_a_folder_without_wordnet(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "usage" in capsys.readouterr().err
