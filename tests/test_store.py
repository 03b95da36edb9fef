"""The schema and the store: tables, migration, deduplication, transactional extraction."""
import sqlite3

import pytest

from ingest.article import Article, Failure
from kb import store

TABLES = {"sources", "articles", "entities", "entity_aliases", "mentions", "claims", "claim_entities",
          "relations", "claim_threads", "failures"}


@pytest.fixture
def db():
    return store.open_db(memory=True)


def result_for(text: str) -> dict:
    start = text.index("Acme")
    return {
        "text": text,
        "entities": [{"text": "Acme", "start": start, "end": start + 4, "type": "firm", "name": "Acme Corp"},
                     {"text": "Jo Bloggs", "start": 0, "end": 9, "type": "person", "name": "Jo Bloggs"}],
        "claims": [{
            "sentence": text, "speaker": "Jo Bloggs", "speaker_start": 0, "speaker_end": 9,
            "speaker_entity": {"name": "Jo Bloggs", "type": "person"}, "cue": "said", "cue_start": 10,
            "cue_end": 14, "content": text[15:], "content_start": 15, "content_end": len(text), "via": None,
            "subject": "Acme", "subject_entity": {"name": "Acme Corp", "type": "firm"}, "predicate": "close",
            "predicate_text": "will close", "objects": [{"text": "the plant", "entity": None}],
            "modality": "future", "polarity": "positive", "direct_quote": False}],
        "relations": [{"subject": "Jo Bloggs", "predicate": "works_for", "object": "Acme Corp",
                       "evidence": text}],
    }


def test_schema_has_every_table_and_fts(db):
    assert TABLES <= set(db.table_names())
    assert db["articles"].detect_fts() and db["claims"].detect_fts()
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert {"claims_view", "edges"} <= set(db.view_names())


def test_file_database_is_wal_and_migration_is_idempotent(tmp_path):
    path = tmp_path / "kb.db"
    store.open_db(path).close()
    db = store.open_db(path)
    assert db.journal_mode == "wal"
    assert TABLES <= set(db.table_names())


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(store.StoreError, match="cannot open database"):
        store.open_db(bad)


def test_store_article_dedup(db):
    a = Article(source="a.txt", text="Some text here.", title="T")
    assert store.store_article(db, a)[1] == "new"
    assert store.store_article(db, a)[1] == "unchanged"
    assert db["articles"].count == 1
    b = Article(source="b.txt", text="Some   text here.")
    pk, status = store.store_article(db, b)
    assert status == "duplicate"
    assert db["articles"].get(pk)["duplicate_of"] == 1
    changed = Article(source="a.txt", text="Other text.")
    assert store.store_article(db, changed)[1] == "changed"
    assert db["articles"].get(1)["text"] == "Other text."


def test_save_analysis_replaces_and_links_entities(db):
    text = "Jo Bloggs said Acme will close the plant."
    pk, _ = store.store_article(db, Article(source="x.txt", text=text))
    store.save_analysis(db, pk, result_for(text))
    store.save_analysis(db, pk, result_for(text))  # re-run: nothing twice
    assert db["claims"].count == 1 and db["mentions"].count == 2 and db["relations"].count == 1
    roles = {(r["role"], r["name"]) for r in db.query(
        "SELECT role, name FROM claim_entities JOIN entities ON entities.id = entity_id")}
    assert roles == {("speaker", "Jo Bloggs"), ("subject", "Acme Corp")}
    aliases = {r["alias"] for r in db.query("SELECT alias FROM entity_aliases")}
    assert {"Acme", "Acme Corp", "Jo Bloggs"} <= aliases
    assert db["articles"].get(pk)["extracted_at"]
    assert [r["content"] for r in db.query("SELECT claims.content FROM claims_fts "
                                           "JOIN claims ON claims.rowid = claims_fts.rowid "
                                           "WHERE claims_fts MATCH 'plant'")] == [text[15:]]


def test_a_mention_that_names_nothing_costs_nothing_else(db):
    text = "Jo Bloggs said Acme will close the plant."
    pk, _ = store.store_article(db, Article(source="x.txt", text=text))
    result = result_for(text)
    result["entities"].append({"text": "’s", "start": 0, "end": 2, "type": "government", "name": ""})
    assert store.save_analysis(db, pk, result)
    assert db["claims"].count == 1 and db["mentions"].count == 2


def test_failed_analysis_leaves_old_extraction(db):
    text = "Jo Bloggs said Acme will close the plant."
    pk, _ = store.store_article(db, Article(source="x.txt", text=text))
    store.save_analysis(db, pk, result_for(text))
    broken = result_for(text)
    broken["claims"][0]["content"] = None  # NOT NULL: the transaction must roll back
    with pytest.raises(sqlite3.IntegrityError):
        store.save_analysis(db, pk, broken)
    assert db["claims"].count == 1 and db["mentions"].count == 2


def test_failures_recorded_and_resolved(db):
    store.record_failure(db, Failure("a.txt", "read", "no such file"))
    assert db["failures"].count == 1
    store.store_article(db, Article(source="a.txt", text="Now it exists."))
    assert db["failures"].get(1)["resolved_at"] is not None


