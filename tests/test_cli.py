"""Every command of the contract, end to end on the seed article, through click's CliRunner."""
import json
import re
import sqlite3

import networkx as nx
import pytest
from click.testing import CliRunner

from kb import store
from kb.cli import cli
from conftest import CORPUS, SEED, content_of, need

CLAIM_FIELDS = {"sentence", "speaker", "speaker_start", "speaker_end", "speaker_entity", "cue", "cue_start",
                "cue_end", "content", "content_start", "content_end", "via", "subject", "subject_entity",
                "predicate", "predicate_text", "objects", "modality", "polarity", "direct_quote"}
EXPORT_CLAIM_FIELDS = CLAIM_FIELDS | {"id", "article_id", "article_url", "article_title", "published_at",
                                      "thread_id", "thread_status"}


def run(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    need(SEED)
    db = tmp_path_factory.mktemp("seed") / "kb.db"
    result = run("ingest", "--db", db, SEED)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    return db


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_ingest_twice_stores_nothing_twice(seed_db):
    before = store.counts(store.open_db(seed_db))
    result = run("ingest", "--db", seed_db, SEED)
    assert result.exit_code == 0
    assert "0 new" in result.output and "1 unchanged" in result.output
    assert store.counts(store.open_db(seed_db)) == before


def test_export_articles_seed_header(seed_db):
    [art] = jsonl(run("export", "articles", "--format", "jsonl", "--db", seed_db).output)
    assert art["source"] == str(SEED)
    assert art["title"] == "Mainland restrictions to be lifted on Line and KakaoTalk, South Korean diplomat says"
    assert art["published_at"].startswith("2014-08-04T13:29")
    assert art["updated_at"].startswith("2014-08-05T17:58")
    assert art["text"].startswith("The Chinese government has told")
    assert "PUBLISHED" not in art["text"]


def test_export_claims_have_every_field(seed_db):
    claims = jsonl(run("export", "claims", "--format", "jsonl", "--db", seed_db).output)
    assert len(claims) >= 5
    [art] = jsonl(run("export", "articles", "--db", seed_db).output)
    for c in claims:
        assert EXPORT_CLAIM_FIELDS <= set(c)
        if c["content_start"] is None:      # a claim of the title, which is stored apart from the text
            assert c["content"] in art["title"]
        else:
            assert content_of(art["text"], c)
        assert c["modality"] in {"asserted", "future", "possible", "hedged", "demanded", "conditional"}
        assert c["polarity"] in {"positive", "negative"}
    assert any("diplomat" in (c["speaker"] or "") and c["predicate"] == "lift" for c in claims)
    one = [c for c in claims if c["speaker"] == "one of them"]      # anonymous, kept, and linked
    assert one and one[0]["speaker_entity"] is None and "app stores" in one[0]["speaker_refers_to"]


def test_export_claims_csv(seed_db, tmp_path):
    out = tmp_path / "claims.csv"
    result = run("export", "claims", "--format", "csv", "-o", out, "--db", seed_db)
    assert result.exit_code == 0
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert EXPORT_CLAIM_FIELDS <= set(header)


def test_export_entities_and_relations(seed_db):
    ents = jsonl(run("export", "entities", "--format", "jsonl", "--db", seed_db).output)
    assert ents and all({"id", "name", "type", "sense", "aliases", "mentions", "articles"} <= set(e) for e in ents)
    assert all(e["type"] in store.ENTITY_TYPES for e in ents)
    assert all(e["sense"] == "" for e in ents)            # no name of the seed means two things
    names = {e["name"] for e in ents}
    assert {"KakaoTalk", "Microsoft"} <= names
    rels = jsonl(run("export", "relations", "--format", "jsonl", "--db", seed_db).output)
    assert all({"subject", "predicate", "object", "article_id", "evidence"} <= set(r) for r in rels)


@pytest.mark.parametrize("fmt,reader", [
    ("gexf", nx.read_gexf), ("graphml", nx.read_graphml),
    ("json", lambda p: nx.node_link_graph(json.load(open(p)), edges="links")),
    ("cytoscape", lambda p: nx.cytoscape_graph(json.load(open(p)))),
])
def test_export_graph_reads_back(seed_db, tmp_path, fmt, reader):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "graph", "--format", fmt, "-o", out, "--db", seed_db)
    assert result.exit_code == 0, result.output
    g = reader(out)
    db = store.open_db(seed_db)
    assert g.number_of_nodes() == db["entities"].count
    assert g.number_of_edges() > 0


