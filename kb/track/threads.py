"""Claim threads in the database: grouping new claims, and each thread's row and history.

Claims not yet grouped (``claims.thread_key IS NULL``) are taken in publication order.
Each is compared (``kb.track.match.compare``) with the claims of the threads that share an
index key with it (``thread_index``: event senses, figures and deadline, each with a
participant), joins the thread of its best match, or opens a new one. Why it joined is
stored in ``claims.thread_reason``. Then every thread touched is recomputed from its
claims: label, deadline in force and the deadlines stated, status as of the clock
(``$KB_NOW`` or today), the history of its status, independent sources (a reprint counts
with its original), distinct statements and speaker reversals (``kb.track.status``).

Only what changed is recomputed, so one new article costs milliseconds on a database of a
million claims; threads whose deadline passed since they were last computed are brought
up to date on every update (``refresh``).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any, Iterable

import sqlite_utils

from . import match, status

TRACK_VERSION = "2"        # grouping by proposition; a database keyed otherwise is regrouped once
MAX_MEMBERS = 60           # a thread is compared through its latest claims at most
MAX_CANDIDATES = 200       # threads per index key looked at, newest first

MEMBER_SQL = (
    "SELECT c.id, c.article_id, coalesce(a.published_at, a.ingested_at) AS at, c.content_start AS pos, "
    "c.modality, coalesce(c.event_polarity, c.polarity) AS polarity, c.deadline, c.revision, c.prospective, c.realized, c.event, "
    "c.event_also, c.participants, c.quantities, c.speaker, c.speaker_entity_id, e.name AS speaker_name, "
    "c.statement_key, c.kind, c.content, c.subject, c.predicate, c.subject_entity_id "
    "FROM claims c JOIN articles a ON a.id = c.article_id LEFT JOIN entities e ON e.id = c.speaker_entity_id ")


class Grouper:
    """One pass of grouping, with the index and the members it has read kept in memory."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.index: dict[str, list[int]] = {}
        self.members: dict[int, list[match.Prop]] = {}
        self.touched: set[int] = set()

    def candidates(self, keys: Iterable[str]) -> set[int]:
        out: set[int] = set()
        missing = [k for k in keys if k not in self.index]
        for chunk in range(0, len(missing), 500):
            part = missing[chunk:chunk + 500]
            for k in part:
                self.index[k] = []
            rows = self.db.execute(
                f"SELECT key, thread_id FROM thread_index WHERE key IN ({','.join('?' * len(part))}) "
                "ORDER BY thread_id DESC", part).fetchall()
            for k, tid in rows:
                if len(self.index[k]) < MAX_CANDIDATES:
                    self.index[k].append(tid)
        for k in keys:
            out.update(self.index.get(k, ()))
        return out

    def props_of(self, tid: int) -> list[match.Prop]:
        if tid not in self.members:
            rows = self.db.query(MEMBER_SQL + "WHERE c.thread_id = ? ORDER BY c.id DESC LIMIT ?", [tid, MAX_MEMBERS])
            self.members[tid] = [match.prop(r) for r in rows]
        return self.members[tid]

    def best_thread(self, p: match.Prop, accept=None) -> tuple[float, int, dict] | None:
        """(score, thread id, reason) of the thread the proposition belongs to, or None. A thread
        is a candidate when some of its claims match and fewer conflict (another figure, another
        date): one claim that mixes two promises does not bridge them."""
        best = None
        self.eligible: list[int] = []
        for tid in sorted(self.candidates(match.query_keys(p)), reverse=True):
            top, n_match, n_conflict = None, 0, 0
            for other in self.props_of(tid):
                if other.id == p.id:
                    continue
                m = match.compare(p, other)
                if m is not None and (accept is None or accept(m, other)):
                    n_match += 1
                    if top is None or m.score > top.score:
                        top = m
                elif match.conflict(p, other):
                    n_conflict += 1
            if top is None or n_conflict >= n_match:
                continue
            self.eligible.append(tid)
            score = top.score + 0.25 * (n_match - 1)
            if best is None or score > best[0]:
                best = (score, tid, dict(top.reason, agree=n_match, conflict=n_conflict))
        return best

    def place(self, row: dict) -> None:
        """Put one claim in its thread (an existing one, or a new one)."""
        p = match.prop(row)
        if not p.event or not (p.entities or p.nouns):
            self.db.execute("UPDATE claims SET thread_key = '', thread_id = NULL, thread_reason = NULL WHERE id = ?",
                            [row["id"]])
            return
        best = self.best_thread(p)
        if best is None:
            tid = self.db.execute("INSERT INTO claim_threads (key, claims) VALUES "
                                  "('t' || (SELECT coalesce(max(id), 0) + 1 FROM claim_threads), 0)").lastrowid
            reason = {"opened": True}
        else:
            tid, reason = best[1], best[2]
            for other in [t for t in self.eligible if t != tid]:
                if self.compatible_threads(tid, other):
                    self.merge(other, tid)
        self.db.execute("UPDATE claims SET thread_id = ?, thread_key = ?, thread_reason = ? WHERE id = ?",
                        [tid, f"t{tid}", json.dumps(reason), row["id"]])
        keys = match.index_keys(p)
        self.db.conn.executemany("INSERT OR IGNORE INTO thread_index (key, thread_id) VALUES (?, ?)",
                                 [(k, tid) for k in keys])
        for k in keys:
            lst = self.index.setdefault(k, [])
            if tid not in lst:
                lst.insert(0, tid)
        if tid in self.members:
            self.members[tid].insert(0, p)
        else:
            self.props_of(tid)                 # read from the database, this claim included
        self.touched.add(tid)


    def compatible_threads(self, a: int, b: int) -> bool:
        """Two threads a new claim fits both of are one: their claims agree far more than they conflict."""
        agree = conflicts = 0
        for x in self.props_of(a):
            for y in self.props_of(b):
                if match.compare(x, y) is not None:
                    agree += 1
                elif match.conflict(x, y):
                    conflicts += 1
        return agree > 0 and conflicts * 3 <= agree

    def merge(self, src: int, dst: int) -> None:
        """Move the claims of thread src into dst (src is dropped when recomputed)."""
        self.db.execute("UPDATE claims SET thread_id = ?, thread_key = ?, thread_reason = json_set("
                        "coalesce(thread_reason, '{}'), '$.merged_from', ?) WHERE thread_id = ?",
                        [dst, f"t{dst}", src, src])
        self.db.execute("INSERT OR IGNORE INTO thread_index (key, thread_id) SELECT key, ? FROM thread_index "
                        "WHERE thread_id = ?", [dst, src])
        self.db.execute("DELETE FROM thread_index WHERE thread_id = ?", [src])
        for lst in self.index.values():
            if src in lst:
                lst.remove(src)
                if dst not in lst:
                    lst.insert(0, dst)
        self.members.pop(src, None)
        self.members.pop(dst, None)
        self.touched.update((src, dst))


