"""Do two claims state the same proposition? Pure functions over stored claim rows.

A proposition (kb.nlp.propositions) is an event class with a folded polarity, its
participants by role (``s`` the agent, ``o`` the rest), its figures and its deadline.
Two claims are one proposition, whatever their polarity (a denial belongs to the thread
of what it denies), when:

* they share a participant entity (or two key nouns), and their agents do not differ; and
  beyond the event, two pieces of evidence tie them (each shared entity or key noun, an
  article's main actor in common for half, the same figures for two, the same deadline);
* their events are compatible (``kb.nlp.events.compatible``: "repay" and "pay"; a
  ``target`` goes with any event of the same figures), or, failing that, they share the
  same figures, or the same deadline and a key noun ("bundle the payments ... due on
  June 30" and "pay on June 30");
* their figures do not conflict (5,000 a week is not 2,500 a week; same unit, more than
  10% apart), and their objects are not disjoint unless the figures or the deadline agree;
* their deadlines agree, unless the figures do or one of them moves the date ("won't be
  hit until June").

``compare`` returns a ``Match`` with a score (shared participants, event, figures,
deadline) and the reasons, stored with the membership so that grouping is explainable.
"""
from __future__ import annotations

import json
import math
from typing import Any, NamedTuple

from kb.nlp.events import REASON, TARGET, compatible

TOLERANCE = 0.10       # figures within 10% of each other are the same figure (roundings, conversions)


class Prop(NamedTuple):
    """The parts of a claim that grouping compares (the derived sets computed once, in ``prop``)."""

    id: int
    event: str | None
    also: tuple[str, ...]
    subjects: frozenset[str]
    objects: frozenset[str]
    context: frozenset[str]
    quantities: tuple[tuple[str, float], ...]
    deadline: str | None
    revision: bool
    entities: frozenset[str] = frozenset()    # participant entities, agent or not
    nouns: frozenset[str] = frozenset()       # participant key nouns
    events: tuple[str, ...] = ()              # the event, then the others of its clause
    agents: frozenset[str] = frozenset()      # the agent's entities
    article: int | None = None                # the article it was said in
    statement: str | None = None              # the quoted words' key: the same quote in two articles
    realized: bool | None = None              # says the event happened or holds (not a promise, a plan)


class Match(NamedTuple):
    score: float
    reason: dict


def prop(row: dict[str, Any]) -> Prop:
    """A Prop from a claims row (participants and quantities as stored JSON)."""
    parts = _json(row.get("participants"))
    subj = frozenset(p["key"] for p in parts if p.get("role") == "s")
    obj = frozenset(p["key"] for p in parts if p.get("role") not in ("s", "c", "l"))
    ctx = frozenset(p["key"] for p in parts if p.get("role") in ("c", "l"))
    quants = tuple((q["unit"], float(q["value"])) for q in _json(row.get("quantities")) if q.get("unit"))
    also = tuple((row.get("event_also") or "").split())
    every = subj | obj
    event = row.get("event")
    return Prop(row["id"], event, also, subj, obj, ctx, quants, (row.get("deadline") or None),
                bool(row.get("revision")), frozenset(k for k in every if k.startswith("e")),
                frozenset(k for k in every if k.startswith("w:")), ((event,) if event else ()) + also,
                frozenset(k for k in subj if k.startswith("e")), row.get("article_id"), row.get("statement_key"),
                None if row.get("realized") is None else bool(row.get("realized")))


def _json(value: Any) -> list:
    if isinstance(value, list):
        return value
    try:
        out = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return out if isinstance(out, list) else []


def _kind(unit: str) -> tuple[str, str | None]:
    """(what is counted, per which period): "money:EUR" or "n" (counts and rates), and the period."""
    base, _, period = unit.partition("/")
    if base.startswith("money:"):
        return base, period or None
    if base.startswith("rate:"):
        return "n", base[5:]
    if base.endswith("percent"):
        return "percent", None
    return "n", None


def figures(a: Prop, b: Prop) -> str | None:
    """'same' when a figure of one is within 10% of one of the other (same currency, or both
    counts; periods equal or one unstated), 'conflict' when they have figures of a common kind
    and none agree, else None."""
    if not a.quantities or not b.quantities:
        return None
    common = {_kind(u)[0] for u, _ in a.quantities} & {_kind(u)[0] for u, _ in b.quantities}
    if not common:
        return None
    for ua, va in a.quantities:
        ka, pa = _kind(ua)
        for ub, vb in b.quantities:
            kb, pb = _kind(ub)
            if ka == kb and (pa == pb or not pa or not pb) and _close(va, vb, ka):
                return "same"
    return "conflict"