def test_migration_adds_new_columns_and_keeps_data(tmp_path, monkeypatch):
    path = tmp_path / "kb.db"
    db = store.open_db(path)
    store.store_article(db, Article(source="a.txt", text="Kept text."))
    db.close()
    newer = store.schema_sql().replace("    language TEXT,\n", "    language TEXT,\n    paywalled INTEGER DEFAULT 0,\n", 1)
    monkeypatch.setattr(store, "schema_sql", lambda: newer)
    db = store.open_db(path)
    assert "paywalled" in {c.name for c in db["articles"].columns}
    assert db["articles"].get(1)["text"] == "Kept text."
    assert {"claims_view", "edges"} <= set(db.view_names())


def test_migration_recreates_changed_index(tmp_path, monkeypatch):
    path = tmp_path / "kb.db"
    store.open_db(path).close()
    old = "CREATE INDEX IF NOT EXISTS idx_entities_type ON entities(type);"
    assert old in store.schema_sql()
    newer = store.schema_sql().replace(old, "CREATE INDEX IF NOT EXISTS idx_entities_type ON entities(type, name);")
    monkeypatch.setattr(store, "schema_sql", lambda: newer)
    db = store.open_db(path)
    cols = [r[2] for r in db.execute("PRAGMA index_info(idx_entities_type)").fetchall()]
    assert cols == ["type", "name"]


def fts_hits(db, word: str) -> int:
    return db.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?", [word]).fetchone()[0]


def test_full_text_follows_the_indexed_columns_only(db):
    text = "Jo Bloggs said Acme will close the plant."
    aid, _ = store.store_article(db, Article(source="a.txt", text=text))
    store.save_analysis(db, aid, result_for(text))
    cid = db.execute("SELECT id FROM claims").fetchone()[0]
    changes = db.conn.total_changes
    db.execute("UPDATE claims SET thread_key = 'k', thread_reason = '{}' WHERE id = ?", [cid])
    assert db.conn.total_changes - changes == 1            # the claim only: its words were not re-indexed
    assert fts_hits(db, "plant") == 1
    db.execute("UPDATE claims SET content = 'Acme will close the mill' WHERE id = ?", [cid])
    assert fts_hits(db, "mill") == 1                      # a change of its words is re-indexed


def test_migration_narrows_an_old_update_trigger(tmp_path):
    path = tmp_path / "kb.db"
    db = store.open_db(path)
    db.execute('DROP TRIGGER "claims_au"')
    db.execute('''CREATE TRIGGER "claims_au" AFTER UPDATE ON "claims" BEGIN
  INSERT INTO "claims_fts" ("claims_fts", rowid, "sentence", "content", "speaker")
  VALUES('delete', old.rowid, old."sentence", old."content", old."speaker");
  INSERT INTO "claims_fts" (rowid, "sentence", "content", "speaker")
  VALUES (new.rowid, new."sentence", new."content", new."speaker");
END''')
    db.execute("DELETE FROM kb_meta")                      # as a database made by an older kb
    db.close()
    db = store.open_db(path)
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_au'").fetchone()[0]
    assert 'AFTER UPDATE OF "sentence", "content", "speaker" ON "claims"' in sql


def test_exact_duplicates_are_not_extracted_twice(db):
    first, _ = store.store_article(db, Article(source="a.txt", text="Jo said Acme will close."))
    copy, status = store.store_article(db, Article(source="mirror/a.txt", text="Jo said Acme will close."))
    assert status == "duplicate"
    assert [a["id"] for a in store.articles_to_extract(db)] == [first]
    assert [a["id"] for a in store.articles_to_extract(db, everything=True)] == [first]


def recount(db):
    """co_mentions recomputed from scratch, zero rows left out."""
    return {(r[0], r[1]): r[2] for r in db.execute(
        "SELECT a.entity_id, b.entity_id, count(*) FROM (SELECT DISTINCT article_id, entity_id FROM mentions) a "
        "JOIN (SELECT DISTINCT article_id, entity_id FROM mentions) b "
        "ON a.article_id = b.article_id AND a.entity_id != b.entity_id GROUP BY 1, 2")}


def kept(db):
    return {(r[0], r[1]): r[2] for r in db.execute("SELECT entity_id, other_id, articles FROM co_mentions "
                                                   "WHERE articles > 0")}


def test_co_mentions_stay_in_step_with_extraction_and_curation(db):
    from kb import curation

    def ents(*names):
        text = " ".join(names)
        out, pos = [], 0
        for n in names:
            out.append({"text": n, "start": pos, "end": pos + len(n), "type": "firm", "name": n})
            pos += len(n) + 1
        return text, {"entities": out, "claims": [], "relations": []}

    ids = []
    for i, names in enumerate([("Acme", "Bolt", "Cog"), ("Acme", "Bolt"), ("Bolt", "Dyn")]):
        text, result = ents(*names)
        pk, _ = store.store_article(db, Article(source=f"{i}.txt", text=text))
        store.save_analysis(db, pk, result)
        ids.append(pk)
    assert kept(db) == recount(db) and kept(db)[(1, 2)] == 2
    store.save_analysis(db, ids[1], ents("Acme", "Dyn")[1])  # re-extraction changes the article
    assert kept(db) == recount(db)
    curation.merge(db, "Dyn", "Cog")
    assert kept(db) == recount(db)
    curation.split(db, "Bolt", "Bolt", new_name="Bolt Inc")
    assert kept(db) == recount(db)