def update_threads(db: sqlite_utils.Database, now: str | None = None) -> int:
    """Group the claims not yet in a thread, recompute the threads touched (and those whose
    deadline passed); one transaction. Returns the number of threads recomputed."""
    now = now or status.today()
    with db.atomic():
        _check_version(db)
        g = Grouper(db)
        queued = [int(k) for (k,) in db.execute("SELECT key FROM threads_to_update").fetchall() if str(k).isdigit()]
        db.execute("DELETE FROM threads_to_update")
        g.touched.update(queued)
        todo = [r[0] for r in db.execute(
            "SELECT c.id FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.thread_key IS NULL "
            "ORDER BY coalesce(a.published_at, a.ingested_at), c.article_id, c.content_start, c.id").fetchall()]
        for chunk in range(0, len(todo), 500):
            part = todo[chunk:chunk + 500]
            rows = {r["id"]: r for r in db.query(MEMBER_SQL + f"WHERE c.id IN ({','.join('?' * len(part))})", part)}
            for cid in part:
                g.place(rows[cid])
        promote_reports(db, g)
        for tid in sorted(g.touched):
            rebuild(db, tid, now)
        n = len(g.touched) + refresh(db, now, skip=g.touched)
    return n


FOLLOWED = ("open", "overdue", "fulfilled", "contradicted")   # statuses of threads holding a promise


