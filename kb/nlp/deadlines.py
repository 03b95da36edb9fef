"""The deadline a claim sets: its own time expression resolved against the article's date.

Only a forward-looking claim, or one that moves a date ("won't be hit until June"), or a
target phrased with "by"/"until"/"within" ("a production level of 5,000 a week by December
2017"), sets a deadline; "in the final week of the quarter" in a report of what happened
is when it happened, not a deadline. The deadline is the last day of the period named
(kb.nlp.timex: "by the end of June": 30 June; "next month": its last day; "in 2017": 31
December), read with the tense of its clause ("on Friday" in a past clause is the Friday before).
"""
from __future__ import annotations

import re
from datetime import date

FORWARD = {"future", "possible", "conditional", "demanded"}
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
DEICTIC = re.compile(r"\b(?:next|this|last|coming|following)\b", re.I)
CALENDAR = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
                      r"|\bq[1-4]\b|\bquarter\b", re.I)
TARGET_RELATIONS = {"by", "until", "not_until", "within", "before"}


def claim_deadline(claim: dict, published_at: str | None) -> str | None:
    """The ISO date a claim's time expression sets as its deadline, or None."""
    text = claim.get("time_text")
    if not text or not published_at:
        return None
    relation = claim.get("time_relation")
    if claim.get("modality") not in FORWARD and not claim.get("revision") and relation not in TARGET_RELATIONS \
            and claim.get("time_tense") != "future":     # "believes Greece will make a payment scheduled for June 30"
        return None
    from .timex import TimeExpr, deadline

    tense = claim.get("time_tense")
    moved = bool(claim.get("revision")) and relation != "not_until"
    if moved:
        tense = "future"                     # "has been delayed to the end of June": the new date lies ahead
    expr = TimeExpr(claim.get("time_start") or 0, claim.get("time_end") or 0, text, relation, tense)
    found = deadline(expr, published_at, tense)
    if found and not moved and claim.get("time_frame") == "past" and CALENDAR.search(text) and not YEAR.search(text) \
            and not DEICTIC.search(text):
        found = recent(found, published_at)
    return found


def recent(found: str, published_at: str, within: int = 92) -> str:
    """A promise made in the past ("had pledged to restore them by the end of August", read on 3
    September): a date named without its year that has just passed is this year's, not next year's."""
    d, ref = date.fromisoformat(found), date.fromisoformat(published_at[:10])
    try:
        before = d.replace(year=d.year - 1)
    except ValueError:                       # 29 February
        before = d.replace(year=d.year - 1, day=28)
    return before.isoformat() if 0 <= (ref - before).days <= within else found
