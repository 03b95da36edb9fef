"""One search box over articles, claims and entities (with their aliases), read-only.

A query is read as names and words: the longest runs of words that name an entity (its name
or any alias, case-insensitive: "China", "Chinese government", "Beijing") become entities,
the rest stay words. "China lift" is then the claims that involve China (as speaker,
claimant, subject, object or participant) and say "lift", "lifted" or "lifting" (full-text,
stemmed, prefix), whatever words they use for China: "the Chinese government would soon lift
the restrictions". Without an entity, or when that finds nothing, every word is searched in
the text. Each list is short and newest first: a hub entity or a common word still answers
fast (full-text matches are read newest rowid first, up to a bound).
"""
from __future__ import annotations

import difflib
import re
import sqlite3
from typing import Any

from kb.thread_page import dict_rows

#: At most this many rows per list; full-text matches read before filtering.
LIMIT = 20
FTS_SCAN = 2000
MAX_WORDS = 12

WORD = re.compile(r"[^\W_](?:[\w'’.&-]*[^\W_])?")


def words_of(query: str) -> list[str]:
    return WORD.findall(query or "")[:MAX_WORDS]


def fts_query(words: list[str]) -> str:
    """Every word must match, as a quoted prefix ("lift" finds lifted and lifting)."""
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def entities_named(conn: sqlite3.Connection, phrase: str) -> list[int]:
    """Ids of the entities whose name or alias is `phrase` (case-insensitive; a leading
    "the" is optional)."""
    names = [phrase]
    if phrase.lower().startswith("the "):
        names.append(phrase[4:])
    ids: list[int] = []
    for name in names:
        for (eid,) in conn.execute(
                "SELECT id FROM entities WHERE name = ? COLLATE NOCASE UNION "
                "SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE", [name, name]):
            if eid not in ids:
                ids.append(eid)
    return ids


def read_query(conn: sqlite3.Connection, query: str) -> tuple[list[dict], list[str]]:
    """The entities the query names (longest runs of words first) and the words left over."""
    words = words_of(query)
    found: list[dict] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            ids = entities_named(conn, phrase)
            if ids:
                found.append({"phrase": phrase, "ids": ids})
                i += n
                break
        else:
            rest.append(words[i])
            i += 1
    return found, rest


CLAIM_COLUMNS = (
    "c.id, c.article_id, substr(coalesce(a.published_at, a.ingested_at), 1, 10) AS day, c.speaker, "
    "sp.id AS speaker_id, sp.name AS speaker_name, c.claimant, cl.id AS claimant_id, cl.name AS claimant_name, "
    "c.cue, c.content, c.sentence, c.modality, c.polarity, c.direct_quote, c.thread_id, t.status AS thread_status, "
    "a.title AS article_title")
CLAIM_JOINS = (
    "JOIN articles a ON a.id = c.article_id LEFT JOIN entities sp ON sp.id = c.speaker_entity_id "
    "LEFT JOIN entities cl ON cl.id = c.claimant_entity_id LEFT JOIN claim_threads t ON t.id = c.thread_id")


def _claims_by_ids(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    rows = dict_rows(conn, f"SELECT {CLAIM_COLUMNS} FROM claims c {CLAIM_JOINS} "
                       f"WHERE c.id IN ({','.join('?' * len(ids))})", ids)
    rows.sort(key=lambda r: r["id"])                       # in an article, in reading order
    rows.sort(key=lambda r: (r["day"] or "", r["article_id"]), reverse=True)   # newest articles first
    return rows


def _fts_ids(conn: sqlite3.Connection, table: str, words: list[str], limit: int) -> list[int]:
    if not words:
        return []
    try:
        return [r[0] for r in conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            [fts_query(words), limit])]
    except sqlite3.OperationalError:       # no such table (not a kb database), or a query FTS refuses
        return []


def search_claims(conn: sqlite3.Connection, entity_ids: list[int], words: list[str],
                  limit: int = LIMIT) -> list[dict]:
    """Claims involving one of the entities (any role) that say every word; the entities'
    newest claims when there are no words; the words alone when there are no entities."""
    marks = ",".join("?" * len(entity_ids))
    if entity_ids and words:
        ids = _fts_ids(conn, "claims_fts", words, FTS_SCAN)
        if not ids:
            return []
        keep = {r[0] for r in conn.execute(
            f"SELECT DISTINCT claim_id FROM claim_entities WHERE entity_id IN ({marks}) "
            f"AND claim_id IN ({','.join('?' * len(ids))})", [*entity_ids, *ids])}
        return _claims_by_ids(conn, [i for i in ids if i in keep][:limit])
    if entity_ids:
        ids = [r[0] for r in conn.execute(
            f"SELECT claim_id FROM claim_entities WHERE entity_id IN ({marks}) AND role IN "
            "('speaker', 'subject', 'object', 'claimant') ORDER BY at DESC LIMIT ?", [*entity_ids, limit * 4])]
        return _claims_by_ids(conn, list(dict.fromkeys(ids))[:limit])
    return _claims_by_ids(conn, _fts_ids(conn, "claims_fts", words, limit))


