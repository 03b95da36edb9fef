"""Huge and hostile texts: analysed in pieces with offsets kept, held to a time and size budget.

An article over its budget is recorded in `failures` (stage extract) and the run goes on; a
text over spaCy's 2,000,000 characters no longer stops extraction for every later article.
"""
import json
import sqlite3
import time

import pytest
from click.testing import CliRunner

from ingest.article import Article
from kb import jobs, nlp, store
from kb.nlp.budget import PIECE_CHARS, Budget, OverBudget, deadline, merge, pieces, shift
from conftest import content_of

SPEECH = "Jane Zhang, an analyst at Canalys, said on Monday that Tencent would cut 500 jobs by June."
# a paragraph per 1,000 characters: cheap for spaCy (one long token each), 2,000,100 in all
FILLER = ("z" * 998 + "\n\n") * 2000
HUGE = "Opening words.\n\n" + FILLER + SPEECH + "\n"
STALL = "STALL: a text on which a rule never ends."


@pytest.fixture
def stalling_rule(monkeypatch):
    """kb's rules spin for ever on a text saying STALL (as crafted texts made them run for minutes)."""
    from kb.nlp import budget

    finish = budget._finish

    def slow_finish(nlp_, doc, reports):
        while doc.text.startswith("STALL"):
            pass
        return finish(nlp_, doc, reports)

    monkeypatch.setattr(budget, "_finish", slow_finish)


def _db(tmp_path, texts: dict[str, str]):
    db = store.open_db(tmp_path / "kb.db")
    sid = store.upsert_source(db, "test", "folder")
    for name, text in texts.items():
        store.store_article(db, Article(source=name, text=text), sid)
    return db


def _failures(db) -> list[dict]:
    return list(db.query("SELECT source, stage, reason, resolved_at FROM failures ORDER BY id"))


def test_pieces_cut_at_paragraphs_and_cover_the_text():
    text = "".join(f"Paragraph {i} says little.\n\n" for i in range(20000))
    parts = pieces(text)
    assert len(parts) > 1 and "".join(p for _, p in parts) == text
    for start, piece in parts:
        assert text[start:start + len(piece)] == piece and len(piece) <= PIECE_CHARS
        assert piece.endswith("\n\n")                       # cut at a paragraph end
    one_word = "x" * (PIECE_CHARS * 2 + 5)                  # no place to cut: cut at the limit
    assert [len(p) for _, p in pieces(one_word)] == [PIECE_CHARS, PIECE_CHARS, 5]


def test_shift_moves_offsets_only():
    result = {"text": "t", "entities": [{"start": 1, "end": 3, "name": "X"}],
              "claims": [{"cue_start": 2, "cue_end": 4, "speaker_start": None, "direct_quote": True,
                          "objects": [{"start": 5, "end": 6}], "time_text": "June"}]}
    moved = shift(result, 100)
    assert moved["entities"][0] == {"start": 101, "end": 103, "name": "X"}
    claim = moved["claims"][0]
    assert (claim["cue_start"], claim["cue_end"], claim["speaker_start"]) == (102, 104, None)
    assert claim["direct_quote"] is True and claim["objects"] == [{"start": 105, "end": 106}]
    merged = merge("whole", [(0, result), (100, result)])
    assert merged["text"] == "whole" and [e["start"] for e in merged["entities"]] == [1, 101]


