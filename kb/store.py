"""The database: schema, articles, extraction results and failures (sqlite-utils, WAL).

Every write that belongs together happens in one transaction, so a killed run leaves
either the whole article (or extraction) or nothing, and can simply be re-run.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from ingest import dedup
from ingest.article import Article, Failure
from kb.nlp.entities.names import entity_types, named_in
from kb.transactions import (BUSY_ENV, Locked, StoreError, busy_seconds,  # noqa: F401 (part of the store's API)
                             migration_lock, write)
from kb.reprints import independent_source, link_reprint, report_root  # noqa: F401 (part of the store's API)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "schema.sql"
SCHEMA_VERSION = 1
EXTRACTOR_VERSION = "0.1"
ENTITY_TYPES = ("government", "firm", "app", "official", "person", "media", "place", "group", "other")


def default_db_path() -> str:
    return os.environ.get("KB_DB") or "kb.db"


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def schema_sql() -> str:
    """The schema, from schema/schema.sql (or the copy packaged beside this module)."""
    for path in (SCHEMA_FILE, Path(__file__).resolve().parent / "data" / "schema.sql"):
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise StoreError("schema/schema.sql not found")


def open_db(path: str | os.PathLike | None = None, *, memory: bool = False) -> sqlite_utils.Database:
    """Open (and create or migrate) a kb database.

    Writers wait their turn: a busy timeout (``busy_seconds``) on the connection, and
    ``write`` transactions that take the write lock at their start.
    """
    try:
        db = sqlite_utils.Database(memory=True) if memory else sqlite_utils.Database(str(path or default_db_path()))
        db.conn.execute(f"PRAGMA busy_timeout = {int(busy_seconds() * 1000)}")
        if memory:
            migrate(db)
        else:
            with migration_lock(str(path or default_db_path())):   # two runs creating one database
                db.enable_wal()
                migrate(db)
            # WAL with synchronous=NORMAL: a killed run loses no committed article (only a power cut
            # can roll back the last transactions), and a commit waits for no fsync
            db.conn.execute("PRAGMA synchronous = NORMAL")
    except Exception as exc:  # sqlite3.DatabaseError and friends: not a kb database
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    return db


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the database to schema/schema.sql; cheap when it already is.

    The schema's hash is kept in `PRAGMA user_version`-independent table `kb_meta`. When
    it differs: views are dropped and re-created, new tables and indexes created, and
    columns added to existing tables (ALTER TABLE ADD COLUMN), so editing schema.sql is
    the whole migration for additive changes. Data is never dropped.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"database schema version {version} is newer than this kb ({SCHEMA_VERSION})")
    sql = schema_sql()
    digest = hashlib.sha1(sql.encode("utf-8")).hexdigest()
    if "kb_meta" in db.table_names():
        row = db.execute("SELECT value FROM kb_meta WHERE key = 'schema_sha1'").fetchone()
        if row and row[0] == digest and version == SCHEMA_VERSION:
            return
    with db.atomic():
        for view in db.view_names():
            db.execute(f"DROP VIEW [{view}]")
        _add_missing_columns(db, sql)
        _rebuild_changed_keys(db, sql)
    db.conn.executescript("BEGIN;\n" + sql + "\nCOMMIT;")
    for table, columns in FTS_COLUMNS.items():
        if not db[table].detect_fts():
            db[table].enable_fts(list(columns), create_triggers=True, tokenize="porter")
        _narrow_update_trigger(db, table, columns)
    with db.atomic():
        db.execute("CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT OR REPLACE INTO kb_meta VALUES ('schema_sha1', ?)", [digest])
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


FTS_COLUMNS = {"articles": ("title", "text"), "claims": ("sentence", "content", "speaker")}


def _narrow_update_trigger(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> None:
    """Re-index a row's full text only when an indexed column changes. The trigger sqlite-utils
    writes fires on every UPDATE, so placing a claim in a thread or marking an article as
    extracted re-indexed its words each time (3.2x the cost of the update alone,
    bench/bench_fts_triggers.py)."""
    name = f"{table}_au"
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]).fetchone()
    if row is None or " UPDATE OF " in row[0].upper():
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    with db.atomic():
        db.execute(f'DROP TRIGGER "{name}"')
        db.execute(f'CREATE TRIGGER "{name}" AFTER UPDATE OF {cols} ON "{table}" BEGIN\n'
                   f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {cols}) VALUES(\'delete\', old.rowid, {old});\n'
                   f'  INSERT INTO "{table}_fts" (rowid, {cols}) VALUES (new.rowid, {new});\nEND')


def _add_missing_columns(db: sqlite_utils.Database, sql: str) -> None:
    """ALTER TABLE ADD COLUMN for columns schema.sql has and an existing table lacks;
    drop indexes whose definition changed (the schema script re-creates them)."""
    want = sqlite3.connect(":memory:")
    want.executescript(sql)
    have = set(db.table_names())
    current = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall())
    for name, sql_text in want.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"):
        if name in current and current[name] != sql_text:  # definition changed: re-created below
            db.execute(f"DROP INDEX [{name}]")
    for (table,) in want.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if table not in have:
            continue
        existing = {c.name for c in db[table].columns}
        for _, name, ctype, notnull, default, _pk in want.execute(f"PRAGMA table_info([{table}])"):
            if name not in existing:
                dflt = f" DEFAULT {default}" if default is not None else ""
                null = " NOT NULL" if notnull and default is not None else ""
                db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{name}] {ctype}{null}{dflt}")
    want.close()


def _unique_keys(conn, table: str) -> set[tuple[str, ...]]:
    """The column lists of a table's UNIQUE and PRIMARY KEY constraints (its automatic indexes)."""
    out = set()
    for _seq, name, _unique, origin, _partial in conn.execute(f"PRAGMA index_list([{table}])").fetchall():
        if origin in ("u", "pk"):
            out.add(tuple(r[2] for r in conn.execute(f"PRAGMA index_info([{name}])").fetchall()))
    return out