def search_articles(conn: sqlite3.Connection, entity_ids: list[int], words: list[str],
                    all_words: list[str], limit: int = LIMIT) -> list[dict]:
    """Articles with every word of the query (as typed), else those mentioning the entities
    and the other words."""
    ids = _fts_ids(conn, "articles_fts", all_words, limit)
    if not ids and entity_ids:
        marks = ",".join("?" * len(entity_ids))
        mentioned = [r[0] for r in conn.execute(
            f"SELECT DISTINCT article_id FROM mentions WHERE entity_id IN ({marks}) ORDER BY article_id DESC LIMIT ?",
            [*entity_ids, FTS_SCAN])]
        if words:
            text_ids = set(_fts_ids(conn, "articles_fts", words, FTS_SCAN))
            mentioned = [i for i in mentioned if i in text_ids]
        ids = mentioned[:limit]
    if not ids:
        return []
    rows = dict_rows(conn, "SELECT id, title, url, source, outlet, substr(coalesce(published_at, ingested_at), 1, 10) "
                       f"AS day FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids)
    return sorted(rows, key=lambda r: (r["day"] or "", r["id"]), reverse=True)


def search_entities(conn: sqlite3.Connection, entity_ids: list[int], words: list[str],
                    query: str, limit: int = LIMIT) -> list[dict]:
    """The entities named, then those whose name or an alias starts with the query or a word."""
    ids = list(entity_ids)
    for prefix in [query.strip(), *[w for w in words if len(w) >= 3]]:
        if len(ids) >= limit or not prefix:
            continue
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for (eid,) in conn.execute(
                "SELECT id FROM entities WHERE name LIKE ? ESCAPE '\\' UNION "
                "SELECT entity_id FROM entity_aliases WHERE alias LIKE ? ESCAPE '\\' LIMIT ?", [like, like, limit]):
            if eid not in ids:
                ids.append(eid)
    ids = ids[:limit]
    if not ids:
        return []
    rows = dict_rows(conn, f"SELECT e.id, e.name, e.type, (SELECT group_concat(alias, ' · ') FROM "
                       f"(SELECT alias FROM entity_aliases WHERE entity_id = e.id AND alias != e.name LIMIT 6)) "
                       f"AS aliases FROM entities e WHERE e.id IN ({','.join('?' * len(ids))})", ids)
    order = {eid: i for i, eid in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r["id"]])


def similar_names(conn: sqlite3.Connection, name: str, n: int = 5) -> list[dict]:
    """Entities whose name is close to `name` (for a 404 or an empty search): same first
    letter, closest spelling first."""
    name = (name or "").strip()
    if not name:
        return []
    like = name[:1].replace("%", "").replace("_", "") + "%"
    rows = dict_rows(conn, "SELECT id, name, type FROM entities WHERE name LIKE ? LIMIT 5000", [like])
    close = difflib.get_close_matches(name.lower(), [r["name"].lower() for r in rows], n=n, cutoff=0.5)
    by_name = {r["name"].lower(): r for r in rows}
    return [by_name[c] for c in close]


def search(conn: sqlite3.Connection, query: str, limit: int = LIMIT) -> dict[str, Any]:
    """Entities, claims and articles for one query (see the module docstring)."""
    query = (query or "").strip()[:200]
    all_words = words_of(query)
    if not all_words:
        return {"query": query, "named": [], "words": [], "entities": [], "claims": [], "articles": [],
                "suggestions": []}
    named, words = read_query(conn, query)
    entity_ids = [i for n in named for i in n["ids"]]
    claims = search_claims(conn, entity_ids, words, limit)
    widened = False
    if not claims and entity_ids:
        claims, widened = search_claims(conn, [], all_words, limit), True
    articles = search_articles(conn, entity_ids, words, all_words, limit)
    entities = search_entities(conn, entity_ids, all_words, query, limit)
    suggestions = [] if (claims or articles or entities) else similar_names(conn, query)
    names = {r["id"]: r["name"] for r in entities}
    return {"query": query, "named": [{"phrase": n["phrase"], "names": [names.get(i) for i in n["ids"] if i in names]}
                                     for n in named],
            "words": words, "widened": widened, "entities": entities, "claims": claims, "articles": articles,
            "suggestions": suggestions}
