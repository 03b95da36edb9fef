"""What the Datasette entity page shows, read from the database (SQL only, read-only).

``entity_data(conn, entity_id)`` answers everything the page and its graph need: the
entity, its aliases, the claim threads it takes part in (open promises first), the claims
it made and the claims about it, its relations, a timeline (mentions and claims per day)
and its neighbourhood as nodes and edges. Every list is capped so that a hub entity of a
large database still answers fast.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from kb.thread_page import _rows, entity_threads

#: At most this many claims by / about the entity, relations, and neighbours in the graph.
MAX_CLAIMS = 200
MAX_RELATIONS = 200
MAX_NEIGHBOURS = 40
#: Co-mentions are counted over the entity's most recent articles only.
CO_MENTION_ARTICLES = 500

DAY = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"
CLAIM_COLUMNS = (
    "c.id, c.article_id, a.title AS article_title, coalesce(a.url, a.source) AS article_url, "
    f"{DAY} AS day, c.speaker, sp.id AS speaker_id, sp.name AS speaker_name, c.cue, c.content, "
    "c.subject, su.id AS subject_id, su.name AS subject_name, c.predicate, c.modality, c.polarity, "
    "c.direct_quote, c.via, c.sentence")
CLAIM_JOINS = ("JOIN articles a ON a.id = c.article_id "
               "LEFT JOIN entities sp ON sp.id = c.speaker_entity_id "
               "LEFT JOIN entities su ON su.id = c.subject_entity_id")




def find_entity_id(conn: sqlite3.Connection, name: str) -> int | None:
    """The id of the entity named `name` (or with that alias), case-insensitively."""
    row = conn.execute(
        "SELECT id FROM entities WHERE name = ? COLLATE NOCASE UNION ALL "
        "SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE LIMIT 1", [name, name]).fetchone()
    return row[0] if row else None


def claims_by(conn: sqlite3.Connection, eid: int, limit: int = MAX_CLAIMS) -> list[dict]:
    """Claims the entity made (it is the speaker), newest first."""
    return _rows(conn, f"SELECT {CLAIM_COLUMNS} FROM claims c {CLAIM_JOINS} WHERE c.speaker_entity_id = ? "
                       "ORDER BY a.published_at DESC, c.id DESC LIMIT ?", [eid, limit])


def claims_about(conn: sqlite3.Connection, eid: int, limit: int = MAX_CLAIMS) -> list[dict]:
    """Claims whose subject or one of whose objects is the entity, newest first."""
    return _rows(conn, f"SELECT {CLAIM_COLUMNS}, group_concat(DISTINCT ce.role) AS role FROM claim_entities ce "
                       f"JOIN claims c ON c.id = ce.claim_id {CLAIM_JOINS} "
                       "WHERE ce.entity_id = ? AND ce.role IN ('subject', 'object') GROUP BY c.id "
                       "ORDER BY a.published_at DESC, c.id DESC LIMIT ?", [eid, limit])


def relations(conn: sqlite3.Connection, eid: int, limit: int = MAX_RELATIONS) -> list[dict]:
    """Relations in which the entity is subject or object, with the evidence sentence."""
    return _rows(conn, (
        f"SELECT r.id, r.predicate, s.id AS subject_id, s.name AS subject_name, o.id AS object_id, "
        f"o.name AS object_name, r.evidence, r.article_id, {DAY} AS day, "
        "coalesce(a.url, a.source) AS article_url, a.title AS article_title FROM relations r "
        "JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id "
        "JOIN articles a ON a.id = r.article_id WHERE r.subject_id = ? OR r.object_id = ? "
        "ORDER BY day DESC, r.id LIMIT ?"), [eid, eid, limit])


def timeline(conn: sqlite3.Connection, eid: int) -> list[dict]:
    """Per day: articles mentioning the entity, claims it made, claims about it."""
    days: dict[str, dict] = {}

    def bump(sql: str, key: str) -> None:
        for day, n in conn.execute(sql, [eid]).fetchall():
            days.setdefault(day or "undated", {"day": day or "undated", "articles": 0, "claims_by": 0,
                                               "claims_about": 0})[key] += n

    bump(f"SELECT {DAY}, count(DISTINCT m.article_id) FROM mentions m JOIN articles a ON a.id = m.article_id "
         "WHERE m.entity_id = ? GROUP BY 1", "articles")
    bump(f"SELECT {DAY}, count(*) FROM claims c JOIN articles a ON a.id = c.article_id "
         "WHERE c.speaker_entity_id = ? GROUP BY 1", "claims_by")
    bump(f"SELECT {DAY}, count(DISTINCT c.id) FROM claim_entities ce JOIN claims c ON c.id = ce.claim_id "
         "JOIN articles a ON a.id = c.article_id WHERE ce.entity_id = ? AND ce.role IN ('subject', 'object') "
         "GROUP BY 1", "claims_about")
    return sorted(days.values(), key=lambda d: d["day"])


def neighbourhood(conn: sqlite3.Connection, eid: int, limit: int = MAX_NEIGHBOURS) -> dict[str, list[dict]]:
    """Nodes and edges around the entity: its strongest co-mentions, claim and relation partners."""
    score: dict[int, float] = {}
    edges: dict[tuple[int, int, str, str], dict] = {}

    def edge(s: int, t: int, kind: str, label: str, title: str) -> None:
        e = edges.setdefault((s, t, kind, label), {"from": s, "to": t, "kind": kind, "label": label,
                                                   "weight": 0, "title": title})
        e["weight"] += 1

    for other, n in conn.execute(
            "WITH arts AS (SELECT DISTINCT m.article_id FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? ORDER BY a.published_at DESC LIMIT ?) "
            "SELECT m.entity_id, count(DISTINCT m.article_id) FROM mentions m JOIN arts USING (article_id) "
            "WHERE m.entity_id != ? GROUP BY m.entity_id ORDER BY 2 DESC LIMIT ?",
            [eid, CO_MENTION_ARTICLES, eid, limit]).fetchall():
        score[other] = score.get(other, 0) + n
        edges[(eid, other, "co-mention", "")] = {"from": eid, "to": other, "kind": "co-mention", "label": "",
                                                 "weight": n, "title": f"mentioned together in {n} article(s)"}
    pairs = [(eid, c["subject_id"], c) for c in claims_by(conn, eid)]
    pairs += [(c["speaker_id"], eid, c) for c in claims_about(conn, eid)]
    for s, t, c in pairs:  # speaker -> what the claim is about
        if s is None or t is None or s == t:
            continue
        edge(s, t, "claim", c["predicate"] or "", f"{c['predicate'] or 'claim'} ({c['modality']}, {c['polarity']})")
        other = t if s == eid else s
        score[other] = score.get(other, 0) + 2
    for r in relations(conn, eid):
        edge(r["subject_id"], r["object_id"], "relation", r["predicate"], r["predicate"])
        other = r["object_id"] if r["subject_id"] == eid else r["subject_id"]
        score[other] = score.get(other, 0) + 3
    keep = {eid} | {n for n, _ in sorted(score.items(), key=lambda kv: -kv[1])[:limit]}
    marks = ",".join("?" * len(keep))
    nodes = _rows(conn, f"SELECT id, name, type FROM entities WHERE id IN ({marks}) ORDER BY id", list(keep))
    for n in nodes:
        n["centre"] = n["id"] == eid
    return {"nodes": nodes, "edges": [e for e in edges.values() if e["from"] in keep and e["to"] in keep]}


def entity_data(conn: sqlite3.Connection, eid: int) -> dict[str, Any] | None:
    """Everything the entity page shows, or None when there is no such entity."""
    row = _rows(conn, "SELECT id, name, type FROM entities WHERE id = ?", [eid])
    if not row:
        return None
    entity = row[0]
    stats = conn.execute(
        f"SELECT count(*), count(DISTINCT m.article_id), min({DAY}), max({DAY}) FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ?", [eid]).fetchone()
    entity.update(mentions=stats[0], articles=stats[1], first_seen=stats[2], last_seen=stats[3])
    return {
        "entity": entity,
        "aliases": [r[0] for r in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias COLLATE NOCASE", [eid])],
        "threads": entity_threads(conn, eid),
        "claims_by": claims_by(conn, eid),
        "claims_about": claims_about(conn, eid),
        "relations": relations(conn, eid),
        "timeline": timeline(conn, eid),
        "graph": neighbourhood(conn, eid),
    }