def promote_reports(db: sqlite_utils.Database, g: Grouper) -> int:
    """The article's own reports not yet compared: one that states the event of a followed promise
    (an explicit participant in common, a compatible event) becomes a claim in its thread."""
    rows = list(db.query("SELECT r.id, r.article_id, r.data, coalesce(a.published_at, a.ingested_at) AS at "
                         "FROM reports r JOIN articles a ON a.id = r.article_id WHERE r.checked = 0 ORDER BY r.id"))
    promoted = 0
    for r in rows:
        data = json.loads(r["data"])
        row = dict(data["row"], id=-r["id"])
        p = match.prop(row)
        best = g.best_thread(p, lambda m, other: bool(m.reason.get("event") and p.entities & other.entities))
        if best is not None:
            t = db.execute("SELECT status, first_seen FROM claim_threads WHERE id = ?", [best[1]]).fetchone()
            if not t or t[0] not in FOLLOWED or (t[1] or "")[:10] > (r["at"] or "")[:10]:
                best = None
        if best is not None:
            _, tid, reason = best
            reason = dict(reason, report=True)
            row.pop("id")
            row.update(thread_id=tid, thread_key=f"t{tid}", thread_reason=json.dumps(reason), kind="report")
            cid = db["claims"].insert(row).last_pk
            db.conn.executemany("INSERT OR IGNORE INTO claim_entities (claim_id, entity_id, role, at) VALUES (?, ?, ?, ?)",
                                [(cid, eid, role, r["at"]) for eid, role in data.get("roles", [])])
            db.execute("UPDATE reports SET claim_id = ? WHERE id = ?", [cid, r["id"]])
            g.members.pop(tid, None)
            g.touched.add(tid)
            promoted += 1
        db.execute("UPDATE reports SET checked = 1 WHERE id = ?", [r["id"]])
    return promoted


def _check_version(db: sqlite_utils.Database) -> None:
    """Regroup everything once when the database was grouped by an older rule."""
    db.execute("CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT)")
    row = db.execute("SELECT value FROM kb_meta WHERE key = 'track_version'").fetchone()
    if row and row[0] == TRACK_VERSION:
        return
    db.execute("DELETE FROM claims WHERE kind = 'report'")
    db.execute("UPDATE reports SET checked = 0, claim_id = NULL")
    db.execute("UPDATE claims SET thread_id = NULL, thread_key = NULL, thread_reason = NULL")
    for table in ("thread_history", "thread_index", "threads_to_update", "claim_threads"):
        db.execute(f"DELETE FROM {table}")
    db.execute("INSERT OR REPLACE INTO kb_meta (key, value) VALUES ('track_version', ?)", [TRACK_VERSION])


def refresh(db: sqlite_utils.Database, now: str, skip: set[int] = frozenset()) -> int:
    """Recompute the threads whose deadline passed since they were computed (open -> overdue)."""
    ids = [tid for (tid,) in db.execute(
        "SELECT id FROM claim_threads WHERE status = 'open' AND deadline IS NOT NULL AND deadline < ? "
        "AND (as_of IS NULL OR as_of <= deadline)", [now]).fetchall() if tid not in skip]
    for tid in ids:
        rebuild(db, tid, now)
    return len(ids)


def _source_of(db: sqlite_utils.Database, article_id: int, cache: dict) -> str:
    if article_id not in cache:
        from kb import store

        fn = getattr(store, "independent_source", None)
        cache[article_id] = fn(db, article_id) if fn else f"article:{article_id}"
    return cache[article_id]


def _source_name(db: sqlite_utils.Database, key: str) -> str:
    """A readable name for an independent source key: the outlet, else the article's file or URL."""
    if not key.startswith("article:"):
        return key
    row = db.execute("SELECT coalesce(url, source) FROM articles WHERE id = ?", [key.split(":", 1)[1]]).fetchone()
    name = (row[0] if row else key) or key
    return name.rstrip("/").rsplit("/", 1)[-1] if "://" not in name else name


