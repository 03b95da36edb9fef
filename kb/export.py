"""Rows for `kb export`: articles, claims, entities and relations, as JSON lines or CSV."""
from __future__ import annotations

import csv
import json
from typing import Any, Iterator, TextIO

import sqlite_utils

KINDS = ("articles", "claims", "entities", "mentions", "relations", "threads")


class ExportError(Exception):
    """An export that cannot be produced (unknown kind or format)."""


def articles(db: sqlite_utils.Database) -> Iterator[dict]:
    yield from db.query(
        "SELECT id, source, url, title, byline, published_at, updated_at, language, text, "
        "standfirst, kind, canonical_url, outlet, duplicate_of, near_duplicate_of, similarity, reprint_of, reprint_score, "
        "ingested_at "
        "FROM articles ORDER BY id")


def _entity(name: str | None, etype: str | None) -> dict | None:
    return {"name": name, "type": etype} if name else None


def claims(db: sqlite_utils.Database) -> Iterator[dict]:
    """One dict per claim with every contract field, entities as {name, type}."""
    names = {r["id"]: (r["name"], r["type"]) for r in db.query("SELECT id, name, type FROM entities")}
    sql = (
        "SELECT c.*, a.url AS article_url, a.source AS article_source, a.title AS article_title, "
        "a.published_at, t.status AS thread_status FROM claims c JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN claim_threads t ON t.id = c.thread_id ORDER BY c.article_id, c.content_start, c.id")
    for c in db.query(sql):
        yield {
            "id": c["id"], "article_id": c["article_id"],
            "article_url": c["article_url"] or c["article_source"], "article_title": c["article_title"],
            "published_at": c["published_at"],
            "sentence": c["sentence"], "speaker": c["speaker"],
            "speaker_start": c["speaker_start"], "speaker_end": c["speaker_end"],
            "speaker_entity": _entity(*names.get(c["speaker_entity_id"], (None, None))),
            "speaker_refers_to": c.get("speaker_refers_to"),
            "cue": c["cue"], "cue_start": c["cue_start"], "cue_end": c["cue_end"],
            "content": c["content"], "content_start": c["content_start"], "content_end": c["content_end"],
            "via": c["via"], "subject": c["subject"],
            "subject_entity": _entity(*names.get(c["subject_entity_id"], (None, None))),
            "predicate": c["predicate"], "predicate_text": c["predicate_text"],
            "objects": json.loads(c["objects"] or "[]"),
            "modality": c["modality"], "polarity": c["polarity"],
            "direct_quote": bool(c["direct_quote"]),
            "time_text": c.get("time_text"), "time_value": c.get("time_value"), "deadline": c.get("deadline"),
            "claimant": c.get("claimant"),
            "claimant_entity": _entity(*names.get(c.get("claimant_entity_id"), (None, None))),
            "kind": c.get("kind") or "claim", "event": c.get("event"), "event_polarity": c.get("event_polarity"),
            "participants": _participants(c.get("participants"), names),
            "quantities": json.loads(c.get("quantities") or "[]"),
            "thread_id": c["thread_id"], "thread_status": c["thread_status"],
            "thread_reason": json.loads(c["thread_reason"]) if c.get("thread_reason") else None,
        }


def _participants(value: str | None, names: dict) -> list[dict]:
    """Stored participant keys as {name, type, role} (entities) or {noun, role}."""
    out = []
    for p in json.loads(value or "[]"):
        key = str(p.get("key", ""))
        if key.startswith("e") and key[1:].isdigit():
            name, etype = names.get(int(key[1:]), (None, None))
            if name:
                out.append({"name": name, "type": etype, "role": p.get("role")})
        elif key.startswith("w:"):
            out.append({"noun": key[2:], "role": p.get("role")})
    return out


def threads(db: sqlite_utils.Database) -> Iterator[dict]:
    """Claim threads (contract fields), newest status change first."""
    from kb.track import thread_rows, update_threads

    try:
        update_threads(db)             # statuses as of the clock ($KB_NOW or today)
    except Exception:                  # a read-only database: the statuses as last computed
        pass
    yield from thread_rows(db)


def entities(db: sqlite_utils.Database) -> Iterator[dict]:
    aliases: dict[int, list[str]] = {}
    for r in db.query("SELECT entity_id, alias FROM entity_aliases ORDER BY alias"):
        aliases.setdefault(r["entity_id"], []).append(r["alias"])
    for e in db.query(
        "SELECT e.id, e.name, e.type, e.sense, count(m.id) AS mentions, count(DISTINCT m.article_id) AS articles "
        "FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY e.id ORDER BY mentions DESC, e.name"
    ):
        yield {**e, "aliases": aliases.get(e["id"], [])}