def _close(x: float, y: float, kind: str = "n") -> bool:
    """Within 10% (roundings, conversions); shares within half a point (52% is not 54%)."""
    if x == y:
        return True
    if kind == "percent":
        return abs(x - y) <= 0.5
    if x <= 0 or y <= 0:
        return False
    return abs(x - y) <= TOLERANCE * max(x, y)


GENERAL_USES = 500      # a verb this common in the sense-tagged corpus ("have", "make", "see") says little


def events_agree(a: Prop, b: Prop) -> bool:
    return any(compatible(x, y) for x in a.events for y in b.events)


def specific(name: str) -> bool:
    """An event specific enough to tie two claims with their participants (not "have", "make",
    "come", "see": WordNet's most used verbs)."""
    from kb.nlp.events import verb_info

    return verb_info(name).get("c", 0) < GENERAL_USES


NOT_GIVEN = "?"


def compare(a: Prop, b: Prop, fig: str | None = NOT_GIVEN) -> Match | None:
    """The match of two claims' propositions, or None when they are different ones (``fig``:
    ``figures(a, b)`` when the caller has it)."""
    if a.statement and a.statement == b.statement:   # the same quote reprinted: one statement
        same_date = "same" if a.deadline and a.deadline == b.deadline else None
        return Match(10.0, {"claim": b.id, "statement": "same quote", "entities": sorted(a.entities & b.entities),
                            "nouns": [], "event": a.event, "figures": None, "deadline": same_date, "score": 10.0})
    shared_e = a.entities & b.entities
    shared_c = (a.entities | a.context) & (b.entities | b.context) - shared_e
    shared_w = a.nouns & b.nouns
    if not shared_e and not shared_c and len(shared_w) < 2:
        if not (shared_w and a.deadline and a.deadline == b.deadline):
            return None
        fig = figures(a, b) if fig == NOT_GIVEN else fig
        if fig != "same":
            return None                              # (one noun, the same figure by the same date: one target)
    fig = figures(a, b) if fig == NOT_GIVEN else fig
    if fig == "conflict":
        return None
    date = None if not (a.deadline and b.deadline) else "same" if a.deadline == b.deadline else "differ"
    agents_a, agents_b = a.agents, b.agents
    if agents_a and agents_b and not (agents_a & b.entities) and not (agents_b & a.entities) \
            and not (fig == "same" or date == "same") or agents_a and agents_b \
            and not (agents_a & (b.entities | b.context)) and not (agents_b & (a.entities | a.context)):
        return None                                  # different agents (unless a figure or a date ties them)
    event = events_agree(a, b) or (TARGET in a.events + b.events and fig == "same")
    if event and not (fig == "same" or date == "same") and not any(
            compatible(x, y) and specific(x) and specific(y) for x in a.events for y in b.events):
        event = False                                # only a very general verb in common: no event evidence
    anchored = bool(shared_e) or len(shared_w) >= 2
    if not event and not (fig == "same" and (anchored or shared_c)) and not (
            date == "same" and anchored and shared_w and all(specific(x) for x in a.events[:1] + b.events[:1])):
        return None                                  # (a light verb, "will have no flexibility on the payment", is no tie)
    if not shared_e and not (event and (fig == "same" or date == "same" or shared_w)) and not (fig == "same" and shared_w) \
            and not (date == "same" and len(shared_w) >= 2):
        return None                                  # only the article's actors in common: need more
    beyond_agents = shared_e - (a.subjects & b.subjects)
    if not (beyond_agents or shared_w or fig == "same" or date == "same"):
        return None                                  # the same actor doing the same kind of thing: not enough
    evidence = len(shared_e) + min(len(shared_w), 2) + 0.5 * len(shared_c) + (2 if fig == "same" else 0) \
        + (1.5 if date == "same" and event else 1 if date == "same" else 0)
    if evidence < 2:
        return None                                  # one name and a kind of event in common: not yet one proposition
    # one article tells many things about its actors: more is needed (and what happened and what is
    # promised, "imposed sanctions" and "pledged to impose further sanctions", are two things there;
    # an explanation is neither)
    if a.article is not None and a.article == b.article and not (fig == "same" or date == "same") \
            and (len(shared_w) < 2 if not event or a.realized != b.realized and a.event != REASON else not shared_w):
        return None
    if a.objects and b.objects and not (a.objects & b.objects) and not (a.objects & b.subjects or b.objects & a.subjects) \
            and fig != "same" and date != "same":
        return None                                  # about different things ("not paying an architect", "not paying taxes")
    if date == "differ" and fig != "same" and not (a.revision or b.revision):
        return None                                  # another date, no figure to tie them
    score = 2.0 * len(shared_e) + 1.0 * len(shared_c) + 0.5 * len(shared_w) + (2.0 if event else 0.0) \
        + (2.0 if fig == "same" else 0.0) + (1.0 if date == "same" else 0.0)
    reason = {"claim": b.id, "entities": sorted(shared_e | shared_c), "nouns": sorted(k[2:] for k in shared_w),
              "event": next((x for x in a.events for y in b.events if compatible(x, y)), None),
              "figures": fig, "deadline": date, "score": round(score, 2)}
    return Match(score, reason)


