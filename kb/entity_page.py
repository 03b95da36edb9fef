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

from kb.thread_page import dict_rows, entity_threads

#: At most this many claims by / about the entity, relations, and neighbours in the graph.
MAX_CLAIMS = 60
MAX_RELATIONS = 60
MAX_NEIGHBOURS = 40
#: The timeline counts the articles of the entity's latest this many articles (all its claims).
TIMELINE_ARTICLES = 5000
TIMELINE_CLAIMS = 20000
#: A timeline of more days than this is shown by month.
MAX_DAYS = 120

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


def _claim_roles(conn: sqlite3.Connection, eid: int, roles: tuple[str, ...], limit: int) -> dict[int, list[str]]:
    """The entity's newest claims in these roles, newest first, each with the roles it has
    there: read newest first from claim_entities' (entity_id, at, role, claim_id) index, so a
    hub with 100k claims answers as fast as a rare name. A claim's rows share its date, so its
    roles are all read before a later claim is."""
    found: dict[int, list[str]] = {}
    marks = ",".join("?" * len(roles))
    for cid, role in conn.execute(f"SELECT claim_id, role FROM claim_entities WHERE entity_id = ? "
                                  f"AND role IN ({marks}) ORDER BY at DESC, claim_id DESC", [eid, *roles]):
        if cid not in found:
            if len(found) >= limit:
                break
            found[cid] = []
        found[cid].append(role)
    return found


def _claim_ids(conn: sqlite3.Connection, eid: int, roles: tuple[str, ...], limit: int) -> list[int]:
    """The entity's newest claims in these roles, newest first (see _claim_roles)."""
    return list(_claim_roles(conn, eid, roles, limit))


def _claims(conn: sqlite3.Connection, ids: list[int], extra: str = "") -> list[dict]:
    if not ids:
        return []
    rows = dict_rows(conn, f"SELECT {CLAIM_COLUMNS}{extra} FROM claims c {CLAIM_JOINS} "
                       f"WHERE c.id IN ({','.join('?' * len(ids))})", ids)
    order = {cid: i for i, cid in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r["id"]])


def claims_by(conn: sqlite3.Connection, eid: int, limit: int = MAX_CLAIMS) -> list[dict]:
    """Claims the entity made (it is the speaker), newest first."""
    return _claims(conn, _claim_ids(conn, eid, ("speaker",), limit))


def claims_about(conn: sqlite3.Connection, eid: int, limit: int = MAX_CLAIMS) -> list[dict]:
    """Claims whose subject or one of whose objects is the entity, newest first."""
    roles = _claim_roles(conn, eid, ("subject", "object"), limit)
    rows = _claims(conn, list(roles))
    for r in rows:
        r["role"] = ",".join(sorted(roles.get(r["id"], [])))
    return rows


def relations(conn: sqlite3.Connection, eid: int, limit: int = MAX_RELATIONS) -> list[dict]:
    """Relations in which the entity is subject or object, with the evidence sentence."""
    return dict_rows(conn, (
        f"SELECT r.id, r.predicate, s.id AS subject_id, s.name AS subject_name, o.id AS object_id, "
        f"o.name AS object_name, r.evidence, r.article_id, {DAY} AS day, "
        "coalesce(a.url, a.source) AS article_url, a.title AS article_title FROM relations r "
        "JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id "
        "JOIN articles a ON a.id = r.article_id WHERE r.subject_id = ? OR r.object_id = ? "
        "ORDER BY day DESC, r.id LIMIT ?"), [eid, eid, limit])


def timeline(conn: sqlite3.Connection, eid: int) -> list[dict]:
    """Per day: articles mentioning the entity (among its latest TIMELINE_ARTICLES), claims it
    made, claims about it."""
    days: dict[str, dict] = {}

    def bump(sql: str, key: str) -> None:
        for day, n in conn.execute(sql, [eid]).fetchall():
            days.setdefault(day or "undated", {"day": day or "undated", "articles": 0, "claims_by": 0,
                                               "claims_about": 0})[key] += n

    bump(f"WITH recent AS (SELECT DISTINCT article_id FROM mentions WHERE entity_id = ? ORDER BY article_id DESC "
         f"LIMIT {TIMELINE_ARTICLES}) SELECT {DAY}, count(*) FROM recent JOIN articles a ON a.id = recent.article_id "
         "GROUP BY 1", "articles")
    bump(f"WITH recent AS (SELECT at FROM claim_entities WHERE entity_id = ? AND role = 'speaker' "
         f"ORDER BY at DESC LIMIT {TIMELINE_CLAIMS}) SELECT substr(at, 1, 10), count(*) FROM recent GROUP BY 1",
         "claims_by")
    bump(f"WITH recent AS (SELECT DISTINCT claim_id, at FROM claim_entities WHERE entity_id = ? "
         f"AND role IN ('subject', 'object') ORDER BY at DESC LIMIT {TIMELINE_CLAIMS}) "
         "SELECT substr(at, 1, 10), count(*) FROM recent GROUP BY 1", "claims_about")
    if len(days) > MAX_DAYS:                # a long span reads by month
        months: dict[str, dict] = {}
        for d in days.values():
            key = d["day"][:7] if d["day"] != "undated" else "undated"
            m = months.setdefault(key, {"day": key, "articles": 0, "claims_by": 0, "claims_about": 0})
            for k in ("articles", "claims_by", "claims_about"):
                m[k] += d[k]
        days = months
    return sorted(days.values(), key=lambda d: d["day"])