def _rebuild_changed_keys(db: sqlite_utils.Database, sql: str) -> None:
    """A table whose UNIQUE constraint changed in schema.sql (entities: (name, type) became
    (name, type, sense)) cannot be altered in place: it is rebuilt under the new definition with
    all its rows (views are dropped beforehand; indexes are re-created by the schema script)."""
    want = sqlite3.connect(":memory:")
    want.executescript(sql)
    for table, create in want.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"):
        if table not in db.table_names() or _unique_keys(want, table) == _unique_keys(db.conn, table):
            continue
        cols = [r[1] for r in want.execute(f"PRAGMA table_info([{table}])")]
        have = [c.name for c in db[table].columns]
        if set(have) - set(cols):       # a column schema.sql no longer has: never drop data
            continue
        tmp = f"{table}__rebuilt"
        db.execute(re.sub(r"^CREATE TABLE\s+(IF NOT EXISTS\s+)?\S+", f"CREATE TABLE [{tmp}]", create, count=1))
        listed = ", ".join(f"[{c}]" for c in have)
        db.execute(f"INSERT INTO [{tmp}] ({listed}) SELECT {listed} FROM [{table}]")
        db.execute(f"DROP TABLE [{table}]")
        db.execute(f"ALTER TABLE [{tmp}] RENAME TO [{table}]")
    want.close()


# --- sources and failures -------------------------------------------------------------

def upsert_source(db: sqlite_utils.Database, source: str, kind: str, **fields: Any) -> int:
    row = {"source": source, "kind": kind, **{k: v for k, v in fields.items() if v is not None}}
    with write(db):
        existing = list(db["sources"].rows_where("source = ?", [source], limit=1))
        if existing:
            if len(row) > 2:
                db["sources"].update(existing[0]["id"], row)
            return existing[0]["id"]
        return db["sources"].insert(row).last_pk


def record_failure(db: sqlite_utils.Database, failure: Failure) -> None:
    with write(db):
        db["failures"].insert({"source": failure.source, "stage": failure.stage,
                               "reason": failure.reason, "occurred_at": now()})


# open failures worth another try: not a refused scheme, not a robots.txt refusal, not an
# extraction over budget (fetching the page again does not change it)
_RETRIABLE = ("resolved_at IS NULL AND reason NOT LIKE 'refused scheme%' "
              "AND reason NOT LIKE 'disallowed by robots.txt%' AND stage != 'extract'")


def entry_stored(db: sqlite_utils.Database, entry: Article) -> bool:
    """The feed entry is stored as the feed gives it now, and nothing about it failed."""
    if not entry.entry_hash:
        return False
    found = db.execute("SELECT 1 FROM articles WHERE source = ? AND entry_hash = ?",
                       [entry.source, entry.entry_hash]).fetchone()
    return bool(found) and not db.execute(
        f"SELECT 1 FROM failures WHERE source = ? AND {_RETRIABLE}", [entry.source]).fetchone()


