"""Each thread's row and history, recomputed from its claims; threads in the contract's shape.

``rebuild`` recomputes a set of threads in bulk (members read a few hundred threads per
query, written back with executemany): the label, the deadline in force and the deadlines
stated, the status as of the clock and the history of its status (``kb.track.status``),
independent sources (a reprint counts with its original: ``kb.reprints``), distinct
statements (a reprinted quote is one) and speaker reversals. ``thread_rows`` reads them
for `kb threads` and `kb export threads`.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any, Iterable

import sqlite_utils

from kb.nlp.events import in_words, says_little
from . import match, status

CHUNK = 400

MEMBER_SQL = (
    "SELECT c.id, c.thread_id, c.article_id, coalesce(a.published_at, a.ingested_at) AS at, c.content_start AS pos, "
    "c.modality, coalesce(c.event_polarity, c.polarity) AS polarity, c.deadline, c.revision, c.prospective, "
    "c.realized, c.event, c.event_also, c.participants, c.quantities, c.speaker, c.speaker_entity_id, "
    "c.statement_key, c.kind, c.subject_entity_id, c.predicate, substr(c.content, 1, 400) AS content "   # gist: 8 words
    "FROM claims c INDEXED BY idx_claims_thread CROSS JOIN articles a ON a.id = c.article_id ")


def _marks(n: int) -> str:
    return ",".join("?" * n)


class Sources:
    """The independent source of articles (outlet of the report's first copy, else the article),
    read in bulk: articles and their copy links are loaded once per batch."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.art: dict[int, tuple] = {}

    def load(self, ids: Iterable[int]) -> None:
        todo = [i for i in set(ids) if i is not None and i not in self.art]
        while todo:
            part, todo = todo[:CHUNK], todo[CHUNK:]
            for row in self.db.execute(
                    f"SELECT id, outlet, reprint_of, coalesce(duplicate_of, near_duplicate_of), coalesce(url, source) "
                    f"FROM articles WHERE id IN ({_marks(len(part))})", part).fetchall():
                self.art[row[0]] = row[1:]
            links = {x for i in part for x in self.art.get(i, (None,) * 4)[1:3] if x is not None}
            todo += [i for i in links if i not in self.art and i not in todo]

    def root(self, aid: int) -> int:
        """The first copy of the article's report (reprint_of, then duplicate links)."""
        seen = set()
        while aid not in seen:
            seen.add(aid)
            row = self.art.get(aid)
            if row is None:
                self.load([aid])
                row = self.art.get(aid)
            nxt = row and (row[1] or row[2])
            if not nxt:
                return aid
            aid = nxt
        return aid

    def key(self, aid: int) -> str:
        root = self.root(aid)
        outlet = (self.art.get(root) or (None,))[0]
        return outlet or f"article:{root}"

    def name(self, key: str) -> str:
        """A readable name: the outlet, else the first copy's file name or URL."""
        if not key.startswith("article:"):
            return key
        row = self.art.get(int(key.split(":", 1)[1]))
        src = (row[3] if row else None) or key
        return src if "://" in src else src.rstrip("/").rsplit("/", 1)[-1]


def rebuild(db: sqlite_utils.Database, tids: Iterable[int], now: str) -> None:
    """Recompute these threads' rows and histories from their claims (drop those left empty)."""
    tids = sorted(set(tids))
    sources = Sources(db)
    for k in range(0, len(tids), CHUNK):
        part = tids[k:k + CHUNK]
        members: dict[int, list[dict]] = defaultdict(list)
        for m in db.query(MEMBER_SQL + f"WHERE c.thread_id IN ({_marks(len(part))})", part):
            members[m["thread_id"]].append(m)
        sources.load(m["article_id"] for ms in members.values() for m in ms)
        names = _names(db, {key for ms in members.values() for key in participants(ms)[:4]}
                       | {m["speaker_entity_id"] for ms in members.values() for m in ms if m["speaker_entity_id"]})
        empty = [t for t in part if t not in members]
        if empty:
            db.execute(f"DELETE FROM thread_index WHERE thread_id IN ({_marks(len(empty))})", empty)
            db.execute(f"DELETE FROM claim_threads WHERE id IN ({_marks(len(empty))})", empty)
        db.execute(f"DELETE FROM thread_history WHERE thread_id IN ({_marks(len(part))})", part)
        rows, history = [], []
        for tid, ms in members.items():
            row, changes = _row(ms, sources, names, now)
            rows.append(list(row.values()) + [tid])
            history += [(tid, c.at, c.status, c.claim_id, c.reason) for c in changes]
        if rows:
            cols = ", ".join(f"{c} = ?" for c in ROW_COLUMNS)
            db.conn.executemany(f"UPDATE claim_threads SET {cols} WHERE id = ?", rows)
        db.conn.executemany("INSERT INTO thread_history (thread_id, at, status, claim_id, reason) VALUES (?, ?, ?, ?, ?)",
                            history)


ROW_COLUMNS = ("label", "event", "participants", "subject_entity_id", "predicate", "status", "status_since",
               "deadline", "deadlines", "claims", "statements", "independent_sources", "sources", "flags",
               "first_seen", "last_seen", "as_of")


def _row(members: list[dict], sources: Sources, names: dict, now: str) -> tuple[dict, list[status.Change]]:
    for m in members:
        m["source"] = sources.key(m["article_id"])
        m["speaker_name"] = names.get(f"e{m['speaker_entity_id']}") if m["speaker_entity_id"] else None
    ms = status.ordered(members)
    changes = status.history(ms, now)
    deadline, _, deadlines = status.deadline_in_force(ms)
    forward = [m for m in ms if status.looks_ahead(m)]
    counted = [m for m in ms if not (m["kind"] == "report" and status.short_of(m, forward))]  # progress counts no source
    keys = list(dict.fromkeys(m["source"] for m in counted or ms))
    current = changes[-1]
    row = {"label": label(names, ms, deadline), "event": _most(m["event"] for m in ms),
           "participants": json.dumps(participants(ms)), "subject_entity_id": _most(m["subject_entity_id"] for m in ms),
           "predicate": _most(m["predicate"] for m in ms), "status": current.status, "status_since": current.at,
           "deadline": deadline, "deadlines": json.dumps(deadlines),
           "claims": len(ms), "statements": len({m["statement_key"] or f"c{m['id']}" for m in ms}),
           "independent_sources": json.dumps([sources.name(k) for k in keys], ensure_ascii=False),
           "sources": len(keys), "flags": json.dumps(status.flags(ms), ensure_ascii=False),
           "first_seen": ms[0]["at"], "last_seen": ms[-1]["at"], "as_of": now}
    return row, changes


def _names(db: sqlite_utils.Database, keys: set) -> dict[str, str]:
    ids = sorted({int(str(k)[1:]) if str(k).startswith("e") else int(k) for k in keys if k})
    out = {}
    for k in range(0, len(ids), CHUNK):
        part = ids[k:k + CHUNK]
        out.update({f"e{i}": n for i, n in db.execute(f"SELECT id, name FROM entities WHERE id IN ({_marks(len(part))})",
                                                      part).fetchall()})
    return out


def _most(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None


def participants(members: list[dict]) -> list[str]:
    """Entity keys of the thread's propositions (not the articles' context), the most frequent first."""
    counts: Counter = Counter()
    for m in members:
        for p in match._json(m.get("participants")):
            if str(p.get("key", "")).startswith("e") and p.get("role") in ("s", "o"):
                counts[p["key"]] += 1
    return [k for k, _ in counts.most_common()]


GIST_WORDS = 8


def gist(members: list[dict]) -> str:
    """The first claim's words, cut short: what a thread that names no one is about."""
    words = (members[0].get("content") or "").split() if members else []
    return " ".join(words[:GIST_WORDS]) + ("…" if len(words) > GIST_WORDS else "")


def label(names: dict, members: list[dict], deadline: str | None) -> str:
    """The proposition in words: participants, event, figures, deadline. The first claim's words
    stand for the event when it says little ("operate", "have": kb.nlp.events.says_little) and
    name what a thread that names no one is about."""
    who = ", ".join(names.get(k, k) for k in participants(members)[:4])
    name = _most(m["event"] for m in members)
    event = "" if says_little(name) else in_words(name)
    words = gist(members) if not (who and event) else ""
    if who and event:
        head = f"{who}: {event}"
    elif words:                                   # named by its participants, or by its event
        head = (f"{who or event}: " if who or event else "") + f"“{words}”"
    else:
        head = who or event or "?"
    figs: list[str] = []
    for m in members:
        for q in match._json(m.get("quantities")):
            if q.get("text") and q["text"] not in figs and q["text"] not in words:
                figs.append(q["text"])
    text = head + (" " + ", ".join(figs[:2]) if figs else "")
    return text + (f" (by {deadline})" if deadline else "")


def thread_rows(db: sqlite_utils.Database, status_filter: str | None = None, entity: str | None = None) -> list[dict]:
    """Threads for `kb threads` and `kb export threads`: contract fields, newest change first."""
    where, params = [], []
    if status_filter:
        where.append("t.status = ?")
        params.append(status_filter)
    if entity:
        where.append("t.id IN (SELECT c.thread_id FROM claims c JOIN claim_entities ce ON ce.claim_id = c.id "
                     "JOIN entities e ON e.id = ce.entity_id LEFT JOIN entity_aliases al ON al.entity_id = e.id "
                     "WHERE e.name = ? COLLATE NOCASE OR al.alias = ? COLLATE NOCASE)")
        params += [entity, entity]
    sql = ("SELECT t.* FROM claim_threads t" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY t.status_since DESC, t.last_seen DESC, t.id DESC")
    rows = list(db.query(sql, params))
    ids = [r["id"] for r in rows]
    claims_of: dict[int, list[int]] = defaultdict(list)
    hist: dict[int, list[dict]] = defaultdict(list)
    for k in range(0, len(ids), CHUNK):
        part = ids[k:k + CHUNK]
        for cid, tid in db.execute(f"SELECT id, thread_id FROM claims WHERE thread_id IN ({_marks(len(part))}) "
                                   "ORDER BY id", part).fetchall():
            claims_of[tid].append(cid)
        for h in db.query(f"SELECT thread_id, at, status, claim_id, reason FROM thread_history WHERE thread_id IN "
                          f"({_marks(len(part))}) ORDER BY at, id", part):
            hist[h["thread_id"]].append({"at": h["at"], "status": h["status"], "claim_id": h["claim_id"],
                                         "reason": h["reason"]})
    return [{"id": r["id"], "label": r["label"], "status": r["status"], "deadline": r["deadline"],
             "deadlines": json.loads(r["deadlines"] or "[]"), "first_seen": r["first_seen"],
             "last_seen": r["last_seen"], "claims": claims_of.get(r["id"], []),
             "independent_sources": json.loads(r["independent_sources"] or "[]"),
             "history": hist.get(r["id"], []), "event": r["event"], "statements": r["statements"],
             "status_since": r["status_since"], "flags": json.loads(r["flags"] or "[]")} for r in rows]
