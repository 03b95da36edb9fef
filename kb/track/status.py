"""A thread's status over time, its deadline in force and its history. Pure functions.

Members are the thread's claims as dicts with ``id, at`` (the article's date, ISO),
``pos`` (position in the article), ``modality``, ``polarity`` (the proposition's folded
polarity), ``deadline``, ``revision`` and ``source`` (the independent source it counts as).

Status as of a date (the clock: ``$KB_NOW`` or today):

* ``fulfilled`` by an outcome: an asserted claim that says the event happened or holds (a
  finite verb, not "asked to bundle the payments"), with no deadline of its own, dated after
  the first forward-looking claim, of the promise's polarity ("Tesla reached its
  milestone"; a figure short of the one promised is progress, not the promise kept);
  ``contradicted`` by one of the opposite polarity dated after the deadline ("Greece has
  now missed its payment"; "still blocked" before the deadline is not yet, not a breach);
* ``contradicted`` when the latest article's forward-looking claims deny the promise, or
  move its date beside a denial ("will delay the payment due Friday", "will miss Friday's
  repayment"); a date moved alone is a new deadline ("won't be hit until June");
* ``overdue`` when the deadline in force has passed with no outcome;
* ``open`` while a promise or prediction is pending;
* threads of asserted claims only: ``single`` (one source), ``repeated`` (two or more
  sources agreeing) or ``contradicted`` (both polarities).

The deadline in force is the latest restatement's: the last deadline, in the newest
article that states one still ahead of its own date ("had initially hoped to hit that
target by the end of last year" reports an old one).
"""
from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from typing import Iterable, NamedTuple

FORWARD = {"future", "possible", "conditional"}


class Change(NamedTuple):
    at: str
    status: str
    claim_id: int | None
    reason: str


def today() -> str:
    """The knowledge base's clock: $KB_NOW (an ISO date) when set, else today's date."""
    env = os.environ.get("KB_NOW", "").strip()
    if env:
        try:
            return date.fromisoformat(env[:10]).isoformat()
        except ValueError:
            pass
    return date.today().isoformat()


def _day(value: str | None) -> str:
    return (value or "")[:10]


def ordered(members: Iterable[dict]) -> list[dict]:
    return sorted(members, key=lambda m: (_day(m.get("at")), m.get("article_id") or 0, m.get("pos") or 0, m["id"]))


def looks_ahead(m: dict) -> bool:
    """A promise or prediction: future, possible or conditional, or said of what will come
    without a future tense ("the restrictions are temporary")."""
    return m.get("modality") in FORWARD or bool(m.get("prospective")) \
        or m.get("modality") == "hedged" and bool(m.get("deadline"))      # "will 'quite likely' meet ... by June"


def deadline_in_force(members: list[dict]) -> tuple[str | None, int | None, list[dict]]:
    """(deadline, claim id that set it, [{date, claim_id}] every deadline stated, oldest first):
    the last deadline stated still ahead of its own date, else the last stated."""
    line = Timeline(ordered(members))
    history: list[dict] = []
    for i in line.stated:
        m = line.ms[i]
        if not history or history[-1]["date"] != m["deadline"]:
            history.append({"date": m["deadline"], "claim_id": m["id"]})
    last = line.setter(len(line.ms))
    return (last["deadline"], last["id"], history) if last else (None, None, history)


def state(members: list[dict], as_of: str, is_ordered: bool = False) -> tuple[str, int | None, str]:
    """(status, the claim that decided it or None, why) of the members published by as_of."""
    return Timeline(members if is_ordered else ordered(members)).state(as_of)