def mentions(db: sqlite_utils.Database) -> Iterator[dict]:
    """Every stored mention with its offsets (into the exported article text) and its entity."""
    yield from db.query(
        'SELECT m.article_id, m.start, m."end", m.text, m.entity_id, e.name, e.type, m.type AS mention_type '
        "FROM mentions m JOIN entities e ON e.id = m.entity_id ORDER BY m.article_id, m.start, m.id")


def relations(db: sqlite_utils.Database) -> Iterator[dict]:
    yield from db.query(
        "SELECT r.id, s.name AS subject, s.type AS subject_type, r.predicate, o.name AS object, "
        "o.type AS object_type, r.article_id, r.evidence FROM relations r "
        "JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id ORDER BY r.id")


#: The columns of each export, written as the CSV header even when there is no row.
FIELDS = {
    "articles": ("id", "source", "url", "title", "byline", "published_at", "updated_at", "language", "text",
                 "standfirst", "kind", "canonical_url", "outlet", "duplicate_of", "near_duplicate_of", "similarity",
                 "reprint_of", "reprint_score", "ingested_at"),
    "entities": ("id", "name", "type", "sense", "mentions", "articles", "aliases"),
    "mentions": ("article_id", "start", "end", "text", "entity_id", "name", "type", "mention_type"),
    "relations": ("id", "subject", "subject_type", "predicate", "object", "object_type", "article_id", "evidence"),
    "claims": ("id", "article_id", "article_url", "article_title", "published_at", "sentence", "speaker",
               "speaker_start", "speaker_end", "speaker_entity", "speaker_refers_to", "cue", "cue_start", "cue_end",
               "content", "content_start", "content_end", "via", "subject", "subject_entity", "predicate",
               "predicate_text", "objects", "modality", "polarity", "direct_quote", "time_text", "time_value",
               "deadline", "claimant", "claimant_entity", "kind", "event", "event_polarity", "participants",
               "quantities", "thread_id", "thread_status", "thread_reason"),
    "threads": ("id", "label", "status", "deadline", "deadlines", "first_seen", "last_seen", "claims",
                "independent_sources", "history"),
}


class Records:
    """The rows of one export, with the columns it has (for a CSV header when it has none)."""

    def __init__(self, rows: Iterator[dict], fields: tuple[str, ...] = ()) -> None:
        self.rows, self.fields = rows, fields

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)


def rows(db: sqlite_utils.Database, kind: str) -> Records:
    try:
        make = {"articles": articles, "claims": claims, "entities": entities, "mentions": mentions,
                "relations": relations, "threads": threads}[kind]
    except KeyError:
        raise ExportError(f"unknown export {kind!r} (choose from {', '.join(KINDS)})") from None
    return Records(make(db), FIELDS.get(kind, ()))


def _item_text(item: Any) -> str:
    """One element of a list in a spreadsheet cell: an entity or object by its name, a deadline
    by its date, a status change as "date status", a figure as written."""
    if not isinstance(item, dict):
        return "" if item is None else str(item)
    ent = item.get("entity")
    if isinstance(ent, dict) and ent.get("name"):
        return str(ent["name"])
    for key in ("name", "noun", "text"):
        if item.get(key):
            return str(item[key])
    if item.get("date"):
        return str(item["date"])
    if item.get("at") and item.get("status"):
        return f"{item['at']} {item['status']}"
    return ", ".join(f"{k}: {v}" for k, v in item.items() if v not in (None, "", [], {}))


def cell_value(value: Any) -> Any:
    """A value as one spreadsheet cell: true/false, lists joined with "; " (objects and
    entities by their names: "Line; KakaoTalk"), an entity by its name, other objects as
    "key: value" pairs, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(t for t in (_item_text(i) for i in value) if t)
    if isinstance(value, dict):
        return _item_text(value)
    return value


def write(records: Iterator[dict], fmt: str, out: TextIO) -> int:
    """Write records as JSON lines or CSV (one value per cell: see cell_value; a header even
    with no row); returns the count."""
    n = 0
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt != "csv":
        raise ExportError(f"unknown format {fmt!r} (choose jsonl or csv)")
    writer = None
    for r in records:
        flat = {k: cell_value(v) for k, v in r.items()}
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)
        n += 1
    fields = getattr(records, "fields", ())
    if writer is None and fields:
        csv.writer(out).writerow(fields)
    return n
