"""Entity identity across articles: resolution by alias, and a journalist's curation decisions.

Resolution (``resolve``): a mention's (name, type) from the NLP is turned into the database
entity it denotes: first the stored decisions are applied (``split``, ``rename``, ``merge``,
``set-type``), then an existing entity is looked up: the same name and type; a person and an
official of the same name are one entity; a one-word personal name ("Xi", "Zhang") is the
unique stored person or official whose name has that word first or last, or who has it as an
alias; else a spelling variant of a stored name of a compatible type (YouTube / Youtube, We
Chat / WeChat, "New People's Party" / "New People Party": ``kb.nlp.entities.names.name_key``).
Things of one name and type that the article's context tells apart ("New York" the state, the
Labour Party of Hong Kong: kb.nlp.entities.senses) are entities of their own: a mention with a
``sense`` resolves only to an entity of that sense (``label`` shows it: "New York (state)").

Curation: ``merge``, ``rename``, ``set_type`` and ``split`` change the stored rows at once and
record a decision in ``entity_decisions``; every later extraction (``kb extract --all``
included) goes through ``resolve`` and so honours the decisions.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import sqlite_utils

from kb.nlp.entities.names import compatible, name_key

TYPES = ("government", "firm", "app", "official", "person", "media", "place", "group", "other")
PEOPLE = ("person", "official")
# every (table, column) that refers to an entity id
ENTITY_REFS = (("mentions", "entity_id"), ("claims", "speaker_entity_id"), ("claims", "subject_entity_id"),
               ("claims", "via_entity_id"), ("relations", "subject_id"), ("relations", "object_id"),
               ("claim_threads", "subject_entity_id"))
MAX_CHAIN = 20
DOMINANT, DOMINANT_MIN = 5, 3      # a surname means the person named 5 times as often (and 3 times or more)


SENSE_LABEL = re.compile(r"(.+?) \((.+)\)")


def label(name: str, sense: str | None) -> str:
    """How an entity is shown: its name, and its sense when it has one ('New York (state)')."""
    return f"{name} ({sense})" if sense else name


def key_of(name: str) -> str | None:
    """The stored spelling-variant key of a name (None when it has no letters or digits)."""
    return name_key(name) or None


class CurationError(Exception):
    """A curation request that cannot be carried out (unknown or ambiguous entity, bad type)."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "him", "her", "them", "us", "me", "who",
            "this", "that", "these", "those", "one", "its", "his", "their", "our"}


def alias_ok(alias: str) -> bool:
    """Whether a mention text is worth keeping as an alias (not a pronoun, not a list)."""
    a = alias.strip()
    return bool(a) and a.lower() not in PRONOUNS and " and " not in a and len(a.split()) <= 8


# ----------------------------------------------------------------------------- resolution
def decided(db: sqlite_utils.Database, name: str, etype: str, alias: str | None = None) -> tuple[str, str]:
    """(name, type) after the stored decisions (split first, then renames, merges, set-types)."""
    if "entity_decisions" not in db.table_names():
        return name, etype
    for _ in range(MAX_CHAIN):
        if alias:
            row = db.execute("SELECT value, value_type FROM entity_decisions WHERE action = 'split' "
                             "AND name = ? AND type = ? AND alias = ? ORDER BY id DESC LIMIT 1",
                             [name, etype, alias]).fetchone()
            if row:
                name, etype, alias = row[0], row[1] or etype, None
                continue
        row = db.execute("SELECT action, value, value_type FROM entity_decisions WHERE action != 'split' "
                         "AND name = ? AND type = ? ORDER BY id DESC LIMIT 1", [name, etype]).fetchone()
        if not row:
            break
        action, value, value_type = row
        if action == "set-type":
            etype = value
        elif action == "rename":
            name = value
        elif action == "merge":
            name, etype = value, value_type or etype
    return name, etype


