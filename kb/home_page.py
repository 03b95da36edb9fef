"""What the landing page shows, read from the database (SQL only, read-only).

``home_data(conn)``: the newest claims, the open promises (soonest deadline first) and the
overdue ones (most recently missed first), the entities most mentioned in the latest
articles, and a few counts. Every query reads a bounded number of rows through an index,
so the page answers as fast on a million claims as on the demo.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from kb.thread_page import dict_rows

NEWEST_CLAIMS = 12
PROMISES = 8
TOP_ENTITIES = 15
#: "Most mentioned" counts the mentions of the latest this many articles.
RECENT_ARTICLES = 2000


def newest_claims(conn: sqlite3.Connection, limit: int = NEWEST_CLAIMS) -> list[dict]:
    """The claims of the newest articles (by publication date), newest first, each article's
    in the order they appear in it."""
    return dict_rows(conn, (
        "SELECT c.id, c.article_id, substr(coalesce(a.published_at, a.ingested_at), 1, 10) AS day, "
        "c.speaker, sp.id AS speaker_id, sp.name AS speaker_name, c.cue, c.content, c.modality, c.polarity, "
        "c.thread_id, t.status AS thread_status, a.title AS article_title "
        "FROM articles a CROSS JOIN claims c ON c.article_id = a.id "
        "LEFT JOIN entities sp ON sp.id = c.speaker_entity_id LEFT JOIN claim_threads t ON t.id = c.thread_id "
        "WHERE c.kind = 'claim' ORDER BY a.published_at DESC, a.id DESC, c.content_start, c.id LIMIT ?"), [limit])


def promises(conn: sqlite3.Connection, status: str, limit: int = PROMISES) -> list[dict]:
    """Open promises, soonest deadline first (those without one last); overdue ones, the
    most recently missed first."""
    order = "deadline IS NULL, deadline, last_seen DESC" if status == "open" else "deadline DESC"
    return dict_rows(conn, f"SELECT id, label, status, deadline, status_since, sources, claims, "
                       f"substr(last_seen, 1, 10) AS last_seen FROM claim_threads WHERE status = ? "
                       f"ORDER BY {order}, id DESC LIMIT ?", [status, limit])


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many threads have each status (one index range per status)."""
    return {s: conn.execute("SELECT count(*) FROM claim_threads WHERE status = ?", [s]).fetchone()[0]
            for s in ("open", "overdue", "contradicted", "fulfilled")}


def top_entities(conn: sqlite3.Connection, limit: int = TOP_ENTITIES) -> list[dict]:
    """The entities named in most of the latest RECENT_ARTICLES articles."""
    return dict_rows(conn, (
        "WITH recent AS (SELECT id FROM articles ORDER BY id DESC LIMIT ?), "
        "counts AS (SELECT m.entity_id, count(DISTINCT m.article_id) AS articles FROM recent "
        "JOIN mentions m ON m.article_id = recent.id GROUP BY m.entity_id ORDER BY articles DESC LIMIT ?) "
        "SELECT e.id, e.name, e.type, counts.articles FROM counts JOIN entities e ON e.id = counts.entity_id "
        "ORDER BY counts.articles DESC, e.name"), [RECENT_ARTICLES, limit])


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """Rough sizes: the highest ids (rows are never deleted, so these are the counts)."""
    out = {}
    for table in ("articles", "claims", "entities", "claim_threads"):
        out[table] = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
    return out


def home_data(conn: sqlite3.Connection) -> dict[str, Any]:
    """Everything the landing page shows for one database."""
    return {
        "claims": newest_claims(conn),
        "open": promises(conn, "open"),
        "overdue": promises(conn, "overdue"),
        "status_counts": status_counts(conn),
        "entities": top_entities(conn),
        "totals": totals(conn),
        "recent_articles": RECENT_ARTICLES,
    }
