"""What the Datasette thread page shows, read from the database (SQL only, read-only).

``thread_data(conn, thread_id)`` answers everything the page needs: the thread (label,
status and what it means, the deadline in force and every deadline stated, independent
sources, speaker reversals), every status change with the claim that caused it, and the
thread's claims in date order, each with its outlet, speaker and why it joined the thread
(``claims.thread_reason``) in words. ``entity_threads`` lists the threads an entity takes
part in, open promises first, for the entity page.
"""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
from typing import Any

def dict_rows(conn: sqlite3.Connection, sql: str, params: list | tuple = ()) -> list[dict]:
    """Rows of a query as dicts (also used by kb.entity_page)."""
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


#: At most this many claims of one thread are listed (the counts stay exact).
MAX_CLAIMS = 200
#: At most this many threads on an entity's page, read from its latest claims.
MAX_THREADS = 60
ENTITY_CLAIMS = 5000

STATUS_MEANING = {
    "single": "said by one independent source; nobody has repeated or contradicted it yet",
    "repeated": "said by more than one independent source, all agreeing",
    "open": "a promise or prediction that is not yet due or resolved",
    "fulfilled": "a later report says it happened",
    "overdue": "its deadline passed with no report that it happened",
    "contradicted": "a later claim or report says the opposite (or the claims disagree)",
}
#: The order in which an entity's threads are listed: what a journalist follows first.
STATUS_ORDER = ("open", "overdue", "contradicted", "fulfilled", "repeated", "single")
ARTICLE_ITSELF = "the article itself"

DAY = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"
CLAIM_SQL = (
    f"SELECT c.id, c.article_id, {DAY} AS day, c.kind, c.speaker, c.speaker_entity_id AS speaker_id, "
    "sp.name AS speaker_name, c.claimant, c.cue, c.content, c.sentence, c.modality, c.polarity, "
    "c.event_polarity, c.event, c.direct_quote, c.deadline, c.via, c.thread_reason, c.thread_id, "
    "a.title AS article_title, a.url AS article_url, a.source AS article_source, a.outlet, a.reprint_of, "
    "ro.outlet AS original_outlet, coalesce(ro.url, ro.source) AS original_source "
    "FROM claims c JOIN articles a ON a.id = c.article_id LEFT JOIN entities sp ON sp.id = c.speaker_entity_id "
    "LEFT JOIN articles ro ON ro.id = a.reprint_of ")




def _json(value: Any, default: Any) -> Any:
    try:
        out = json.loads(value) if value else default
    except (TypeError, ValueError):
        return default
    return out if isinstance(out, type(default)) else default


def outlet_name(outlet: str | None, source: str | None) -> str:
    """Who published an article: its outlet, else its site (URL) or file name."""
    if outlet:
        return outlet
    if not source:
        return "unknown"
    parts = urllib.parse.urlsplit(source)
    if parts.scheme in ("http", "https") and parts.netloc:
        return parts.netloc.removeprefix("www.")
    return source.rstrip("/").rsplit("/", 1)[-1] or source


def event_name(event: str | None) -> str:
    """An event class as a word ("n:arrear", a noun event, reads "arrear"; a reason, "reason")."""
    from kb.nlp.events import in_words

    return in_words(event)


