"""Claim threads in the database: grouping new claims into threads, incrementally.

Claims not yet grouped (``claims.thread_key IS NULL``) are taken in publication order.
Each is compared (``kb.track.match.compare``) with the claims of the threads that share an
index key with it (``thread_index``: event senses, figures and deadline, each with a
participant); it joins the thread where some claims match and fewer conflict (another
figure, another date), or opens a new one; two threads it fits both of, that agree with
each other, are merged. Why it joined is stored in ``claims.thread_reason``. The article's
own reports of events that bear on a followed promise become claims of its thread
(``promote_reports``). Then every thread touched is recomputed (``kb.track.rows``), and
threads whose deadline passed since they were computed are brought up to date.

Only what changed is recomputed, so one new article costs milliseconds on a database of a
million claims (bench/bench_threads.py); writes are batched and done in one transaction.
"""
from __future__ import annotations

import json
from typing import Iterable

import sqlite_utils

from . import match, rows, status

TRACK_VERSION = "2"        # grouping by proposition; a database keyed otherwise is regrouped once
ROWS_VERSION = "2"         # how a thread's row reads (2: labels with the claim's words); older rows are rewritten once
MAX_MEMBERS = 60           # a thread is compared through its latest claims at most
MAX_CANDIDATES = 200       # threads per index key looked at, newest first
MAX_COMPARISONS = 400      # claim comparisons per new claim (hubs: the newest threads first)
BATCH = 500

PROP_SQL = ("SELECT id, thread_id, article_id, event, event_also, participants, quantities, deadline, revision, "
            "statement_key, realized "
            "FROM claims ")
BY_THREAD = ("SELECT id, thread_id, article_id, event, event_also, participants, quantities, deadline, revision, "
             "statement_key, realized "
             "FROM claims INDEXED BY idx_claims_thread ")   # stale statistics must not make this a scan