def test_export_graph_neighbourhood(seed_db):
    full = run("export", "graph", "--format", "json", "--db", seed_db)
    part = run("export", "graph", "--format", "json", "--entity", "KakaoTalk", "--depth", "1", "--db", seed_db)
    assert part.exit_code == 0
    n_full, n_part = (len(json.loads(r.output)["nodes"]) for r in (full, part))
    assert 1 < n_part <= n_full
    missing = run("export", "graph", "--entity", "No Such Entity", "--db", seed_db)
    assert missing.exit_code == 1 and "no entity named" in missing.output


def test_extract_all_is_idempotent(seed_db):
    before = store.counts(store.open_db(seed_db))
    result = run("extract", "--all", "--db", seed_db)
    assert result.exit_code == 0 and "extracted 1 article" in result.output
    assert store.counts(store.open_db(seed_db)) == before
    assert "extracted 0 article" in run("extract", "--db", seed_db).output


def test_analyze_one_text_offsets(tmp_path):
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else "Jane Doe said the plan would fail."
    out = json.loads(run("analyze", "-", "--db", tmp_path / "x.db", input=text).output)
    assert set(out) == {"text", "entities", "claims", "relations", "nationalities"} and out["text"] == text
    for e in out["entities"]:
        assert text[e["start"]:e["end"]] == e["text"] and e["type"] in store.ENTITY_TYPES
    for c in out["claims"]:
        assert CLAIM_FIELDS <= set(c)
        assert content_of(text, c)
        if c["speaker"]:
            assert text[c["speaker_start"]:c["speaker_end"]] == c["speaker"]
    assert out["claims"], "the seed has claims"
    assert not (tmp_path / "x.db").exists(), "analyze stores nothing"


def test_analyze_jsonl_keeps_ids_and_reports_bad_lines(tmp_path):
    lines = [json.dumps({"id": "a", "text": "The minister said the bridge would open next year."}),
             "not json",
             json.dumps({"id": 7, "text": "Nothing to see."})]
    result = run("analyze", "--jsonl", "-", "--db", tmp_path / "x.db", input="\n".join(lines))
    assert result.exit_code == 1
    outs = [json.loads(l) for l in result.stdout.splitlines()]
    assert [o["id"] for o in outs] == ["a", 7]
    assert outs[0]["claims"] and outs[0]["claims"][0]["modality"] == "future"
    assert "line 2" in result.stderr


def test_bad_inputs_are_recorded_and_the_rest_is_stored(tmp_path):
    need(SEED)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 40)
    notfeed = tmp_path / "data.xml"
    notfeed.write_text('<?xml version="1.0"?><inventory><item sku="1">bolt</item></inventory>')
    missing = tmp_path / "missing.txt"
    db = tmp_path / "kb.db"
    result = run("ingest", "--no-extract", "--db", db, missing, empty, SEED, binary, notfeed)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for bad in (missing, empty, binary, notfeed):
        lines = [l for l in result.stderr.splitlines() if str(bad) in l]
        assert len(lines) == 1, (bad, result.stderr)
    assert "1 new" in result.stdout and "4 failed" in result.stdout
    conn = store.open_db(db)
    assert conn["articles"].count == 1
    assert {r["source"] for r in conn["failures"].rows} == {str(p) for p in (missing, empty, binary, notfeed)}


def test_feeds_add_and_update_local_feed(tmp_path):
    feed = need(CORPUS / "feeds" / "node-feedparser" / "rss2sample.xml")
    db = tmp_path / "kb.db"
    assert run("feeds", "add", feed, "--db", db).exit_code == 0
    first = run("feeds", "update", "--no-fetch", "--no-extract", "--db", db)
    assert first.exit_code == 0, first.output
    n = len(re.findall(r"<item>", feed.read_text(encoding="utf-8", errors="replace")))
    assert f"{n} new" in first.output
    second = run("feeds", "update", "--no-fetch", "--no-extract", "--db", db)
    assert "0 new" in second.output
    assert store.open_db(db)["articles"].count == n


def test_feeds_update_without_feeds(tmp_path):
    result = run("feeds", "update", "--db", tmp_path / "kb.db")
    assert result.exit_code == 0 and "no feeds followed" in result.output


