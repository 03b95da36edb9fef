"""`kb threads` and `kb export threads` on articles written here, with the clock ($KB_NOW) moved."""
import json

import pytest
from click.testing import CliRunner

from kb import store
from kb.cli import cli

THREAD_FIELDS = {"id", "label", "status", "deadline", "deadlines", "first_seen", "last_seen", "claims",
                 "independent_sources", "history"}

ARTICLES = [
    ("a.txt", "Monday, 14 July, 2014", "Beijing to lift block on Line",
     "The Chinese government will lift the restrictions on Line and KakaoTalk by the end of this month, "
     "a South Korean diplomat said on Monday."),
    ("b.txt", "Thursday, 17 July, 2014", "Line block to end, Seoul says",
     "China will restore the services of Line and KakaoTalk soon, South Korea's foreign ministry said."),
    ("c.txt", "Tuesday, 05 August, 2014", "Line still blocked in China",
     "Line and KakaoTalk are still not available in China, Kakao said on Tuesday."),
]


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "kb.db"
    for name, day, title, text in ARTICLES:
        f = tmp_path / name
        f.write_text(f"{title}\nPUBLISHED : {day}\n\n{text}\n", encoding="utf-8")
        now = {"a.txt": "2014-07-15", "b.txt": "2014-07-18", "c.txt": "2014-08-06"}[name]
        assert run("ingest", "--db", path, f, env={"KB_NOW": now}).exit_code == 0
    return path


def threads(path, *args, now="2014-08-06"):
    result = run("export", "threads", "--db", path, *args, env={"KB_NOW": now})
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_export_threads_has_the_contract_fields_and_follows_the_promise(db):
    rows = threads(db)
    assert all(THREAD_FIELDS <= set(r) for r in rows)
    [block] = [r for r in rows if len(r["claims"]) >= 3]
    assert block["deadline"] == "2014-07-31" and block["deadlines"][0]["date"] == "2014-07-31"
    assert block["status"] == "contradicted"            # still not available after the deadline
    assert [h["status"] for h in block["history"]] == ["open", "overdue", "contradicted"]
    assert block["history"][1] == {"at": "2014-08-01", "status": "overdue", "claim_id": None,
                                   "reason": "deadline 2014-07-31 passed"}
    assert block["independent_sources"] == ["a.txt", "b.txt", "c.txt"]


def test_status_is_computed_as_of_the_clock(db):
    [before] = [r for r in threads(db, now="2014-07-20") if len(r["claims"]) >= 2]
    assert before["status"] == "open"


def test_kb_threads_lists_and_filters(db):
    out = run("threads", "--db", db, env={"KB_NOW": "2014-08-06"})
    assert out.exit_code == 0 and "contradicted since 2014-08-05" in out.output and "deadline 2014-07-31" in out.output
    only = run("threads", "--db", db, "--status", "open", "--json", env={"KB_NOW": "2014-08-06"})
    assert all(json.loads(line)["status"] == "open" for line in only.output.splitlines())
    line = run("threads", "--db", db, "--entity", "KakaoTalk", "--json", env={"KB_NOW": "2014-08-06"})
    assert any(len(json.loads(x)["claims"]) >= 3 for x in line.output.splitlines())
    unknown = run("threads", "--db", db, "--entity", "Nobody At All")
    assert unknown.exit_code == 1 and "no entity named" in unknown.output


def test_export_threads_csv_and_claims_carry_their_thread(db, tmp_path):
    out = tmp_path / "threads.csv"
    assert run("export", "threads", "--format", "csv", "-o", out, "--db", db).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("id,label,status,deadline,deadlines")
    claims = [json.loads(x) for x in run("export", "claims", "--db", db).output.splitlines()]
    joined = [c for c in claims if c["thread_reason"] and not c["thread_reason"].get("opened")]
    assert joined and all(c["thread_id"] and c["event"] for c in joined)
    assert all(set(c["thread_reason"]) >= {"claim", "entities", "event", "score"} for c in joined)


def test_merging_entities_regroups_their_claims(db):
    conn = store.open_db(db)
    before = conn.execute("SELECT count(DISTINCT thread_id) FROM claims WHERE thread_id IS NOT NULL").fetchone()[0]
    assert run("entities", "merge", "KakaoTalk", "Line", "--db", db).exit_code == 0
    conn = store.open_db(db)
    assert conn.execute("SELECT count(*) FROM claims WHERE instr(participants, ?) > 0",
                        ['"e%d"' % conn.execute("SELECT max(id) FROM entities").fetchone()[0]]).fetchone() is not None
    after = conn.execute("SELECT count(DISTINCT thread_id) FROM claims WHERE thread_id IS NOT NULL").fetchone()[0]
    assert after <= before and not conn.execute("SELECT count(*) FROM threads_to_update").fetchone()[0]
