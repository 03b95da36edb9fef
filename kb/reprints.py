"""Reprints and rewrites of one report: `articles.reprint_of`, and the key an article counts
as among independent sources.

Every copy of a report (an exact or near duplicate, a wire story rewritten by another
outlet) points at the report's first copy, the earliest published (ties: the one stored
first). Detection is in ingest/dedup.py (narrative marks and containment); the marks live in
`article_marks`. Everything here runs inside the caller's transaction (kb.store.store_article).
"""
from __future__ import annotations

import json

import sqlite_utils

from ingest import dedup


def link_reprint(db: sqlite_utils.Database, article_id: int, text: str,
                 copy_of: int | None = None, copy_score: float | None = None) -> int | None:
    """Store the marks of the article's narrative and set its `reprint_of`; returns it.

    Candidates share dedup.MIN_MARKS marks (index lookup); those whose share of shared marks
    is at least dedup.PREFILTER are compared on the two narratives (dedup.reprint_score),
    best estimates first. `copy_of`, the exact or near duplicate the caller found, is always
    a match. The best match's report is a group of copies whose root, the earliest published
    (ties: stored first), every other copy points at: the article joins it, or becomes its
    root when published earlier (the old root and its copies are re-pointed). A changed
    article is recomputed the same way; its own copies follow it. `reprint_score` is the
    score of the match that linked the article (for an exact or near duplicate, whatever
    the narratives score: the duplicate link holds).
    """
    shingles = dedup.narrative_shingles(text)
    marks = dedup.marks(shingles)
    db.execute("DELETE FROM article_marks WHERE article_id = ?", [article_id])
    db.conn.executemany("INSERT OR IGNORE INTO article_marks (mark, article_id) VALUES (?, ?)",
                        [(m, article_id) for m in marks])
    db.execute("UPDATE articles SET reprint_of = NULL, reprint_score = NULL WHERE id = ? "  # (the FTS trigger
               "AND (reprint_of IS NOT NULL OR reprint_score IS NOT NULL)", [article_id])  # re-indexes an update)
    found: dict[int, float] = {}
    cands = db.execute(
        "SELECT article_id, n, (SELECT count(*) FROM article_marks t WHERE t.article_id = c.article_id) "
        "FROM (SELECT article_id, count(*) AS n FROM article_marks WHERE mark IN (SELECT value FROM json_each(?)) "
        "AND article_id != ? GROUP BY article_id HAVING n >= ?) c", [json.dumps(marks), article_id,
                                                                     dedup.MIN_MARKS]).fetchall() if marks else []
    cands = sorted((-n / min(len(marks), total), cid) for cid, n, total in cands)  # the marks' estimate
    for _, cid in [c for c in cands if -c[0] >= dedup.PREFILTER][:dedup.MAX_CANDIDATES]:
        score, shared = dedup.reprint_score(shingles, dedup.narrative_shingles(
            db.execute("SELECT text FROM articles WHERE id = ?", [cid]).fetchone()[0]))
        if dedup.is_reprint(score, shared):
            found[cid] = score
    if copy_of is not None and copy_of != article_id and copy_of not in found:
        other = db.execute("SELECT text FROM articles WHERE id = ?", [copy_of]).fetchone()
        other_shingles = dedup.narrative_shingles(other[0]) if other else set()
        found[copy_of] = dedup.reprint_score(shingles, other_shingles)[0] if shingles and other_shingles \
            else copy_score or 0.0  # no narrative to compare: the caller's similarity
    roots = {cid: _reprint_root(db, cid) for cid in found}
    found = {cid: sc for cid, sc in found.items() if roots[cid] != article_id}  # its own copies
    if not found:
        return None
    best = max(found, key=lambda cid: (found[cid], -cid))
    return _join(db, article_id, roots[best], round(found[best], 3))


def _join(db: sqlite_utils.Database, article_id: int, root: int, score: float) -> int | None:
    """Put the article (a root: it has no reprint_of) and its copies in root's group."""
    order = dict(db.execute("SELECT id, published_at FROM articles WHERE id IN (?, ?)", [article_id, root]).fetchall())
    if dedup.published_before((order[root], root), (order[article_id], article_id)):
        first, later, later_score = root, article_id, score
    else:  # the original arrived after its copy: the copy's group is re-pointed to it
        first, later = article_id, root
        a, b = (db.execute("SELECT text FROM articles WHERE id = ?", [i]).fetchone()[0] for i in (root, article_id))
        later_score = round(dedup.reprint_score(dedup.narrative_shingles(a), dedup.narrative_shingles(b))[0], 3)
    moved = "id = ? OR reprint_of = ?"            # the copies whose report changed: their threads count again
    db.execute("INSERT OR IGNORE INTO threads_to_update (key) SELECT DISTINCT thread_id FROM claims WHERE thread_id "
               f"IS NOT NULL AND article_id IN (SELECT id FROM articles WHERE {moved})", [later, later])
    db.execute("UPDATE articles SET reprint_of = ? WHERE reprint_of = ?", [first, later])
    db.execute("UPDATE articles SET reprint_of = ?, reprint_score = ? WHERE id = ?", [first, later_score, later])
    return first if later == article_id else None


def _reprint_root(db: sqlite_utils.Database, article_id: int) -> int:
    """The first copy of the article's report along reprint_of (the article if none)."""
    seen = {article_id}
    while True:
        r = db.execute("SELECT reprint_of FROM articles WHERE id = ?", [article_id]).fetchone()
        if not r or r[0] is None or r[0] in seen:
            return article_id
        article_id = r[0]
        seen.add(article_id)


def report_root(db: sqlite_utils.Database, article_id: int) -> int:
    """The first copy of the article's report: along reprint_of, then (databases stored
    before reprint_of existed) duplicate_of / near_duplicate_of to another report's root."""
    seen: set[int] = set()
    root = _reprint_root(db, article_id)
    while root not in seen:
        seen.add(root)
        r = db.execute("SELECT coalesce(duplicate_of, near_duplicate_of) FROM articles WHERE id = ?", [root]).fetchone()
        if not r or r[0] is None:
            break
        nxt = _reprint_root(db, r[0])
        if nxt == root or nxt in seen:  # that copy is already in this article's report
            break
        root = nxt
    return root


def independent_source(db: sqlite_utils.Database, article_id: int) -> str:
    """The key the article counts as among independent sources: the outlet of its report's
    first copy (report_root), else "article:<root id>". A reprint counts with its original,
    two articles of one outlet once."""
    root = report_root(db, article_id)
    row = db.execute("SELECT outlet FROM articles WHERE id = ?", [root]).fetchone()
    return row[0] if row and row[0] else f"article:{root}"