def has_open_failures(db: sqlite_utils.Database, source_id: int, source: str) -> bool:
    """A source, or an article stored from it, has a failure worth retrying."""
    return bool(db.execute(
        f"SELECT 1 FROM failures WHERE {_RETRIABLE} AND (source = ? OR source IN "
        "(SELECT source FROM articles WHERE source_id = ?)) LIMIT 1", [source, source_id]).fetchone())


def resolve_failures(db: sqlite_utils.Database, source: str, *, extract: bool = False) -> None:
    """Mark the source's open failures resolved; its extraction failures only with ``extract``
    (the text was analysed, or changed): storing the same text again does not fix those."""
    db.execute("UPDATE failures SET resolved_at = ? WHERE source = ? AND resolved_at IS NULL"
               + ("" if extract else " AND stage != 'extract'"), [now(), source])


# --- articles -------------------------------------------------------------------------

ARTICLE_FIELDS = ("source", "url", "title", "byline", "published_at", "updated_at",
                  "language", "standfirst", "text", "kind", "outlet")


def store_article(db: sqlite_utils.Database, article: Article, source_id: int | None = None) -> tuple[int, str]:
    """Store one article; returns (id, status) with status new | changed | unchanged | duplicate.

    Same source and same text: unchanged. Same source, new text: updated, and its old
    extraction removed. A new source whose text (or canonical URL) is already stored is
    kept and marked `duplicate_of` the first copy; one whose text is nearly the same as a
    stored one (a reprint) is kept, marked `near_duplicate_of` the first copy with its
    `similarity`, and reported as near_duplicate. Every copy of a report (exact, near or
    rewritten) also gets `reprint_of` (see link_reprint).
    """
    row = {f: getattr(article, f) for f in ARTICLE_FIELDS}
    row["content_hash"] = article.content_hash
    row["source_id"] = source_id
    row["canonical_url"] = article.canonical_url
    row["entry_hash"] = article.entry_hash
    with write(db):
        old = list(db["articles"].rows_where("source = ?", [article.source], limit=1))
        if old:
            old = old[0]
            if old["content_hash"] == row["content_hash"]:
                changed = {k: v for k, v in row.items() if v is not None and old.get(k) != v and k != "text"}
                if changed:
                    db["articles"].update(old["id"], changed)
                    if "published_at" in changed:  # keep the claims' dates and threads in step
                        queue_threads(db, "article_id = ?", [old["id"]])
                        db.execute("UPDATE claim_entities SET at = ? WHERE claim_id IN "
                                   "(SELECT id FROM claims WHERE article_id = ?)", [changed["published_at"], old["id"]])
                resolve_failures(db, article.source)
                return old["id"], "unchanged"
            clear_extraction(db, old["id"])
            row.update(near_duplicates(db, article.text, before=old["id"]))
            db["articles"].update(old["id"], {**row, "extracted_at": None, "ingested_at": now()})
            _save_bands(db, old["id"], row["minhash"])
            link_reprint(db, old["id"], article.text, row.get("near_duplicate_of"), row.get("similarity"))
            resolve_failures(db, article.source, extract=True)
            return old["id"], "changed"
        first = db.execute("SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
                           [row["content_hash"]]).fetchone()
        if not first and row["canonical_url"] and urlsplit(row["canonical_url"]).path not in ("", "/"):
            first = db.execute("SELECT id FROM articles WHERE canonical_url = ? ORDER BY id LIMIT 1",
                               [row["canonical_url"]]).fetchone()  # the same page under another address
        row["duplicate_of"] = _first_copy(db, first[0]) if first else None
        row.update(near_duplicates(db, article.text) if not first else {"minhash": None})
        row["ingested_at"] = now()
        pk = db["articles"].insert(row).last_pk
        _save_bands(db, pk, row["minhash"])
        link_reprint(db, pk, article.text, row["duplicate_of"] or row.get("near_duplicate_of"),
                     1.0 if first else row.get("similarity"))
        resolve_failures(db, article.source, extract=True)
    return pk, "duplicate" if first else "near_duplicate" if row.get("near_duplicate_of") else "new"