def rebuild(db: sqlite_utils.Database, tid: int, now: str) -> None:
    """Recompute one thread's row and history from its claims (or drop it when it has none)."""
    members = list(db.query(MEMBER_SQL + "WHERE c.thread_id = ?", [tid]))
    db.execute("DELETE FROM thread_history WHERE thread_id = ?", [tid])
    if not members:
        db.execute("DELETE FROM thread_index WHERE thread_id = ?", [tid])
        db.execute("DELETE FROM claim_threads WHERE id = ?", [tid])
        return
    cache: dict = {}
    for m in members:
        m["source"] = _source_of(db, m["article_id"], cache)
    ms = status.ordered(members)
    changes = status.history(ms, now)
    deadline, _, deadlines = status.deadline_in_force(ms)
    sources = list(dict.fromkeys(m["source"] for m in ms))
    statements = len({m["statement_key"] or f"c{m['id']}" for m in ms})
    current = changes[-1]
    row = {"label": label(db, ms, deadline), "event": _most(m["event"] for m in ms),
           "participants": json.dumps(participants(ms)), "subject_entity_id": _most(m["subject_entity_id"] for m in ms),
           "predicate": _most(m["predicate"] for m in ms), "status": current.status, "status_since": current.at,
           "deadline": deadline, "deadlines": json.dumps(deadlines), "claims": len(ms), "statements": statements,
           "independent_sources": json.dumps([_source_name(db, s) for s in sources], ensure_ascii=False),
           "sources": len(sources), "flags": json.dumps(status.flags(ms), ensure_ascii=False),
           "first_seen": ms[0]["at"], "last_seen": ms[-1]["at"], "as_of": now}
    db["claim_threads"].update(tid, row)
    db.conn.executemany("INSERT INTO thread_history (thread_id, at, status, claim_id, reason) VALUES (?, ?, ?, ?, ?)",
                        [(tid, c.at, c.status, c.claim_id, c.reason) for c in changes])


def _most(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None


def participants(members: list[dict]) -> list[str]:
    """Entity keys of the thread, the most frequent first."""
    counts: Counter = Counter()
    for m in members:
        for p in match._json(m.get("participants")):
            if str(p.get("key", "")).startswith("e"):
                counts[p["key"]] += 1
    return [k for k, _ in counts.most_common()]


def label(db: sqlite_utils.Database, members: list[dict], deadline: str | None) -> str:
    """The proposition in words: participants, event, figures, deadline."""
    keys = participants(members)[:4]
    names = dict(db.execute(f"SELECT 'e' || id, name FROM entities WHERE id IN ({','.join('?' * len(keys))})",
                            [k[1:] for k in keys]).fetchall()) if keys else {}
    who = ", ".join(names.get(k, k) for k in keys)
    event = _most(m["event"] for m in members) or "?"
    figs = []
    for m in members:
        for q in match._json(m.get("quantities")):
            if q.get("text") and q["text"] not in figs:
                figs.append(q["text"])
    text = f"{who}: {event}" if who else event
    if figs:
        text += " " + ", ".join(figs[:2])
    if deadline:
        text += f" (by {deadline})"
    return text


def regroup(db: sqlite_utils.Database, where: str, params: list) -> None:
    """Claims matching `where` are grouped again (their threads queued for recomputation)."""
    db.execute("INSERT OR IGNORE INTO threads_to_update (key) SELECT DISTINCT thread_id FROM claims "
               f"WHERE ({where}) AND thread_id IS NOT NULL", params)
    db.execute(f"UPDATE claims SET thread_key = NULL WHERE ({where})", params)


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
    claims_of: dict[int, list[int]] = defaultdict(list)
    rows = list(db.query(sql, params))
    ids = [r["id"] for r in rows]
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for cid, tid in db.execute(f"SELECT id, thread_id FROM claims WHERE thread_id IN ({','.join('?' * len(part))}) "
                                   "ORDER BY id", part).fetchall():
            claims_of[tid].append(cid)
    hist: dict[int, list[dict]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for h in db.query(f"SELECT thread_id, at, status, claim_id, reason FROM thread_history WHERE thread_id IN "
                          f"({','.join('?' * len(part))}) ORDER BY at, id", part):
            hist[h["thread_id"]].append({"at": h["at"], "status": h["status"], "claim_id": h["claim_id"],
                                         "reason": h["reason"]})
    out = []
    for r in rows:
        out.append({"id": r["id"], "label": r["label"], "status": r["status"], "deadline": r["deadline"],
                    "deadlines": json.loads(r["deadlines"] or "[]"), "first_seen": r["first_seen"],
                    "last_seen": r["last_seen"], "claims": claims_of.get(r["id"], []),
                    "independent_sources": json.loads(r["independent_sources"] or "[]"),
                    "history": hist.get(r["id"], []), "event": r["event"], "statements": r["statements"],
                    "status_since": r["status_since"], "flags": json.loads(r["flags"] or "[]")})
    return out