def _names(conn: sqlite3.Connection, keys: set[str]) -> dict[str, dict]:
    """{participant key "e12": {id, name, type}} for the entity keys given."""
    ids = sorted({int(k[1:]) for k in keys if k[:1] == "e" and k[1:].isdigit()})
    if not ids:
        return {}
    rows = dict_rows(conn, f"SELECT id, name, type FROM entities WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {f"e{r['id']}": r for r in rows}


def _entity_keys(reason: dict) -> set[str]:
    return {k for k in reason.get("entities") or [] if isinstance(k, str)}


def reason_of(raw: Any, names: dict[str, dict]) -> dict:
    """Why a claim is in its thread, from ``claims.thread_reason``: ``opened``, the matched
    ``claim`` id, ``parts`` ({text, entities}) to show, and the same as plain ``text``."""
    r = _json(raw, {})
    parts: list[dict] = []
    if r.get("report"):
        parts.append({"text": "the article's own report of the event"})
    if r.get("statement"):
        parts.append({"text": "the same quoted words"})
    if r.get("event"):
        parts.append({"text": f"same event '{event_name(r['event'])}'"})
    ents, words = [], []
    for key in r.get("entities") or []:
        if key in names:
            ents.append(names[key])
        elif isinstance(key, str) and key.startswith("w:"):
            words.append(key[2:])
    words += [w for w in r.get("nouns") or [] if isinstance(w, str) and w not in words]
    if ents:
        parts.append({"text": "shared", "entities": ents})
    if words:
        parts.append({"text": "shared words " + ", ".join(f"'{w}'" for w in words)})
    if r.get("figures") == "same":
        parts.append({"text": "same figures"})
    if r.get("deadline") == "same":
        parts.append({"text": "same deadline"})
    elif r.get("deadline") == "differ":
        parts.append({"text": "the deadline moved"})
    if isinstance(r.get("agree"), int) and r["agree"] > 1:
        parts.append({"text": f"agrees with {r['agree']} claims of the thread"
                              + (f", conflicts with {r['conflict']}" if r.get("conflict") else "")})
    if r.get("score") is not None:
        parts.append({"text": f"score {r['score']}"})
    merged = r.get("merged_from")
    claim = r.get("claim") if isinstance(r.get("claim"), int) else None
    words_of = [p["text"] + (" " + ", ".join(e["name"] for e in p["entities"]) if p.get("entities") else "")
                for p in parts]
    if r.get("opened"):
        text = "opened the thread" if not merged else f"opened thread #{merged}, since merged into this one"
    else:
        text = (f"matched claim #{claim}: " if claim else "") + ", ".join(words_of)
        if merged:
            text += f" (in thread #{merged}, since merged into this one)"
    return {"opened": bool(r.get("opened")), "claim": claim, "merged_from": merged, "parts": parts,
            "text": text or "no reason recorded"}


def _claim_view(c: dict) -> dict:
    """A claim row with what the page shows: outlet, who said it, article link target."""
    c["outlet_name"] = outlet_name(c["outlet"], c["article_url"] or c["article_source"])
    c["original_name"] = outlet_name(c["original_outlet"], c["original_source"]) if c["reprint_of"] else None
    c["itself"] = c["kind"] == "report" or not c["speaker"]
    c["who"] = ARTICLE_ITSELF if c["itself"] else (c["speaker_name"] or c["speaker"])
    c["direct_quote"] = bool(c["direct_quote"])
    c["article_link"] = c["article_url"] or c["article_source"]
    return c


def _summary(c: dict) -> dict:
    """The few words that name a claim where it is cited (history, deadlines, flags)."""
    return {"id": c["id"], "day": c["day"], "who": c["who"], "speaker_id": None if c["itself"] else c["speaker_id"],
            "outlet": c["outlet_name"], "content": c["content"], "polarity": c["polarity"],
            "in_list": c.get("in_list", False)}


def thread_data(conn: sqlite3.Connection, tid: int) -> dict[str, Any] | None:
    """Everything the thread page shows, or None when there is no such thread."""
    found = dict_rows(conn, "SELECT * FROM claim_threads WHERE id = ?", [tid])
    if not found:
        return None
    t = found[0]
    claims = [_claim_view(c) for c in dict_rows(
        conn, CLAIM_SQL + f"WHERE c.thread_id = ? ORDER BY {DAY}, c.article_id, c.content_start, c.id LIMIT ?",
        [tid, MAX_CLAIMS])]
    for c in claims:
        c["in_list"] = True
    total = conn.execute("SELECT count(*) FROM claims WHERE thread_id = ?", [tid]).fetchone()[0]
    history = dict_rows(conn, "SELECT at, status, claim_id, reason FROM thread_history WHERE thread_id = ? "
                          "ORDER BY at, id", [tid])
    deadlines = [d for d in _json(t["deadlines"], []) if isinstance(d, dict)]
    flags = [f for f in _json(t["flags"], []) if isinstance(f, dict)]
    by_id = {c["id"]: c for c in claims}
    cited = {h["claim_id"] for h in history} | {d.get("claim_id") for d in deadlines}
    cited |= {i for f in flags for i in f.get("claim_ids") or []}
    missing = sorted(i for i in cited if isinstance(i, int) and i not in by_id)
    if missing:
        for c in dict_rows(conn, CLAIM_SQL + f"WHERE c.id IN ({','.join('?' * len(missing))})", missing):
            by_id[c["id"]] = _claim_view(c)

    participants = [k for k in _json(t["participants"], []) if isinstance(k, str)]
    reasons = {c["id"]: _json(c["thread_reason"], {}) for c in claims}
    names = _names(conn, set(participants).union(*[_entity_keys(r) for r in reasons.values()]))
    for c in claims:
        c["reason"] = reason_of(c["thread_reason"], names)
        matched = by_id.get(c["reason"]["claim"])
        c["reason"]["matched"] = _summary(matched) if matched else None

    def cite(cid: Any) -> dict | None:
        return _summary(by_id[cid]) if cid in by_id else None

    in_force = max((i for i, d in enumerate(deadlines) if d.get("date") == t["deadline"]), default=None)
    status = t["status"] or "single"
    return {
        "thread": {"id": t["id"], "label": t["label"] or f"thread {t['id']}", "status": status,
                   "meaning": STATUS_MEANING.get(status, ""), "status_since": t["status_since"],
                   "deadline": t["deadline"], "event": event_name(t["event"]),
                   "first_seen": (t["first_seen"] or "")[:10], "last_seen": (t["last_seen"] or "")[:10],
                   "as_of": t["as_of"], "claims": total, "statements": t["statements"], "sources": t["sources"]},
        "entities": [names[k] for k in participants if k in names],
        "independent_sources": [s for s in _json(t["independent_sources"], []) if isinstance(s, str)],
        "deadlines": [{"date": d.get("date"), "in_force": i == in_force, "claim": cite(d.get("claim_id"))}
                      for i, d in enumerate(deadlines)],
        "deadline_claim": cite(deadlines[in_force].get("claim_id")) if in_force is not None else None,
        "flags": [{"flag": f.get("flag"), "speaker": f.get("speaker"), "speaker_id": f.get("speaker_entity_id"),
                   "claims": [s for s in (cite(i) for i in f.get("claim_ids") or []) if s]} for f in flags],
        "history": [{"at": h["at"], "status": h["status"], "meaning": STATUS_MEANING.get(h["status"], ""),
                     "claim": cite(h["claim_id"]), "deadline_passed": h["claim_id"] is None,
                     "reason": h["reason"]} for h in history],
        "claims": claims,
        "max_claims": MAX_CLAIMS,
    }


def entity_threads(conn: sqlite3.Connection, eid: int, limit: int = MAX_THREADS) -> list[dict]:
    """The threads whose claims involve the entity (any role), open promises first (soonest
    deadline first), then overdue, contradicted, fulfilled, repeated, single; read from the
    entity's latest claims so that a hub entity still answers fast."""
    order = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUS_ORDER))
    return dict_rows(conn, (
        "WITH recent AS (SELECT claim_id FROM claim_entities WHERE entity_id = ? ORDER BY at DESC LIMIT ?) "
        "SELECT t.id, t.label, t.status, t.status_since, t.deadline, t.claims, t.sources, "
        "substr(t.last_seen, 1, 10) AS last_seen FROM claim_threads t WHERE t.id IN "
        "(SELECT c.thread_id FROM recent JOIN claims c ON c.id = recent.claim_id WHERE c.thread_id IS NOT NULL) "
        f"ORDER BY CASE t.status {order} ELSE {len(STATUS_ORDER)} END, t.deadline IS NULL, t.deadline, "
        "t.status_since DESC, t.id DESC LIMIT ?"), [eid, ENTITY_CLAIMS, limit])