def find_existing(db: sqlite_utils.Database, name: str, etype: str, sense: str = "") -> int | None:
    """The stored entity a (name, type) of that sense denotes, or None (see the module doc)."""
    row = db.execute("SELECT id FROM entities WHERE name = ? AND type = ? AND sense = ?", [name, etype, sense]).fetchone()
    if row:
        return _absorbed(db, row[0], name, etype) if len(name.split()) == 1 and not sense else row[0]
    if sense:       # another thing of that name ("New York" the state): only its own spelling variants
        return _variant(db, name, etype, sense)
    if etype not in PEOPLE:
        found = _variant(db, name, etype)
        if found is None and etype in ("firm", "group", "other") and len(name.split()) == 1:
            found = _person_named(db, name)     # "Trump" the NER took for a firm, in campaign news
        return found
    rows = db.execute("SELECT id FROM entities WHERE name = ? AND type IN ('official', 'person') "
                      "ORDER BY type = 'official' DESC, id", [name]).fetchall()
    if rows:
        return rows[0][0]
    if len(name.split()) != 1 or len(name) < 2:
        return _variant(db, name, etype)
    rows = db.execute(
        "SELECT DISTINCT e.id FROM entities e LEFT JOIN entity_aliases a ON a.entity_id = e.id "
        "WHERE e.type IN ('official', 'person') AND (e.name LIKE ? OR e.name LIKE ? OR a.alias = ?)",
        [f"{name} %", f"% {name}", name]).fetchall()
    if len(rows) > 1:
        rows = _dominant(db, [r[0] for r in rows])
    return rows[0][0] if len(rows) == 1 else _variant(db, name, etype)