def _first_copy(db: sqlite_utils.Database, article_id: int) -> int:
    """Follow duplicate_of / near_duplicate_of links to the first copy of a story."""
    seen = {article_id}
    while True:
        r = db.execute("SELECT coalesce(duplicate_of, near_duplicate_of) FROM articles WHERE id = ?",
                       [article_id]).fetchone()
        if not r or r[0] is None or r[0] in seen:
            return article_id
        article_id = r[0]
        seen.add(article_id)


def near_duplicates(db: sqlite_utils.Database, text: str, before: int | None = None) -> dict[str, Any]:
    """MinHash of the text, and the first stored copy of the same story if there is one.

    Candidates share an LSH band (ingest.dedup); the most similar one at or above
    dedup.NEAR_DUPLICATE (earliest first on ties) is the match, linked to its first copy.
    `before` limits candidates to older articles (for a changed article).
    """
    sig = dedup.signature(text)
    out: dict[str, Any] = {"minhash": dedup.encode(sig) if sig else None,
                           "near_duplicate_of": None, "similarity": None}
    if not sig:
        return out
    keys = dedup.bands(sig)
    marks = ",".join("?" * len(keys))
    sql = (f"SELECT a.id, a.minhash FROM articles a WHERE a.id IN (SELECT article_id FROM article_bands "
           f"WHERE band IN ({marks}))" + (" AND a.id < ?" if before else "") + " ORDER BY a.id")
    best: tuple[float, int] | None = None
    for cid, mh in db.execute(sql, keys + ([before] if before else [])).fetchall():
        other = dedup.decode(mh)
        sim = dedup.similarity(sig, other) if other else 0.0
        if sim >= dedup.NEAR_DUPLICATE and (best is None or sim > best[0]):
            best = (sim, cid)
    if best:
        out.update(near_duplicate_of=_first_copy(db, best[1]), similarity=round(best[0], 3))
    return out


def _save_bands(db: sqlite_utils.Database, article_id: int, minhash: str | None) -> None:
    db.execute("DELETE FROM article_bands WHERE article_id = ?", [article_id])
    sig = dedup.decode(minhash)
    if sig:
        db.conn.executemany("INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
                            [(b, article_id) for b in dedup.bands(sig)])


def articles_to_extract(db: sqlite_utils.Database, everything: bool = False) -> list[dict]:
    """Articles whose text needs the NLP: ``{"id", "source", "language"}`` (texts are read one at a time
    with ``text_to_extract``). Exact duplicates are skipped: their claims and mentions are
    those of the first copy, and counting them again would double them. Unless
    ``everything``, so is an article whose extraction failed (over budget) since its text
    was stored: it would fail again on every run."""
    where = "a.duplicate_of IS NULL"
    if not everything:
        where += (" AND a.extracted_at IS NULL AND NOT EXISTS (SELECT 1 FROM failures f WHERE f.source = a.source"
                  " AND f.stage = 'extract' AND f.resolved_at IS NULL)")
    return list(db.query(f"SELECT a.id, a.source, a.language FROM articles a WHERE {where} ORDER BY a.id"))


def text_to_extract(db: sqlite_utils.Database, article_id: int, everything: bool = False) -> tuple[str, str] | None:
    """(text, content hash) of an article still to extract; None when it is gone or, unless
    ``everything``, another run extracted it meanwhile."""
    row = db.execute("SELECT text, content_hash, extracted_at FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None or (row[2] is not None and not everything):
        return None
    return row[0] or "", row[1]


def clear_extraction(db: sqlite_utils.Database, article_id: int) -> None:
    """Remove an article's mentions, claims and relations; queue its claim threads for update."""
    queue_threads(db, "article_id = ?", [article_id])
    count_co_mentions(db, [article_id], -1)
    claim_ids = "SELECT id FROM claims WHERE article_id = ?"
    db.execute(f"DELETE FROM claim_entities WHERE claim_id IN ({claim_ids})", [article_id])
    for table in ("claims", "mentions", "relations", "reports"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])


