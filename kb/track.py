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


def update_threads(db: sqlite_utils.Database) -> int:
    """Recompute every thread from the claims (one transaction); returns the thread count."""
    rows = db.query(
        "SELECT c.id, c.subject, c.subject_entity_id, c.predicate, c.modality, c.polarity, "
        "coalesce(a.published_at, a.ingested_at) AS at, e.name AS subject_name "
        "FROM claims c JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN entities e ON e.id = c.subject_entity_id ORDER BY at, c.id")
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        key = thread_key(row)
        if key:
            groups[key].append(row)
    with db.atomic():
        db.execute("UPDATE claims SET thread_id = NULL")
        db.execute("DELETE FROM claim_threads")
        for key, claims in groups.items():
            first = claims[0]
            label = f"{first['subject_name'] or first['subject']} / {first['predicate']}"
            tid = db["claim_threads"].insert({
                "key": key, "label": label, "subject_entity_id": first["subject_entity_id"],
                "predicate": first["predicate"], "status": thread_status(claims),
                "claims": len(claims), "first_seen": claims[0]["at"], "last_seen": claims[-1]["at"],
            }).last_pk
            ids = [c["id"] for c in claims]
            db.execute(f"UPDATE claims SET thread_id = ? WHERE id IN ({','.join('?' * len(ids))})", [tid, *ids])
    return len(groups)
