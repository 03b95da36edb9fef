"""Claims over time: group claims into threads and give each thread a status.

A thread is "the same thing being claimed": the same subject (its canonical entity,
else its text) with the same predicate lemma. Its status follows the claims in
publication order:

  single        one claim so far
  repeated      several claims, all agreeing
  open          the latest claims are promises / predictions (future) not yet followed up
  kept          a future claim was later followed by an asserted, positive claim
  contradicted  positive and negative claims about the same thing
"""
from __future__ import annotations

import re
from collections import defaultdict

import sqlite_utils

FUTURE = {"future", "possible", "conditional"}


def thread_key(claim: dict) -> str | None:
    """The grouping key of a claim, or None when it has no predicate to follow."""
    pred = (claim.get("predicate") or "").strip().lower()
    if not pred:
        return None
    if claim.get("subject_entity_id"):
        subj = f"e{claim['subject_entity_id']}"
    else:
        subj = re.sub(r"\W+", " ", (claim.get("subject") or "").lower()).strip()
        subj = re.sub(r"^(the|a|an) ", "", subj)
    return f"{subj}|{pred}" if subj else None


def thread_status(claims: list[dict]) -> str:
    """Status of one thread; `claims` sorted by publication date."""
    if len(claims) == 1:
        return "single"
    polarities = {c.get("polarity") or "positive" for c in claims}
    if len(polarities) > 1:
        return "contradicted"
    seen_future = False
    for c in claims:
        if c.get("modality") in FUTURE:
            seen_future = True
        elif seen_future and c.get("modality") == "asserted":
            return "kept"
    if claims[-1].get("modality") in FUTURE:
        return "open"
    return "repeated"


FULL_REBUILD = 2000  # more keys than this to update: recompute every thread in one pass


def update_threads(db: sqlite_utils.Database) -> int:
    """Bring the threads up to date with the claims (one transaction); returns threads touched.

    Only what changed is recomputed: claims not yet keyed (new ones) and the keys queued in
    `threads_to_update` (claims removed by re-extraction, re-pointed by curation, or whose
    article changed date). A large backlog is done in one pass over all claims instead.
    """
    with db.atomic():
        fresh = list(db.query("SELECT id, subject, subject_entity_id, predicate FROM claims "
                              "WHERE thread_key IS NULL"))
        keyed = [(thread_key(c) or "", c["id"]) for c in fresh]
        db.conn.executemany("UPDATE claims SET thread_key = ? WHERE id = ?", keyed)
        keys = {k for k, _ in keyed if k} | {r[0] for r in db.execute("SELECT key FROM threads_to_update")}
        db.execute("DELETE FROM threads_to_update")
        if len(keys) > FULL_REBUILD:
            return _rebuild_all(db)
        for key in sorted(keys):
            _rebuild(db, key)
    return len(keys)


CLAIMS_OF = ("SELECT c.id, c.subject, c.subject_entity_id, c.predicate, c.modality, c.polarity, c.thread_key, "
             "coalesce(a.published_at, a.ingested_at) AS at, e.name AS subject_name "
             "FROM claims c JOIN articles a ON a.id = c.article_id "
             "LEFT JOIN entities e ON e.id = c.subject_entity_id ")


def _thread_row(key: str, claims: list[dict]) -> dict:
    first = claims[0]
    return {"key": key, "label": f"{first['subject_name'] or first['subject']} / {first['predicate']}",
            "subject_entity_id": first["subject_entity_id"], "predicate": first["predicate"],
            "status": thread_status(claims), "claims": len(claims),
            "first_seen": claims[0]["at"], "last_seen": claims[-1]["at"]}


def _rebuild(db: sqlite_utils.Database, key: str) -> None:
    """Recompute one thread from its claims (kept under the same id), or drop it if it has none."""
    claims = list(db.query(CLAIMS_OF + "WHERE c.thread_key = ? ORDER BY at, c.id", [key]))
    old = db.execute("SELECT id FROM claim_threads WHERE key = ?", [key]).fetchone()
    if not claims:
        if old:
            db.execute("DELETE FROM claim_threads WHERE id = ?", [old[0]])
        return
    row = _thread_row(key, claims)
    if old:
        db["claim_threads"].update(old[0], row)
        tid = old[0]
    else:
        cols = ", ".join(row)   # plain SQL: one insert per new thread, no schema check each time
        tid = db.execute(f"INSERT INTO claim_threads ({cols}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values())).lastrowid
    db.execute("UPDATE claims SET thread_id = ? WHERE thread_key = ?", [tid, key])


def _rebuild_all(db: sqlite_utils.Database) -> int:
    """Recompute every thread from all claims in one pass."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in db.query(CLAIMS_OF + "WHERE c.thread_key != '' ORDER BY at, c.id"):
        groups[row["thread_key"]].append(row)
    db.execute("UPDATE claims SET thread_id = NULL WHERE thread_id IS NOT NULL")
    db.execute("DELETE FROM claim_threads")
    rows = [_thread_row(key, claims) for key, claims in groups.items()]
    db["claim_threads"].insert_all(rows, batch_size=1000)
    ids = dict(db.execute("SELECT key, id FROM claim_threads").fetchall())
    db.conn.executemany("UPDATE claims SET thread_id = ? WHERE id = ?",
                        ((ids[key], c["id"]) for key, claims in groups.items() for c in claims))
    return len(groups)