class Grouper:
    """One pass of grouping: the index and the members it has read kept in memory, writes batched."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.index: dict[str, list[int]] = {}
        self.members: dict[int, list[match.Prop]] = {}
        self.touched: set[int] = set()
        self.eligible: list[tuple[float, int]] = []
        self.assigned: list[tuple] = []          # (thread id, key, reason, claim id) not yet written
        self.new_keys: list[tuple[str, int]] = []
        self.new_threads: list[int] = []
        self.merged: dict[int, int] = {}
        self.apart: set[tuple[int, int]] = set()   # thread pairs found not to be one (this pass)
        self.next_id = (db.execute("SELECT max(id) FROM claim_threads").fetchone()[0] or 0) + 1

    def flush(self) -> None:
        """Write the batched assignments, index keys and new threads."""
        if self.new_threads:
            self.db.conn.executemany("INSERT INTO claim_threads (id, key, claims) VALUES (?, ?, 0)",
                                     [(t, f"t{t}") for t in self.new_threads])
        self.db.conn.executemany("UPDATE claims SET thread_id = ?, thread_key = ?, thread_reason = ? WHERE id = ?",
                                 self.assigned)
        self.db.conn.executemany("INSERT OR IGNORE INTO thread_index (key, thread_id) VALUES (?, ?)", self.new_keys)
        self.new_threads, self.assigned, self.new_keys = [], [], []

    def candidates(self, keys: Iterable[str]) -> set[int]:
        keys = list(keys)
        missing = [k for k in keys if k not in self.index]
        for chunk in range(0, len(missing), BATCH):
            part = missing[chunk:chunk + BATCH]
            for k in part:
                self.index[k] = []
            found = self.db.execute(f"SELECT key, thread_id FROM thread_index WHERE key IN ({','.join('?' * len(part))}) "
                                    "ORDER BY thread_id DESC", part).fetchall()
            for k, tid in found:
                if len(self.index[k]) < MAX_CANDIDATES:
                    self.index[k].append(tid)
        out: set[int] = set()
        for k in keys:
            out.update(self.resolve(t) for t in self.index.get(k, ()))
        return out

    def resolve(self, tid: int) -> int:
        """The thread a merged thread went into."""
        while tid in self.merged:
            tid = self.merged[tid]
        return tid

    def props_of(self, tid: int) -> list[match.Prop]:
        if tid not in self.members:
            found = self.db.query(BY_THREAD + "WHERE thread_id = ? ORDER BY id DESC LIMIT ?", [tid, MAX_MEMBERS])
            self.members[tid] = [match.prop(r) for r in found]
        return self.members[tid]

    def best_thread(self, p: match.Prop, accept=None) -> tuple[float, int, dict] | None:
        """(score, thread id, reason) of the thread the proposition belongs to, or None. A thread
        is a candidate when some of its claims match and fewer conflict (another figure, another
        date): one claim that mixes two promises does not bridge them."""
        best = None
        self.eligible = []
        budget = MAX_COMPARISONS
        for tid in sorted(self.candidates(match.query_keys(p)), reverse=True):
            if budget <= 0:
                break
            top, n_match, n_conflict = None, 0, 0
            members = self.props_of(tid)[:budget]
            budget -= len(members)
            anchors = p.entities | p.context | p.nouns
            for other in members:
                if other.id == p.id or not anchors & (other.entities | other.context | other.nouns):
                    continue                     # nothing in common: neither a match nor a conflict
                fig = match.figures(p, other)
                m = match.compare(p, other, fig)
                if m is not None and (accept is None or accept(m, other)):
                    n_match += 1
                    if top is None or m.score > top.score:
                        top = m
                elif match.conflict(p, other, fig):
                    n_conflict += 1
            if top is None or n_conflict >= n_match:
                continue
            score = top.score + 0.25 * (n_match - 1)
            self.eligible.append((score, tid))
            if best is None or score > best[0]:
                best = (score, tid, dict(top.reason, agree=n_match, conflict=n_conflict))
        return best

    def place(self, row: dict) -> None:
        """Put one claim in its thread (an existing one, or a new one)."""
        p = match.prop(row)
        if not p.event or not (p.entities or p.nouns):
            self.assigned.append((None, "", None, row["id"]))
            return
        best = self.best_thread(p)
        if best is None:
            tid, reason = self.next_id, {"opened": True}
            self.next_id += 1
            self.new_threads.append(tid)
            self.members[tid] = []
        else:
            tid, reason = best[1], best[2]
            near = sorted((sc, t) for sc, t in self.eligible if t != tid and sc >= 0.75 * best[0])[-2:]
            for _, other in near:                # at most two threads it fits nearly as well
                if (tid, other) not in self.apart and self.compatible_threads(tid, other):
                    self.merge(other, tid)
                else:
                    self.apart.add((tid, other))
        self.assigned.append((tid, f"t{tid}", json.dumps(reason), row["id"]))
        keys = match.index_keys(p)
        self.new_keys += [(k, tid) for k in keys]
        for k in keys:
            lst = self.index.setdefault(k, [])
            if tid not in lst:
                lst.insert(0, tid)
        self.props_of(tid).insert(0, p)
        self.touched.add(tid)

    def compatible_threads(self, a: int, b: int) -> bool:
        """Two threads a new claim fits both of are one: their claims agree far more than they conflict."""
        agree = conflicts = 0
        for x in self.props_of(a)[:20]:
            for y in self.props_of(b)[:20]:
                if match.compare(x, y) is not None:
                    agree += 1
                elif match.conflict(x, y):
                    conflicts += 1
        return agree > 0 and conflicts * 3 <= agree

    def merge(self, src: int, dst: int) -> None:
        """Move the claims of thread src into dst (src is dropped when recomputed)."""
        self.flush()
        self.db.execute("UPDATE claims SET thread_id = ?, thread_key = ?, thread_reason = json_set("
                        "coalesce(thread_reason, '{}'), '$.merged_from', ?) WHERE thread_id = ?",
                        [dst, f"t{dst}", src, src])
        self.db.execute("INSERT OR IGNORE INTO thread_index (key, thread_id) SELECT key, ? FROM thread_index "
                        "WHERE thread_id = ?", [dst, src])
        self.db.execute("DELETE FROM thread_index WHERE thread_id = ?", [src])
        self.merged[src] = dst                   # index lists still naming src are read through this
        self.members[dst] = (self.members.pop(src, []) + self.props_of(dst))[:MAX_MEMBERS]
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
        g.touched.update(_stale_rows(db))
        todo = [r[0] for r in db.execute(      # CROSS JOIN: from the few new claims to their articles
            "SELECT c.id FROM claims c CROSS JOIN articles a ON a.id = c.article_id WHERE c.thread_key IS NULL "
            "ORDER BY coalesce(a.published_at, a.ingested_at), c.article_id, c.content_start, c.id").fetchall()]
        for chunk in range(0, len(todo), BATCH):
            part = todo[chunk:chunk + BATCH]
            found = {r["id"]: r for r in db.query(PROP_SQL + f"WHERE id IN ({','.join('?' * len(part))})", part)}
            for cid in part:
                g.place(found[cid])
            g.flush()
        promote_reports(db, g)
        rows.rebuild(db, g.touched, now)
        n = len(g.touched) + refresh(db, now, skip=g.touched)
    return n


def followed(db: sqlite_utils.Database, tid: int) -> str | None:
    """The date a thread's first promise or prediction was published, or None when it holds none."""
    found = db.execute("SELECT min(coalesce(a.published_at, a.ingested_at)) FROM claims c JOIN articles a "
                       "ON a.id = c.article_id WHERE c.thread_id = ? AND (c.modality IN ('future', 'possible', "
                       "'conditional') OR c.prospective = 1 OR c.modality = 'hedged' AND c.deadline IS NOT NULL)",
                       [tid]).fetchone()
    return found[0] if found else None