def _full_names(db: sqlite_utils.Database, name: str, besides: int = 0) -> list[int]:
    """People with a full name who go by `name` (an alias: "Obama" for "Barack Obama")."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT e.id FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.alias = ? AND e.id != ? AND e.type IN ('official', 'person') AND e.name LIKE '% %'",
        [name, besides])]


def _person_named(db: sqlite_utils.Database, name: str) -> int | None:
    """The person a one-word organisation name really is: one the database names far more often
    under that name, when the gazetteer knows no organisation of that name."""
    from kb.nlp.entities import gazetteer_names

    if name in gazetteer_names():
        return None
    best = _dominant(db, _full_names(db, name))
    return best[0][0] if best else None


def _absorbed(db: sqlite_utils.Database, pk: int, name: str, etype: str) -> int:
    """A one-word entity made before the full name was known ("Obama"; "Trump" the NER took
    for a firm) joins the person of that full name once that dominates ("Barack Obama", with
    "Obama" as an alias); not if a journalist made a decision about it, nor an organisation
    the gazetteer knows."""
    if etype not in PEOPLE + ("firm", "group", "other"):
        return pk
    if etype not in PEOPLE:
        from kb.nlp.entities import gazetteer_names

        if name in gazetteer_names():
            return pk
    if db.execute("SELECT 1 FROM entity_decisions WHERE name = ? OR value = ? LIMIT 1", [name, name]).fetchone():
        return pk
    full = _full_names(db, name, pk)
    best = _dominant(db, full) if full else []
    if not best:
        return pk
    _move(db, pk, best[0][0])
    return best[0][0]


def _dominant(db: sqlite_utils.Database, ids: list[int]) -> list[tuple[int]]:
    """Of several people a surname could mean, the one the database names far more often
    ("Obama" in campaign news: Barack, not Michelle), else none."""
    if not ids:
        return []
    counts = sorted(db.execute(
        "SELECT count(*) AS n, entity_id FROM mentions WHERE entity_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY entity_id", [json.dumps(ids)]).fetchall(), reverse=True)
    if counts and counts[0][0] >= DOMINANT_MIN and counts[0][0] >= DOMINANT * (counts[1][0] if len(counts) > 1 else 0):
        return [(counts[0][1],)]
    return []


def _variant(db: sqlite_utils.Database, name: str, etype: str, sense: str = "") -> int | None:
    """The oldest stored entity of that sense whose name is a spelling variant of `name`, of a compatible type."""
    key = key_of(name)
    if key is None:
        return None
    for pk, other, stored in db.execute("SELECT id, type, name FROM entities WHERE name_key = ? AND sense = ? "
                                        "ORDER BY id", [key, sense]).fetchall():
        if compatible(etype, other):
            if stored.isupper() and len(stored) > 4 and not name.isupper() and not db.execute(
                    "SELECT 1 FROM entities WHERE name = ? AND type = ? AND sense = ?", [name, other, sense]).fetchone():
                db.execute("UPDATE entities SET name = ? WHERE id = ?", [name, pk])   # WASHINGTON -> Washington
            return pk
    return None


def resolve(db: sqlite_utils.Database, name: str, etype: str, alias: str | None = None,
            sense: str = "") -> tuple[int | None, str, str]:
    """(existing id or None, name, type) for a mention of that sense, decisions applied."""
    name, etype = decided(db, name, etype, alias)
    return find_existing(db, name, etype, sense), name, etype


# ----------------------------------------------------------------------------- curation
def lookup(db: sqlite_utils.Database, ref: str, etype: str | None = None) -> dict:
    """The entity named ``ref`` (or with that id), of type ``etype`` when given; exactly one."""
    if etype is not None and etype not in TYPES:
        raise CurationError(f"unknown type {etype!r} (choose from {', '.join(TYPES)})")
    sql, params = "SELECT id, name, type, sense FROM entities WHERE name = ?", [ref]
    if etype:
        sql, params = sql + " AND type = ?", params + [etype]
    rows = list(db.query(sql, params))
    qualified = SENSE_LABEL.fullmatch(ref)
    if not rows and qualified:      # 'Labour Party (Hong Kong)': the name and its sense
        rows = list(db.query("SELECT id, name, type, sense FROM entities WHERE name = ? AND sense = ?"
                             + (" AND type = ?" if etype else ""), list(qualified.groups()) + ([etype] if etype else [])))
    if not rows and ref.isdigit():
        rows = list(db.query("SELECT id, name, type, sense FROM entities WHERE id = ?", [int(ref)]))
    if not rows:
        rows = list(db.query("SELECT DISTINCT e.id, e.name, e.type, e.sense FROM entities e JOIN entity_aliases a "
                             "ON a.entity_id = e.id WHERE a.alias = ?" + (" AND e.type = ?" if etype else ""),
                             [ref] + ([etype] if etype else [])))
    if not rows:
        raise CurationError(f"no entity named {ref!r}" + (f" of type {etype}" if etype else ""))
    if len(rows) > 1:
        choices = ", ".join(f"{label(r['name'], r['sense'])} ({r['type']}, id {r['id']})" for r in rows)
        raise CurationError(f"{ref!r} is ambiguous: {choices}; give --type or the id")
    return rows[0]


def _record(db: sqlite_utils.Database, action: str, ent: dict, value: str, value_type: str | None = None,
            alias: str | None = None) -> None:
    db["entity_decisions"].insert({"action": action, "name": ent["name"], "type": ent["type"],
                                   "alias": alias, "value": value, "value_type": value_type,
                                   "created_at": _now()})


def _move(db: sqlite_utils.Database, src: int, dst: int) -> None:
    """Point every reference of entity src at dst and delete src."""
    from kb.store import count_co_mentions

    arts = [r[0] for r in db.execute("SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?", [src])]
    count_co_mentions(db, arts, -1)

    from kb.track import regroup

    # claims naming src are grouped again (they may join other threads) and name dst now
    regroup(db, "subject_entity_id = ? OR instr(participants, ?) > 0", [src, f'"e{src}"'])
    db.execute("UPDATE claims SET participants = replace(participants, ?, ?) WHERE instr(participants, ?) > 0",
               [f'"e{src}"', f'"e{dst}"', f'"e{src}"'])
    for table, col in ENTITY_REFS:
        if table in db.table_names():
            db.execute(f"UPDATE [{table}] SET [{col}] = ? WHERE [{col}] = ?", [dst, src])
    db.execute("INSERT OR IGNORE INTO claim_entities (claim_id, entity_id, role, at) "
               "SELECT claim_id, ?, role, at FROM claim_entities WHERE entity_id = ?", [dst, src])
    db.execute("DELETE FROM claim_entities WHERE entity_id = ?", [src])
    db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) "
               "SELECT ?, alias FROM entity_aliases WHERE entity_id = ?", [dst, src])
    db.execute("DELETE FROM entity_aliases WHERE entity_id = ?", [src])
    db.execute("DELETE FROM co_mentions WHERE entity_id = ? OR other_id = ?", [src, src])
    count_co_mentions(db, arts, 1)
    db.execute("DELETE FROM entities WHERE id = ?", [src])


def merge(db: sqlite_utils.Database, source: str, target: str, source_type: str | None = None,
          target_type: str | None = None) -> dict:
    """Merge entity ``source`` into ``target``: one real-world thing. Returns the target."""
    src, dst = lookup(db, source, source_type), lookup(db, target, target_type)
    if src["id"] == dst["id"]:
        raise CurationError(f"{source!r} and {target!r} are the same entity")
    with db.atomic():
        _move(db, src["id"], dst["id"])
        db.execute("UPDATE mentions SET type = ? WHERE entity_id = ?", [dst["type"], dst["id"]])
        _record(db, "merge", src, dst["name"], dst["type"])
    return dst


def _become(db: sqlite_utils.Database, ent: dict, name: str, etype: str) -> int:
    """Entity `ent` becomes (name, etype): merged into the entity that already is, else changed in place."""
    other = db.execute("SELECT id FROM entities WHERE name = ? AND type = ? AND sense = ?",
                       [name, etype, ent.get("sense") or ""]).fetchone()
    if other and other[0] != ent["id"]:
        _move(db, ent["id"], other[0])
        return other[0]
    db["entities"].update(ent["id"], {"name": name, "type": etype, "name_key": key_of(name)})
    return ent["id"]


def rename(db: sqlite_utils.Database, ref: str, new_name: str, etype: str | None = None) -> dict:
    """Give an entity a new canonical name (merging into an entity that already has it)."""
    new_name = " ".join(new_name.split())
    if not new_name:
        raise CurationError("the new name is empty")
    ent = lookup(db, ref, etype)
    with db.atomic():
        target = _become(db, ent, new_name, ent["type"])
        db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", [target, new_name])
        _record(db, "rename", ent, new_name)
    return {"id": target, "name": new_name, "type": ent["type"]}


def set_type(db: sqlite_utils.Database, ref: str, new_type: str, etype: str | None = None) -> dict:
    """Change an entity's type (merging into an entity of the same name and that type)."""
    if new_type not in TYPES:
        raise CurationError(f"unknown type {new_type!r} (choose from {', '.join(TYPES)})")
    ent = lookup(db, ref, etype)
    with db.atomic():
        target = _become(db, ent, ent["name"], new_type)
        db.execute("UPDATE mentions SET type = ? WHERE entity_id = ?", [new_type, target])
        _record(db, "set-type", ent, new_type)
    return {"id": target, "name": ent["name"], "type": new_type}