class Timeline:
    """A thread's members in order, with what a status looks at found once, so that its status
    at many dates (``history``) costs a binary search and a short walk each, not a pass over
    every member: a hub's thread has thousands."""

    def __init__(self, ms: list[dict]):
        self.ms = ms
        self.days = [_day(m.get("at")) for m in ms]          # non-decreasing
        self.ahead = [i for i, m in enumerate(ms) if looks_ahead(m)]
        ahead = set(self.ahead)
        self.stated = [i for i, m in enumerate(ms) if m.get("deadline") and (i in ahead or m.get("revision"))]
        self.stated_ahead = [i for i in self.stated if ms[i]["deadline"] >= self.days[i]]
        self.outcomes = [i for i, m in enumerate(ms) if m.get("modality") == "asserted" and m.get("realized", 1)
                         and i not in ahead and not m.get("deadline") and not m.get("revision")]
        pol = [m.get("polarity") or "positive" for m in ms]
        self.pol = pol
        first_src = ms[0].get("source") if ms else None
        self.other_pol = next((i for i, p in enumerate(pol) if p != pol[0]), len(ms))    # the first of another
        self.other_src = next((i for i, m in enumerate(ms) if m.get("source") != first_src), len(ms))

    def setter(self, k: int) -> dict | None:
        """The member whose deadline is in force among the first k: the last one stating a
        deadline still ahead of its own date, else the last stating one (ordered by day)."""
        j = bisect_left(self.stated_ahead, k)
        if j:
            return self.ms[self.stated_ahead[j - 1]]
        j = bisect_left(self.stated, k)
        return self.ms[self.stated[j - 1]] if j else None

    def deadline(self, k: int) -> str | None:
        """The deadline in force among the first k members."""
        found = self.setter(k)
        return found["deadline"] if found else None

    def state(self, as_of: str) -> tuple[str, int | None, str]:
        ms, days = self.ms, self.days
        k = bisect_right(days, as_of) or min(1, len(ms))    # by as_of (the first one if none)
        n_fwd = bisect_left(self.ahead, k)
        if not n_fwd:
            if self.other_pol < k:
                return "contradicted", ms[self.other_pol]["id"], "claims of both polarities"
            if self.other_src < k:
                return "repeated", ms[k - 1]["id"], "said by more than one source"
            return "single", ms[0]["id"], "one source"
        forward = [ms[i] for i in self.ahead[:n_fwd]]
        main = self.pol[self.ahead[0]]
        first_day = days[self.ahead[0]]
        deadline = self.deadline(k)
        for i in reversed(self.outcomes[:bisect_left(self.outcomes, k)]):
            if days[i] <= first_day:
                break                     # ordered by day: the rest are no later than the promise
            m = ms[i]
            if self.pol[i] == main:
                if short_of(m, forward):
                    continue              # "it hit a rate of 2,270 cars" is progress towards 2,500
                return "fulfilled", m["id"], "reported done"
            if deadline and days[i] > deadline:
                return "contradicted", m["id"], "reported not done"
            # "still blocked" before the deadline (or with none) is not yet, not a broken promise
        newest = days[self.ahead[n_fwd - 1]]
        latest = [ms[i] for i in self.ahead[:n_fwd] if days[i] == newest]
        denies = [m for m in latest if (m.get("polarity") or "positive") != main and not m.get("revision")]
        if newest > first_day and denies and all(m in denies or m.get("revision") for m in latest):
            return "contradicted", denies[-1]["id"], "the latest statements deny it"
        if deadline and deadline < as_of:
            return "overdue", None, f"deadline {deadline} passed"
        return "open", forward[-1]["id"], "pending" + (f" (deadline {deadline})" if deadline else "")


def _figures(m: dict) -> dict[str, float]:
    """{kind: largest value} of a member's figures (money by currency, counts and rates together)."""
    from .match import _json, _kind

    out: dict[str, float] = {}
    for q in _json(m.get("quantities")):
        if q.get("unit") and isinstance(q.get("value"), (int, float)):
            kind = _kind(q["unit"])[0]
            out[kind] = max(out.get(kind, 0.0), float(q["value"]))
    return out


def short_of(outcome: dict, promises: list[dict], share: float = 0.95) -> bool:
    """The outcome reports a figure below the one promised (progress, not the promise kept)."""
    got = _figures(outcome)
    for p in promises:
        for kind, want in _figures(p).items():
            if kind in got and got[kind] < share * want:
                return True
    return False


def history(members: list[dict], now: str) -> list[Change]:
    """Every status change up to ``now``: after each publication date, and the day after a
    deadline passes."""
    line = Timeline(ordered(members))
    days = sorted({d for d in line.days if d})
    checkpoints = set(days)
    for d in days:
        dl = line.deadline(bisect_right(line.days, d))
        if dl:
            after = (date.fromisoformat(dl) + timedelta(days=1)).isoformat()
            if after <= now:
                checkpoints.add(after)
    out: list[Change] = []
    for d in sorted(c for c in checkpoints if c <= now) or [now]:
        status, claim, why = line.state(d)
        if not out or out[-1].status != status:
            out.append(Change(d, status, claim, why))
    return out


def flags(members: list[dict]) -> list[dict]:
    """One speaker saying opposite things about the same proposition."""
    by_speaker: dict = {}
    for m in ordered(members):
        key = m.get("speaker_entity_id")
        if key:
            by_speaker.setdefault(key, []).append(m)
    out = []
    for key, ms in by_speaker.items():
        pols = {m.get("polarity") or "positive" for m in ms}
        if len(pols) > 1:
            out.append({"flag": "speaker_reversal", "speaker_entity_id": key,
                        "speaker": ms[0].get("speaker_name") or ms[0].get("speaker"),
                        "claim_ids": [m["id"] for m in ms]})
    return out