def conflict(a: Prop, b: Prop, fig: str | None = NOT_GIVEN) -> bool:
    """The two cannot be one proposition, whatever else they share: their figures disagree, their
    deadlines differ with no figure to tie them and neither moves the date, or their agents differ."""
    fig = figures(a, b) if fig == NOT_GIVEN else fig
    if fig == "conflict":
        return True
    if a.deadline and b.deadline and a.deadline != b.deadline and fig != "same" and not (a.revision or b.revision):
        return True
    agents_a, agents_b = a.agents, b.agents
    return bool(agents_a and agents_b and not (agents_a & (b.entities | b.context))
                and not (agents_b & (a.entities | a.context)))


def bucket(value: float) -> int:
    """A coarse log scale for figures (about 26% per step): index keys for candidate lookup."""
    return int(round(math.log10(value) * 10)) if value > 0 else 0


def anchors(p: Prop) -> list[str]:
    """The participants a claim is indexed by: its entities (the agent's and the objects'; three at
    most) and the article's main actors it leaves implicit (two), else its key nouns."""
    return (sorted(p.entities)[:3] + sorted(p.context - p.entities)[:2]) or sorted(p.nouns)[:3]


def _senses(p: Prop) -> set[str]:
    """The event's first two frequent senses and their direct hypernyms (others of its clause:
    their first sense), and the event names themselves."""
    from kb.nlp.events import keys as event_keys

    out: set[str] = set(p.events)
    for k, name in enumerate(p.events):
        senses, parents = event_keys(name)
        first = sorted(senses)[:2] if k == 0 else sorted(senses)[:1]
        out.update(first)
        if k == 0:
            out.update(sorted(parents)[:2])
    return out


def index_keys(p: Prop) -> set[str]:
    """Keys under which a claim is found as a candidate: event senses, figures and deadline, each
    paired with a participant."""
    out: set[str] = set()
    senses = _senses(p)
    for x in anchors(p):
        out.update(f"v:{s}|{x}" for s in senses)
        out.update(f"q:{u}:{bucket(v)}|{x}" for u, v in p.quantities)
        if p.deadline:
            out.add(f"d:{p.deadline}|{x}")
    if p.deadline:                 # a figure by a date is found by itself ("30,000 passengers a day by October")
        out.update(f"qd:{u}:{bucket(v)}|{p.deadline}" for u, v in p.quantities)
    return out


def query_keys(p: Prop) -> set[str]:
    """The keys to look candidates up by (figures with their neighbouring buckets, every
    participant including the article's actors)."""
    out = index_keys(p)
    senses = _senses(p)
    for x in sorted(p.entities | p.context)[:6]:
        out.update(f"v:{s}|{x}" for s in senses)
        for u, v in p.quantities:
            out.update(f"q:{u}:{bucket(v) + d}|{x}" for d in (-1, 0, 1))
        if p.deadline:
            out.add(f"d:{p.deadline}|{x}")
    if p.deadline:
        for u, v in p.quantities:
            out.update(f"qd:{u}:{bucket(v) + d}|{p.deadline}" for d in (-1, 1))
    return out