def split(db: sqlite_utils.Database, ref: str, alias: str, new_name: str | None = None,
          new_type: str | None = None, etype: str | None = None) -> dict:
    """Mentions of entity ``ref`` written ``alias`` become their own entity (``new_name``)."""
    ent = lookup(db, ref, etype)
    new_name = " ".join((new_name or alias).split())
    new_type = new_type or ent["type"]
    if new_type not in TYPES:
        raise CurationError(f"unknown type {new_type!r} (choose from {', '.join(TYPES)})")
    if (new_name, new_type) == (ent["name"], ent["type"]):
        raise CurationError("the split-off entity must differ in name or type")
    n = db.execute("SELECT count(*) FROM mentions WHERE entity_id = ? AND text = ?", [ent["id"], alias]).fetchone()[0]
    has_alias = db.execute("SELECT 1 FROM entity_aliases WHERE entity_id = ? AND alias = ?", [ent["id"], alias]).fetchone()
    if not n and not has_alias:
        raise CurationError(f"{ent['name']!r} has no mention or alias {alias!r}")
    from kb.store import count_co_mentions

    with db.atomic():
        row = db.execute("SELECT id FROM entities WHERE name = ? AND type = ? AND sense = ''",
                         [new_name, new_type]).fetchone()
        new_id = row[0] if row else db["entities"].insert({"name": new_name, "type": new_type,
                                                                             "name_key": key_of(new_name)}).last_pk
        arts = [r[0] for r in db.execute("SELECT DISTINCT article_id FROM mentions WHERE entity_id = ? "
                                         "AND text = ?", [ent["id"], alias])]
        count_co_mentions(db, arts, -1)
        db.execute("UPDATE mentions SET entity_id = ?, type = ? WHERE entity_id = ? AND text = ?",
                   [new_id, new_type, ent["id"], alias])
        count_co_mentions(db, arts, 1)
        db.execute("DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?", [ent["id"], alias])
        for a in {alias, new_name}:
            db.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)", [new_id, a])
        _record(db, "split", ent, new_name, new_type, alias=alias)
    return {"id": new_id, "name": new_name, "type": new_type, "mentions": n}


def decisions(db: sqlite_utils.Database) -> list[dict]:
    """The stored decisions, oldest first."""
    if "entity_decisions" not in db.table_names():
        return []
    return list(db.query("SELECT * FROM entity_decisions ORDER BY id"))