def count_co_mentions(db: sqlite_utils.Database, article_ids: list[int], sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the co-mentions of these articles' current mentions."""
    if not article_ids:
        return
    db.execute(
        "WITH m AS (SELECT DISTINCT article_id, entity_id FROM mentions "
        "           WHERE article_id IN (SELECT value FROM json_each(?))) "
        "INSERT INTO co_mentions (entity_id, other_id, articles) "
        "SELECT a.entity_id, b.entity_id, ? * count(*) FROM m a JOIN m b "
        "ON a.article_id = b.article_id AND a.entity_id != b.entity_id WHERE true "
        "GROUP BY a.entity_id, b.entity_id "
        "ON CONFLICT (entity_id, other_id) DO UPDATE SET articles = articles + excluded.articles",
        [json.dumps(article_ids), sign])


def queue_threads(db: sqlite_utils.Database, where: str, params: list) -> None:
    """Queue the threads of the claims matching `where` for kb.track.update_threads."""
    db.execute("INSERT OR IGNORE INTO threads_to_update (key) SELECT DISTINCT thread_id FROM claims "
               f"WHERE ({where}) AND thread_id IS NOT NULL", params)


# --- entities and extraction results --------------------------------------------------

def entity_id(db: sqlite_utils.Database, name: str, etype: str, alias: str | None = None, sense: str = "") -> int:
    """The id of the canonical entity (name, type, sense), created if new; records an alias.
    ``sense`` tells apart different things of one name and type ("New York" the state; the
    Labour Party of Hong Kong): kb.nlp.entities.senses chooses it from the article's context."""
    from kb import curation  # decisions and resolution across articles ("Xi" -> "Xi Jinping")

    etype = etype if etype in ENTITY_TYPES else "other"
    found, name, etype = curation.resolve(db, name, etype, (alias or "").strip() or None, sense or "")
    if found is not None:
        pk = found
    else:       # plain SQL: thousands of new entities per batch, sqlite-utils' insert checks the schema each time
        pk = db.execute("INSERT INTO entities (name, type, name_key, sense) VALUES (?, ?, ?, ?)",
                        [name, etype, curation.key_of(name), sense or ""]).lastrowid
    for a in {name, alias or name}:
        if a and a.strip() and curation.alias_ok(a):
            db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", [pk, a.strip()])
    return pk


ALIAS_SMALL_WORDS = {"of", "the", "and", "for", "de", "la", "le", "van", "von", "da", "di", "du", "al", "bin"}


def name_like(text: str | None) -> str | None:
    """A claim's phrase kept as an alias of its entity only when it is a name ("Mr. Trump",
    "Trump's"), not a description ("the campaign", "Trump's decision", "woman")."""
    words = (text or "").split()
    if words and words[0][:1].isupper() and all(w[:1].isupper() or w.lower() in ALIAS_SMALL_WORDS for w in words):
        return text
    return None


def _ref(db: sqlite_utils.Database, ent: dict | None, alias: str | None = None) -> int | None:
    if not ent or not ent.get("name"):
        return None
    return entity_id(db, ent["name"], ent.get("type") or "other", alias, ent.get("sense") or "")


def save_analysis(db: sqlite_utils.Database, article_id: int, result: dict, *,
                  content_hash: str | None = None, if_unextracted: bool = False) -> bool:
    """Replace the article's mentions, claims and relations by `result` (one transaction).

    Returns False, saving nothing, when the article is gone, its text is no longer the one
    analysed (``content_hash``), or (``if_unextracted``) another run extracted it meanwhile.
    """
    with write(db):
        found = db.execute("SELECT content_hash, extracted_at, source FROM articles WHERE id = ?",
                           [article_id]).fetchone()
        if found is None or content_hash is not None and found[0] != content_hash \
                or if_unextracted and found[1] is not None:
            return False
        clear_extraction(db, article_id)
        published, at = db.execute("SELECT published_at, coalesce(published_at, ingested_at) FROM articles "
                                   "WHERE id = ?", [article_id]).fetchone()
        ids: dict[tuple, int | None] = {}  # one resolution per (name, type, alias) per article
        types = entity_types(result.get("entities", []))   # one type per name in the article
        senses = {m["name"]: m.get("sense") or "" for m in result.get("entities", [])}  # and one sense

        def ref(ent: dict | None, alias: str | None = None, sense: str | None = None) -> int | None:
            if ent and ent.get("name") not in types and (same := named_in(ent.get("name") or "", types)):
                ent = {**ent, "name": same}      # a headline's 'Lagarde': the text's Christine Lagarde
            if ent and ent.get("name") in types:
                ent = {**ent, "type": types[ent["name"]],
                       "sense": senses[ent["name"]] if sense is None else sense}
            key = (ent.get("name"), ent.get("type"), ent.get("sense"), alias) if ent else None
            if key not in ids:
                ids[key] = _ref(db, ent, alias)
            return ids[key]

        names: dict[str, dict] = {}
        mentions = []
        for m in result.get("entities", []):
            if not m["name"]:
                continue            # a mention that names nothing has no entity to point to
            names[m["name"]] = ent = {"name": m["name"], "type": types[m["name"]]}
            mentions.append({"article_id": article_id, "entity_id": ref(ent, m["text"], m.get("sense") or ""),
                             "text": m["text"],
                             "start": m["start"], "end": m["end"]})
        curated = dict(db.execute(  # a mention's type is its entity's type after curation
            "SELECT id, type FROM entities WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted({m["entity_id"] for m in mentions}))]).fetchall())
        for m in mentions:
            m["type"] = curated[m["entity_id"]]
        _insert_rows(db, "mentions", mentions)
        count_co_mentions(db, [article_id], 1)
        roles, claims = [], []
        next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM claims").fetchone()[0]  # we hold the write lock
        for cid, c in enumerate(result.get("claims", []), next_id):
            row, parts = _claim_row(c, article_id, published, ref, names, types)
            row["id"] = cid
            claims.append(row)
            roles += [(cid, eid, role, at) for eid, role in parts]
        _insert_rows(db, "claims", claims, indexed=True)
        db.conn.executemany("INSERT OR IGNORE INTO claim_entities (claim_id, entity_id, role, at) "
                            "VALUES (?, ?, ?, ?)", roles)
        reports = []
        for c in result.get("reports", []):        # the article's own reports: claims once they bear on a promise
            row, parts = _claim_row(c, article_id, published, ref, names, types)
            reports.append({"article_id": article_id, "sentence": row["sentence"], "content": row["content"],
                            "content_start": row["content_start"], "content_end": row["content_end"],
                            "data": json.dumps({"row": row, "roles": parts}, ensure_ascii=False)})
        _insert_rows(db, "reports", reports)
        relations = []
        for r in result.get("relations", []):
            s = ref(r.get("subject_entity") or names.get(r["subject"]) or {"name": r["subject"], "type": "other"})
            o = ref(r.get("object_entity") or names.get(r["object"]) or {"name": r["object"], "type": "other"})
            if s is None or o is None:     # a relation to a nameless entity is no relation
                continue
            relations.append({"subject_id": s, "predicate": r["predicate"], "object_id": o,
                              "article_id": article_id, "evidence": r.get("evidence"),
                              "start": r.get("start"), "end": r.get("end")})
        _insert_rows(db, "relations", relations)
        db.execute("UPDATE articles SET extracted_at = ?, extractor_version = ? WHERE id = ?",
                   [now(), EXTRACTOR_VERSION, article_id])
        resolve_failures(db, found[2], extract=True)
    return True


def _insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict], *, indexed: bool = False) -> None:
    """INSERT the rows (dicts; columns in order of first appearance), values stored as
    sqlite-utils' ``insert_all`` stores them (lists and dicts as JSON) without its schema look-ups
    per call. A prepared statement run for each row (``executemany``); for a table with a
    full-text index (``indexed``: claims) multi-row statements instead, which SQLite's FTS5
    index takes at half the cost (it flushes its pending terms at the end of each statement)."""
    if not rows:
        return
    columns = list(dict.fromkeys(k for r in rows for k in r))
    conv, plain = sqlite_utils.db.jsonify_if_needed, _PLAIN
    values = [[v if type(v) in plain else conv(v) for v in (r.get(c) for c in columns)] for r in rows]
    head = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES "
    one = f"({', '.join('?' * len(columns))})"
    if not indexed:
        db.conn.executemany(head + one, values)
        return
    step = max(1, _max_variables(db) // len(columns))
    for i in range(0, len(values), step):
        chunk = values[i:i + step]
        db.conn.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


_PLAIN = {str, int, float, bytes, type(None)}     # stored as they are; others through jsonify_if_needed


def _max_variables(db: sqlite_utils.Database) -> int:
    """How many ? one statement may hold (SQLite's default: 32,766 since 3.32, 999 before)."""
    return db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def _claim_row(c: dict, article_id: int, published: str | None, ref, names: dict,
               types: dict[str, str]) -> tuple[dict, list]:
    """A claims row from a claim dict (entities resolved to ids), and its (entity id, role) pairs;
    ``names``: the article's entities by name, ``types``: their types (``entity_types``)."""
    alias = name_like(c.get("speaker"))
    known = None if c.get("speaker_entity") or not alias else named_in(alias, types)
    sp = ref(c.get("speaker_entity") or (names[known] if known else None), alias)   # a headline's 'Musk'
    su = ref(c.get("subject_entity"), name_like(c.get("subject")))
    via = ref(names.get(c["via"]) if c.get("via") else None)
    row = {k: c.get(k) for k in ("sentence", "speaker", "speaker_start", "speaker_end", "speaker_refers_to", "cue",
                                 "cue_start", "cue_end", "content", "content_start", "content_end",
                                 "via", "subject", "predicate", "predicate_text", "modality", "polarity")}
    row.update(article_id=article_id, speaker_entity_id=sp, subject_entity_id=su,
               via_entity_id=via, objects=json.dumps(c.get("objects") or [], ensure_ascii=False),
               direct_quote=int(bool(c.get("direct_quote"))), time_text=c.get("time_text"),
               time_value=_time_value(c, published), **_proposition(c, published, ref))
    parts = [(sp, "speaker"), (su, "subject"), (via, "via")]
    parts += [(ref(o.get("entity"), name_like(o.get("text"))), "object") for o in c.get("objects") or []]
    parts += [(int(p["key"][1:]), "participant") for p in json.loads(row["participants"])
              if p["key"].startswith("e") and p["role"] in ("s", "o")]    # of the proposition (kb threads --entity)
    return row, [(eid, role) for eid, role in parts if eid]


def _proposition(claim: dict, published_at: str | None, ref) -> dict:
    """The claim's proposition columns (kb.nlp.propositions), entities as ids, the deadline resolved."""
    parts = []
    for p in claim.get("participants") or []:
        if p.get("entity"):
            eid = ref(p["entity"], name_like(p.get("text")))
            key = f"e{eid}" if eid else None
        else:
            key = f"w:{p['noun']}" if p.get("noun") else None
        if key and all(x["key"] != key for x in parts):
            parts.append({"key": key, "role": p.get("role") or "o"})
    return {"event": claim.get("event"), "event_polarity": claim.get("event_polarity"),
            "event_also": claim.get("event_also"), "revision": int(bool(claim.get("revision"))),
            "prospective": int(bool(claim.get("prospective"))), "realized": int(bool(claim.get("realized"))),
            "participants": json.dumps(parts), "quantities": json.dumps(claim.get("quantities") or [], ensure_ascii=False),
            "deadline": _deadline(claim, published_at), "statement_key": statement_key(claim),
            "claimant": claim.get("claimant"), "claimant_entity_id": ref(claim.get("claimant_entity"), name_like(claim.get("claimant"))),
            "time_start": claim.get("time_start"), "time_end": claim.get("time_end"),
            "time_relation": claim.get("time_relation"), "time_tense": claim.get("time_tense"),
            "kind": claim.get("kind") or "claim"}


STATEMENT_WORDS = 10


def statement_key(claim: dict) -> str | None:
    """The same quoted (or copied) words in two articles are one statement: a key of their first words."""
    words = re.findall(r"\w+", (claim.get("content") or "").casefold())
    if len(words) < (5 if claim.get("direct_quote") else 8):     # (the same words unquoted: a copied sentence)
        return None
    # its first words: a quote continued further in one article ("... than expected. We have ...") is the same
    return hashlib.sha1(" ".join(words[:STATEMENT_WORDS]).encode("utf-8")).hexdigest()[:16]


def _deadline(claim: dict, published_at: str | None) -> str | None:
    """The date a claim's own time expression sets ("by the end of June"), against the article date."""
    if claim.get("deadline"):
        return claim["deadline"]
    from kb.nlp.deadlines import claim_deadline

    return claim_deadline(claim, published_at)


def _time_value(claim: dict, published_at: str | None) -> str | None:
    """The claim's time expression resolved against the article's publication date (and its tense)."""
    if not claim.get("time_text"):
        return claim.get("time_value")
    from kb.nlp.timex import iso_value, resolve

    return iso_value(resolve(claim["time_text"], published_at, claim.get("time_tense"))) or claim.get("time_value")


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {t: db[t].count for t in ("articles", "entities", "mentions", "claims", "relations", "failures")}