def test_demo_builds_offline(tmp_path):
    db = tmp_path / "demo.db"
    result = run("demo", "--no-serve", "--db", db)
    assert result.exit_code == 0, result.output
    conn = store.open_db(db)
    assert conn["articles"].count >= 1 and conn["claims"].count >= 5


def test_export_unknown_format_is_one_line(seed_db):
    result = run("export", "claims", "--format", "xml", "--db", seed_db)
    assert result.exit_code == 1 and "unknown format" in result.output
    assert "Traceback" not in result.output


def test_not_a_database(tmp_path):
    bad = tmp_path / "x.db"
    bad.write_bytes(b"garbage" * 1000)
    result = run("export", "claims", "--db", bad)
    assert result.exit_code == 1 and "cannot open database" in result.output


# --- issue 12, item 11: read commands need a kb database; clear one-line refusals ---------

READ_COMMANDS = [("export", "claims"), ("export", "articles"), ("export", "graph"), ("threads",),
                 ("entities", "decisions"), ("entities", "rename", "A", "B"), ("extract",), ("serve",)]


def one_line_error(result, *words: str) -> None:
    assert result.exit_code != 0
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert all(w in lines[0] for w in words), lines[0]
    assert not result.stdout.strip()


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_read_commands_never_create_a_database(tmp_path, monkeypatch, command):
    from kb import serving

    monkeypatch.setattr(serving, "serve", lambda *a, **k: pytest.fail("served a database that is none"))
    typo = tmp_path / "typo.db"
    one_line_error(run(*command, "--db", typo), "typo.db", "no such database")
    assert not typo.exists() and not list(tmp_path.iterdir())
    text = tmp_path / "empty.txt"
    text.write_bytes(b"")
    one_line_error(run(*command, "--db", text), "not a kb database")
    assert text.read_bytes() == b""
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    one_line_error(run(*command, "--db", other), "not a kb database")


def test_export_to_a_missing_folder_is_one_line(tmp_path):
    db = tmp_path / "kb.db"
    store.open_db(db).close()
    target = tmp_path / "no" / "such" / "x.csv"
    one_line_error(run("export", "articles", "--format", "csv", "-o", target, "--db", db),
                   "cannot write", "No such file or directory")
    one_line_error(run("export", "graph", "-o", target, "--db", db), "cannot write")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
                                  b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"text\x00with\x00nul bytes\x00",
                                  bytes(range(1, 32)) * 50], ids=["pdf", "png", "nul", "control"])
def test_analyze_refuses_binary_files(tmp_path, data):
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    one_line_error(run("analyze", path), "binary file, not text")
    one_line_error(run("analyze", "-", input=data), "standard input", "binary file")


def test_analyze_refuses_urls_and_reads_other_encodings(tmp_path):
    one_line_error(run("analyze", "http://example.org/story"), "not a URL", "kb ingest")
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 owner Zo\u00eb said the shop would close.".encode("cp1252"))
    out = json.loads(run("analyze", path).stdout)
    assert out["text"] == "Caf\u00e9 owner Zo\u00eb said the shop would close."


def test_analyze_jsonl_lone_surrogate_costs_nothing(tmp_path):
    lines = ['{"id": 1, "text": "The minister said \\ud800 the bridge would open."}',
             '{"id": "\\udcff", "text": "Nothing \\udc80 to see."}',
             json.dumps({"id": 3, "text": "A line\u2028separator inside, said Bo."}, ensure_ascii=False)]
    result = run("analyze", "--jsonl", "-", input="\n".join(lines))
    assert result.exit_code == 0, result.output
    outs = [json.loads(l) for l in result.stdout.split("\n") if l]  # U+2028 is no line end in JSON lines
    assert [o["id"] for o in outs] == [1, "\ufffd", 3]
    assert outs[0]["text"] == "The minister said \ufffd the bridge would open."
    assert outs[2]["text"] == "A line\u2028separator inside, said Bo."


def test_ingest_reports_skipped_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / ".hidden.txt").write_text("Hidden\n\nThe minister said so.")
    result = run("ingest", "--no-extract", "--db", tmp_path / "kb.db", folder)
    assert result.exit_code == 0
    assert "0 new" in result.stdout and "1 skipped" in result.stdout
    assert result.stderr.strip() == f"skipped: {folder}/.hidden.txt: hidden file (its name starts with a dot)"
