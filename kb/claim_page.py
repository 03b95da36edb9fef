"""What the claim card and the article page show, read from the database (SQL only, read-only).

``claim_data(conn, claim_id)``: one claim as a journalist reads it — the sentence with the
speaker, cue and content marked (from the stored offsets), who said it and whose claim it
is (entities with their ids), what it is about, the article, its outlet and date, the claim
thread and its status, and the claims next to it in the article.

``article_data(conn, article_id)``: the article's text as segments, each a run of text
with the claims (content, speaker, cue) it belongs to, so the page can mark every claim in
place and link it to its card.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from kb.nlp.claims.assembly import QUOTE_GAP
from kb.thread_page import STATUS_MEANING, dict_rows, outlet_name

#: An article page marks at most this many claims (the text is always shown whole).
MAX_ARTICLE_CLAIMS = 2000

CLAIM_SQL = (
    "SELECT c.*, a.title AS article_title, a.url AS article_url, a.source AS article_source, a.outlet, "
    "a.published_at, a.ingested_at, a.byline, sp.name AS speaker_name, sp.type AS speaker_type, "
    "su.name AS subject_name, su.type AS subject_type, cl.name AS claimant_name, cl.type AS claimant_type, "
    "ve.name AS via_name, t.label AS thread_label, t.status AS thread_status, t.deadline AS thread_deadline, "
    "t.claims AS thread_claims "
    "FROM claims c JOIN articles a ON a.id = c.article_id "
    "LEFT JOIN entities sp ON sp.id = c.speaker_entity_id LEFT JOIN entities su ON su.id = c.subject_entity_id "
    "LEFT JOIN entities cl ON cl.id = c.claimant_entity_id LEFT JOIN entities ve ON ve.id = c.via_entity_id "
    "LEFT JOIN claim_threads t ON t.id = c.thread_id WHERE c.id = ?")


def day_of(value: str | None) -> str | None:
    """An ISO timestamp as its date ("2014-08-04T13:29:00" -> "2014-08-04")."""
    return value[:10] if isinstance(value, str) and value else None


def _json_list(value: Any) -> list:
    try:
        out = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return out if isinstance(out, list) else []


def sentence_parts(c: dict, text: str | None) -> list[dict]:
    """The claim's sentence as parts {text, tag} (tag: speaker, cue, content or None), from
    the offsets of speaker, cue and content in the article text; without a text, by search."""
    sentence = c["sentence"] or ""
    base = -1
    if text:
        anchor = c.get("content_start") or c.get("speaker_start") or 0
        base = text.find(sentence, max(0, anchor - len(sentence)))
        if base < 0:
            base = text.find(sentence)
    spans: list[tuple[int, int, str]] = []
    for key in ("content", "speaker", "cue"):
        s, e, words = c.get(f"{key}_start"), c.get(f"{key}_end"), c.get(key)
        if base >= 0 and isinstance(s, int) and isinstance(e, int) and base <= s < e <= base + len(sentence):
            s, e = s - base, e - base
        elif words and words in sentence:
            s = sentence.find(words)
            e = s + len(words)
        else:
            continue
        first, _, last = (words or "").partition(QUOTE_GAP)
        if key == "content" and last and words != sentence[s:e]:     # a quote broken by its cue: 'X … Y'
            spans += [(s, s + len(first), key), (e - len(last), e, key)]
            continue
        if any(s < e2 and s2 < e for s2, e2, _ in spans):
            continue
        spans.append((s, e, key))
    parts, pos = [], 0
    for s, e, key in sorted(spans):
        if s > pos:
            parts.append({"text": sentence[pos:s], "tag": None})
        parts.append({"text": sentence[s:e], "tag": key})
        pos = e
    if pos < len(sentence):
        parts.append({"text": sentence[pos:], "tag": None})
    return parts


def _entity(eid: Any, name: Any, etype: Any) -> dict | None:
    return {"id": eid, "name": name, "type": etype} if eid is not None and name else None


def claim_data(conn: sqlite3.Connection, cid: int) -> dict[str, Any] | None:
    """Everything the claim card shows, or None when there is no such claim."""
    found = dict_rows(conn, CLAIM_SQL, [cid])
    if not found:
        return None
    c = found[0]
    text_row = conn.execute("SELECT text FROM articles WHERE id = ?", [c["article_id"]]).fetchone()
    objects = []
    ids = {r["role"] + ":" + r["name"]: r for r in dict_rows(
        conn, "SELECT ce.role, e.id, e.name, e.type FROM claim_entities ce JOIN entities e ON e.id = ce.entity_id "
              "WHERE ce.claim_id = ? ORDER BY ce.role, e.name", [cid])}
    for o in _json_list(c["objects"]):
        if not isinstance(o, dict):
            continue
        ent = o.get("entity") if isinstance(o.get("entity"), dict) else None
        row = ids.get("object:" + ent["name"]) if ent and ent.get("name") else None
        objects.append({"text": o.get("text"), "entity": _entity(row["id"], row["name"], row["type"]) if row else
                        ({"id": None, "name": ent["name"], "type": ent.get("type")} if ent else None)})
    participants = [r for k, r in ids.items() if k.startswith("participant:")]
    neighbours = dict_rows(conn, "SELECT id, speaker, content FROM claims WHERE article_id = ? AND id IN "
                             "((SELECT max(id) FROM claims WHERE article_id = ? AND id < ?), "
                             "(SELECT min(id) FROM claims WHERE article_id = ? AND id > ?))",
                       [c["article_id"], c["article_id"], cid, c["article_id"], cid])
    itself = c["kind"] == "report" or not c["speaker"]
    return {
        "claim": {
            "id": c["id"], "sentence": c["sentence"], "parts": sentence_parts(c, text_row[0] if text_row else None),
            "speaker": c["speaker"], "itself": itself, "cue": c["cue"], "content": c["content"],
            "speaker_refers_to": c["speaker_refers_to"], "claimant": c["claimant"],
            "subject": c["subject"], "predicate": c["predicate"], "predicate_text": c["predicate_text"],
            "modality": c["modality"], "polarity": c["polarity"], "direct_quote": bool(c["direct_quote"]),
            "via": c["via"], "time_text": c["time_text"], "time_value": c["time_value"],
            "deadline": c["deadline"], "kind": c["kind"],
        },
        "speaker_entity": _entity(c["speaker_entity_id"], c["speaker_name"], c["speaker_type"]),
        "claimant_entity": _entity(c["claimant_entity_id"], c["claimant_name"], c["claimant_type"]),
        "subject_entity": _entity(c["subject_entity_id"], c["subject_name"], c["subject_type"]),
        "via_entity": _entity(c["via_entity_id"], c["via_name"], "media"),
        "objects": objects,
        "participants": participants,
        "article": {"id": c["article_id"], "title": c["article_title"] or f"article {c['article_id']}",
                    "url": c["article_url"] or c["article_source"], "byline": c["byline"],
                    "outlet": outlet_name(c["outlet"], c["article_url"] or c["article_source"]),
                    "date": day_of(c["published_at"]) or day_of(c["ingested_at"]),
                    "dated": bool(c["published_at"])},
        "thread": None if c["thread_id"] is None else {
            "id": c["thread_id"], "label": c["thread_label"] or f"thread {c['thread_id']}",
            "status": c["thread_status"], "meaning": STATUS_MEANING.get(c["thread_status"] or "", ""),
            "deadline": c["thread_deadline"], "claims": c["thread_claims"]},
        "previous": next((n for n in neighbours if n["id"] < cid), None),
        "next": next((n for n in neighbours if n["id"] > cid), None),
    }


def text_segments(text: str, claims: list[dict]) -> list[dict]:
    """The text cut at every claim boundary: [{text, content: [claim ids], speaker: [...],
    cue: [...], starts: [claim ids whose content starts here]}], in order, covering it all."""
    cuts = {0, len(text)}
    spans: list[tuple[int, int, str, int]] = []
    for c in claims:
        for key in ("content", "speaker", "cue"):
            s, e = c.get(f"{key}_start"), c.get(f"{key}_end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
                spans.append((s, e, key, c["id"]))
                cuts.update((s, e))
    order = sorted(cuts)
    starts: dict[int, list[int]] = {}
    for s, _, key, cid in spans:
        if key == "content":
            starts.setdefault(s, []).append(cid)
    index = {pos: i for i, pos in enumerate(order)}
    active: list[dict] = [{"content": [], "speaker": [], "cue": []} for _ in order[:-1]]
    for s, e, key, cid in spans:
        for i in range(index[s], index[e]):
            active[i][key].append(cid)
    return [{"text": text[a:b], "starts": starts.get(a, []), **active[i]}
            for i, (a, b) in enumerate(zip(order, order[1:])) if b > a]


def article_data(conn: sqlite3.Connection, aid: int) -> dict[str, Any] | None:
    """Everything the article page shows, or None when there is no such article."""
    found = dict_rows(conn, "SELECT id, source, url, title, byline, published_at, updated_at, ingested_at, language, "
                        "standfirst, text, kind, outlet, duplicate_of, near_duplicate_of, reprint_of "
                        "FROM articles WHERE id = ?", [aid])
    if not found:
        return None
    a = found[0]
    claims = dict_rows(conn, (
        "SELECT c.id, c.speaker, c.cue, c.content, c.modality, c.polarity, c.direct_quote, c.kind, c.thread_id, "
        "c.speaker_start, c.speaker_end, c.cue_start, c.cue_end, c.content_start, c.content_end, "
        "sp.id AS speaker_id, sp.name AS speaker_name, t.status AS thread_status "
        "FROM claims c LEFT JOIN entities sp ON sp.id = c.speaker_entity_id "
        "LEFT JOIN claim_threads t ON t.id = c.thread_id WHERE c.article_id = ? "
        "ORDER BY c.content_start, c.id LIMIT ?"), [aid, MAX_ARTICLE_CLAIMS])
    entities = dict_rows(conn, "SELECT e.id, e.name, e.type, count(*) AS mentions FROM mentions m "
                           "JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? "
                           "GROUP BY e.id ORDER BY mentions DESC, e.name LIMIT 100", [aid])
    link = a["url"] or a["source"]
    return {
        "article": {**{k: a[k] for k in ("id", "title", "byline", "language", "standfirst", "kind", "source",
                                         "duplicate_of", "near_duplicate_of", "reprint_of")},
                    "title": a["title"] or f"article {a['id']}", "link": link,
                    "outlet": outlet_name(a["outlet"], link), "date": day_of(a["published_at"]),
                    "updated": day_of(a["updated_at"]), "ingested": day_of(a["ingested_at"]),
                    "chars": len(a["text"] or "")},
        "segments": text_segments(a["text"] or "", claims),
        "claims": claims,
        "entities": entities,
    }