def neighbourhood(conn: sqlite3.Connection, eid: int, limit: int = MAX_NEIGHBOURS,
                  said: list[dict] | None = None, about: list[dict] | None = None,
                  related: list[dict] | None = None) -> dict[str, list[dict]]:
    """Nodes and edges around the entity: its strongest co-mentions (the co_mentions counts),
    claim and relation partners (its newest claims and relations, when not given)."""
    score: dict[int, float] = {}
    edges: dict[tuple[int, int, str, str], dict] = {}

    def edge(s: int, t: int, kind: str, label: str, title: str) -> None:
        e = edges.setdefault((s, t, kind, label), {"from": s, "to": t, "kind": kind, "label": label,
                                                   "weight": 0, "title": title})
        e["weight"] += 1

    for other, n in conn.execute(
            "SELECT other_id, articles FROM co_mentions WHERE entity_id = ? AND articles > 0 AND other_id != ? "
            "ORDER BY articles DESC LIMIT ?", [eid, eid, limit]).fetchall():
        score[other] = score.get(other, 0) + n
        edges[(eid, other, "co-mention", "")] = {"from": eid, "to": other, "kind": "co-mention", "label": "",
                                                 "weight": n, "title": f"mentioned together in {n} article(s)"}
    pairs = [(eid, c["subject_id"], c) for c in (claims_by(conn, eid) if said is None else said)]
    pairs += [(c["speaker_id"], eid, c) for c in (claims_about(conn, eid) if about is None else about)]
    for s, t, c in pairs:  # speaker -> what the claim is about
        if s is None or t is None or s == t:
            continue
        edge(s, t, "claim", c["predicate"] or "", f"{c['predicate'] or 'claim'} ({c['modality']}, {c['polarity']})")
        other = t if s == eid else s
        score[other] = score.get(other, 0) + 2
    for r in relations(conn, eid) if related is None else related:
        edge(r["subject_id"], r["object_id"], "relation", r["predicate"], r["predicate"])
        other = r["object_id"] if r["subject_id"] == eid else r["subject_id"]
        score[other] = score.get(other, 0) + 3
    keep = {eid} | {n for n, _ in sorted(score.items(), key=lambda kv: -kv[1])[:limit]}
    marks = ",".join("?" * len(keep))
    nodes = dict_rows(conn, f"SELECT id, name, type FROM entities WHERE id IN ({marks}) ORDER BY id", list(keep))
    for n in nodes:
        n["centre"] = n["id"] == eid
    return {"nodes": nodes, "edges": [e for e in edges.values() if e["from"] in keep and e["to"] in keep]}


def entity_data(conn: sqlite3.Connection, eid: int) -> dict[str, Any] | None:
    """Everything the entity page shows, or None when there is no such entity."""
    row = dict_rows(conn, "SELECT id, name, type, sense FROM entities WHERE id = ?", [eid])
    if not row:
        return None
    entity = row[0]
    mentions, articles = conn.execute(      # both from the (entity_id, article_id) index, in its order
        "SELECT (SELECT count(*) FROM mentions WHERE entity_id = ?1), "
        "(SELECT count(*) FROM (SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?1))", [eid]).fetchone()
    if mentions <= TIMELINE_ARTICLES:
        first, last = conn.execute(f"SELECT min({DAY}), max({DAY}) FROM mentions m JOIN articles a "
                                   "ON a.id = m.article_id WHERE m.entity_id = ?", [eid]).fetchone()
    else:                                   # a hub: the dates of its claims, read from the index
        first, last = conn.execute(     # two subqueries: each one end of the index, not a scan of it
            "SELECT substr((SELECT min(at) FROM claim_entities WHERE entity_id = ?1), 1, 10), "
            "substr((SELECT max(at) FROM claim_entities WHERE entity_id = ?1), 1, 10)", [eid]).fetchone()
    entity.update(mentions=mentions, articles=articles, first_seen=first, last_seen=last)
    said, about, related = claims_by(conn, eid), claims_about(conn, eid), relations(conn, eid)
    return {
        "entity": entity,
        "aliases": [r[0] for r in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias COLLATE NOCASE", [eid])],
        "threads": entity_threads(conn, eid),
        "claims_by": said,
        "claims_about": about,
        "relations": related,
        "timeline": timeline(conn, eid),
        "graph": neighbourhood(conn, eid, said=said, about=about, related=related),
    }