def promote_reports(db: sqlite_utils.Database, g: Grouper) -> int:
    """The article's own reports not yet compared: one that states the event of a followed promise
    published before it (an explicit participant in common, a compatible event) becomes a claim in
    that promise's thread."""
    found = list(db.query("SELECT r.id, r.article_id, r.data, coalesce(a.published_at, a.ingested_at) AS at "
                          "FROM reports r JOIN articles a ON a.id = r.article_id WHERE r.checked = 0 ORDER BY r.id"))
    promoted = 0
    for r in found:
        data = json.loads(r["data"])
        row = dict(data["row"], id=-r["id"])
        p = match.prop(row)
        best = g.best_thread(p, lambda m, other: bool(m.reason.get("event") and p.entities & other.entities))
        if best is not None:
            since = followed(db, best[1])
            if not since or since[:10] > (r["at"] or "")[:10]:
                best = None
        if best is not None:
            _, tid, reason = best
            row.pop("id")
            row.update(thread_id=tid, thread_key=f"t{tid}", thread_reason=json.dumps(dict(reason, report=True)),
                       kind="report")
            cols = list(row)
            cid = db.execute(f"INSERT INTO claims ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                             [row[c] for c in cols]).lastrowid
            db.conn.executemany("INSERT OR IGNORE INTO claim_entities (claim_id, entity_id, role, at) VALUES (?, ?, ?, ?)",
                                [(cid, eid, role, r["at"]) for eid, role in data.get("roles", [])])
            db.execute("UPDATE reports SET claim_id = ? WHERE id = ?", [cid, r["id"]])
            g.props_of(tid).insert(0, p._replace(id=cid))
            g.touched.add(tid)
            promoted += 1
        db.execute("UPDATE reports SET checked = 1 WHERE id = ?", [r["id"]])
    return promoted


def _outdated(db: sqlite_utils.Database, key: str, version: str) -> bool:
    """True, once, when kb_meta's ``key`` is not ``version`` (which it then records)."""
    db.execute("CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT)")
    row = db.execute("SELECT value FROM kb_meta WHERE key = ?", [key]).fetchone()
    if row and row[0] == version:
        return False
    db.execute("INSERT OR REPLACE INTO kb_meta (key, value) VALUES (?, ?)", [key, version])
    return True


def _check_version(db: sqlite_utils.Database) -> None:
    """Regroup everything once when the database was grouped by an older rule."""
    if not _outdated(db, "track_version", TRACK_VERSION):
        return
    db.execute("DELETE FROM claims WHERE kind = 'report'")
    db.execute("UPDATE reports SET checked = 0, claim_id = NULL")
    db.execute("UPDATE claims SET thread_id = NULL, thread_key = NULL, thread_reason = NULL")
    for table in ("thread_history", "thread_index", "threads_to_update", "claim_threads"):
        db.execute(f"DELETE FROM {table}")


def _stale_rows(db: sqlite_utils.Database) -> list[int]:
    """Every thread, once, when the rows were written by an older rule (a new label): their
    ids, claims and history stay; the row is recomputed from them."""
    if not _outdated(db, "rows_version", ROWS_VERSION):
        return []
    return [tid for (tid,) in db.execute("SELECT id FROM claim_threads").fetchall()]


def refresh(db: sqlite_utils.Database, now: str, skip: set[int] = frozenset()) -> int:
    """Recompute the threads whose deadline passed since they were computed (open -> overdue), and
    those computed for a later date than the clock's (``$KB_NOW`` set back: what was known then)."""
    ids = [tid for (tid,) in db.execute(
        "SELECT id FROM claim_threads WHERE status = 'open' AND deadline IS NOT NULL AND deadline < ? "
        "AND (as_of IS NULL OR as_of <= deadline) UNION SELECT id FROM claim_threads WHERE as_of > ?",
        [now, now]).fetchall() if tid not in skip]
    rows.rebuild(db, ids, now)
    return len(ids)


def regroup(db: sqlite_utils.Database, where: str, params: list) -> None:
    """Claims matching `where` are grouped again (their threads queued for recomputation)."""
    db.execute("INSERT OR IGNORE INTO threads_to_update (key) SELECT DISTINCT thread_id FROM claims "
               f"WHERE ({where}) AND thread_id IS NOT NULL", params)
    db.execute(f"UPDATE claims SET thread_key = NULL WHERE ({where})", params)