def _offsets_point_into(result: dict, text: str) -> None:
    for e in result["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    for c in result["claims"]:
        assert content_of(text, c)
        assert text[c["cue_start"]:c["cue_end"]] == c["cue"]


def test_analyze_a_text_over_two_million_characters():
    assert len(HUGE) > 2_000_000
    result = nlp.analyze(HUGE)
    assert result["text"] == HUGE
    assert any(e["text"] == "Jane Zhang" and e["start"] > 2_000_000 for e in result["entities"])
    assert [c["speaker"] for c in result["claims"]] == ["Jane Zhang"]
    _offsets_point_into(result, HUGE)


def test_cli_analyze_of_a_huge_file_gives_json(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(HUGE, encoding="utf-8")
    result = CliRunner().invoke(__import__("kb.cli", fromlist=["cli"]).cli, ["analyze", str(path)])
    assert result.exit_code == 0, result.output[-500:]
    out = json.loads(result.output)
    assert out["text"] == HUGE and out["claims"][0]["speaker"] == "Jane Zhang"


def test_a_huge_article_does_not_block_the_others(tmp_path):
    db = _db(tmp_path, {"a.txt": SPEECH, "huge.txt": HUGE, "c.txt": "Tim Cook said Apple would open a store."})
    report = jobs.extract(db)
    assert (report.extracted, report.failed) == (3, 0), report.messages
    assert db.execute("SELECT count(*) FROM articles WHERE extracted_at IS NULL").fetchone()[0] == 0
    huge_id = db.execute("SELECT id FROM articles WHERE source = 'huge.txt'").fetchone()[0]
    mentions = list(db.query("SELECT text, start, [end] FROM mentions WHERE article_id = ?", [huge_id]))
    assert mentions and all(HUGE[m["start"]:m["end"]] == m["text"] for m in mentions)
    claim = db.execute("SELECT content, content_start, content_end FROM claims WHERE article_id = ?",
                       [huge_id]).fetchone()
    assert HUGE[claim[1]:claim[2]] == claim[0]


def test_an_article_over_the_time_budget_is_recorded_and_skipped(tmp_path, monkeypatch, stalling_rule):
    monkeypatch.setenv("KB_EXTRACT_SECONDS", "2")
    db = _db(tmp_path, {"a.txt": SPEECH, "slow.txt": STALL, "c.txt": "Tim Cook said Apple would open a store."})
    report = jobs.extract(db)
    assert (report.extracted, report.failed) == (2, 1)
    [failure] = _failures(db)
    assert failure["source"] == "slow.txt" and failure["stage"] == "extract"
    assert "time budget of 2 s" in failure["reason"] and failure["resolved_at"] is None
    assert report.messages == [f"slow.txt: {failure['reason']}"]
    # a later run does not try it again (nor fail again); --all does
    again = jobs.extract(db)
    assert (again.extracted, again.failed) == (0, 0) and len(_failures(db)) == 1
    everything = jobs.extract(db, everything=True)
    assert (everything.extracted, everything.failed) == (2, 1) and len(_failures(db)) == 2
    assert db.execute("SELECT source FROM articles WHERE extracted_at IS NULL").fetchall() == [("slow.txt",)]


def test_storing_the_same_text_again_keeps_an_extract_failure_open(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_EXTRACT_MAX_CHARS", "1000")
    db = _db(tmp_path, {"long.txt": SPEECH * 20, "a.txt": SPEECH})
    report = jobs.extract(db)
    assert (report.extracted, report.failed) == (1, 1)
    assert "size budget of 1,000" in _failures(db)[0]["reason"]
    sid = store.upsert_source(db, "test", "folder")
    assert store.store_article(db, Article(source="long.txt", text=SPEECH * 20), sid)[1] == "unchanged"
    assert _failures(db)[0]["resolved_at"] is None and jobs.extract(db).failed == 0
    store.store_article(db, Article(source="long.txt", text=SPEECH), sid)       # new text: tried again
    assert _failures(db)[0]["resolved_at"] is not None
    assert jobs.extract(db).extracted == 1


def test_analyze_many_reports_a_text_over_budget_and_goes_on(monkeypatch):
    monkeypatch.setenv("KB_EXTRACT_MAX_CHARS", "200")
    out = list(nlp.analyze_many(["Tim Cook said Apple would grow.", "y " * 200, SPEECH]))
    assert [bool(o.get("error")) for o in out] == [False, True, False]
    assert "size budget" in out[1]["error"] and out[1]["claims"] == []
    assert out[2]["claims"][0]["speaker"] == "Jane Zhang"


def test_deadline_interrupts_a_busy_loop():
    with pytest.raises(OverBudget) as err:
        with deadline(0.2) as d:
            t0 = time.monotonic()
            while time.monotonic() - t0 < 30:
                pass
    assert d.fired and "time budget" in str(err.value)


def test_long_chunks_without_spaces_tokenize_as_before():
    from kb.nlp.model import load_base, candidate_names

    raw = load_base(candidate_names())
    ours = nlp.load_nlp()
    for text in ["(" * 1500 + "x" + ")" * 1500, "Hello.... U.S. 5km John's end.)\"", SPEECH]:
        assert [t.text for t in ours.tokenizer(text)] == [t.text for t in raw.tokenizer(text)]


def test_budget_from_env(monkeypatch):
    monkeypatch.setenv("KB_EXTRACT_SECONDS", "7.5")
    monkeypatch.setenv("KB_EXTRACT_MAX_CHARS", "nonsense")
    assert Budget.from_env() == Budget(seconds=7.5, max_chars=Budget.max_chars)


# The alarm may land in a weakref callback, which swallows the exception (an "unraisable"
# warning); the timer repeats each second for that case, and the test checks it still stops.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_time_budget_is_the_articles_not_each_pieces(monkeypatch):
    """Pieces that each stay under the budget still add up: a long article is stopped once
    all its pieces together took longer than the budget."""
    from kb.nlp import budget

    finish = budget._finish

    def slow_finish(nlp_, doc, reports):
        if doc.text.startswith("SLOW"):
            time.sleep(0.8)          # each piece well under the 2 s budget, ten of them over it
        return finish(nlp_, doc, reports)

    monkeypatch.setattr(budget, "_finish", slow_finish)
    piece = "SLOW " + "word " * (PIECE_CHARS // 5 - 2) + "\n\n"
    long_text = piece * 10
    assert len(pieces(long_text)) >= 10
    out = dict(budget.analyze_stream([("long", long_text), ("short", SPEECH)], nlp.load_nlp(),
                                     budget=Budget(seconds=2, max_chars=0)))
    assert isinstance(out["long"], OverBudget)
    assert out["short"]["claims"]
