"""The event a claim is about, whatever its wording, and its folded polarity.

Reads ``kb/data/wordnet_events.json`` (built from WordNet 3.0 by ``kb/nlp/events_build.py``)
and the parse of a content's predicate:

* speech verbs lead to what was said, control and raising verbs to their infinitive
  ("expects to make"), an implicative with a negative entailment flips it ("failed to
  repay", "refused to lift");
* an achievement verb stands for its goal ("reach its goal of producing 5,000 cars":
  produce; "hit its target of 5,000 cars": a ``target``, matched by its figures); a light
  verb for its deverbal object ("make a payment": pay); a copula for its state ("will be
  in arrears");
* a phase verb starts or stops what its object (or intransitive subject) is or does:
  ``operate``, positive or negative ("blocked Line", "suspended the services": negative;
  "restored the services", "flights will resume", "will launch the phone": positive), and
  stopping a stopping noun starts it again ("lift the restrictions", "the blockage will
  not last": positive);
* negation and antonyms fold into the sign ("missed its payment": pay, negative;
  "default": pay, negative); "won't ... until June" is a new date, not a denial.

``event_of(pred)`` returns an ``Event`` (a pure function of the parse); ``compatible(a, b)``
says whether two event names can be one event (same synset, or one's synset the other's
direct hypernym: "repay" and "pay", not "donate" and "pay").
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from spacy.tokens import Token

from .claims.candidates.lexicon import verb_class
from .spans import lemma

NEG = {"not", "n't", "n’t", "never", "no"}
OPERATE = "operate"          # started or stopped: a service, a thing, an activity
TARGET = "target"            # a goal with no event of its own: matched by its figures
REASON = "cause_of"          # why something happens: "the curbs were linked to concerns", "blamed the delay on"
VERBS = ("VERB", "AUX")
NOUNS = ("NOUN", "PROPN")
GOAL_PREPS = ("of", "for")   # "its goal of producing", "the deadline for a payment"


class Event(NamedTuple):
    name: str                # a verb lemma ("pay"), OPERATE, TARGET, or "n:<noun>" for a state noun
    sign: int                # +1 / -1: negation, antonyms, stopping and failing folded together
    token: int               # index of the token that names it
    top: int                 # index of the verb whose clause holds the proposition (below speech verbs)
    revision: bool           # "won't ... until", "delayed to": a new date for the same event
    anchor: int | None       # the noun the event is about ("the restrictions on Line", "its target of ...")
    also: str | None = None  # the anchor's own event ("delayed a payment": operate, also pay)
    prospective: bool = False  # said of what will come, though not in the future tense ("the ban is temporary")


def in_words(name: str | None) -> str:
    """An event class as a reader sees it: "reason" for REASON, "arrear" for the noun event
    "n:arrear", "knock out" for WordNet's "knock_out"."""
    return "reason" if name == REASON else (name or "").removeprefix("n:").replace("_", " ")


COMMON = 500    # SemCor count of a verb's senses from which it says little alone: be, have, make, take, get


def says_little(name: str | None) -> bool:
    """An event name that does not tell a reader what happens: a class (``operate``, ``target``,
    the reason), a verb the lexicon does not know ("would"), or one of the commonest verbs."""
    if not name or name in (OPERATE, TARGET, REASON):
        return True
    return not name.startswith("n:") and verb_info(name).get("c", COMMON) >= COMMON


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """kb/data/wordnet_events.json."""
    return json.loads(resources.files("kb").joinpath("data/wordnet_events.json").read_text(encoding="utf-8"))


def verb_info(lem: str) -> dict:
    return lexicon()["verbs"].get(lem, {})


def noun_info(lem: str) -> dict:
    return lexicon()["nouns"].get(lem, {})


@lru_cache(maxsize=20_000)
def keys(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(synsets, their direct hypernyms) of an event name; names without synsets stand for themselves."""
    senses = verb_info(name).get("s")
    if not senses:
        return frozenset([name]), frozenset()
    parents = lexicon()["parents"]
    return frozenset(senses), frozenset(h for s in senses for h in parents.get(s, ()))


def compatible(a: str | None, b: str | None) -> bool:
    """Two event names can be one event: equal, sharing a frequent sense, or parent and child."""
    if not a or not b or TARGET in (a, b):
        return False
    if a == b:
        return True
    sa, pa = keys(a)
    sb, pb = keys(b)
    return bool(sa & sb or sa & pb or pa & sb)


def negated(t: Token) -> bool:
    """The word is negated: "not", "never", "no", "no longer"."""
    return any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in NEG)
               or c.dep_ == "advmod" and c.lower_ in ("longer", "more") and any(x.lower_ == "no" for x in c.children)
               for c in t.children)


def verb_lemma(t: Token) -> str:
    """The verb's lemma, with its particle when WordNet has the phrasal verb ("bring_back", "shut_down")."""
    lem = lemma(t)
    for c in t.children:
        if c.dep_ in ("prt", "advmod") and c.i > t.i and f"{lem}_{c.lower_}" in lexicon()["verbs"]:
            return f"{lem}_{c.lower_}"
    return lem


def _until(t: Token) -> bool:
    """The verb carries an "until ..." phrase or clause ("won't be hit until the end of June")."""
    return any(c.lower_ in ("until", "till") and c.dep_ in ("prep", "mark", "advmod") for c in t.children) or \
        any(c.dep_ == "advcl" and any(m.lower_ in ("until", "till") for m in c.children) for c in t.children)


def _direct_object(t: Token) -> Token | None:
    """The direct object (or the subject of a passive), a figure standing for its noun."""
    for dep in ("dobj", "nsubjpass"):
        o = next((c for c in t.children if c.dep_ == dep), None)
        if o is not None and o.pos_ == "NUM":
            o = next((c for c in o.children if c.dep_ in ("appos", "compound", "nmod") and c.pos_ == "NOUN"), o)
        if o is not None:
            return o
    return None


def _object(t: Token) -> Token | None:
    """What a verb acts on: its direct object, or the subject of a passive or intransitive use
    (a figure stands for the noun it counts: "missed its 1.5 billion payment")."""
    o = _direct_object(t)
    return o if o is not None else next((c for c in t.children if c.dep_ == "nsubj"), None)


def _complement(n: Token) -> Token | None:
    """The event inside a noun: the deverbal compound of a goal or a measure ("production
    target", "production rate"), an "of"/"for" complement that is a gerund or a deverbal noun
    ("goal of producing", "deadline for a payment"), a to-infinitive ("pledge to restore")."""
    info = noun_info(lemma(n))
    for c in n.children:
        if c.dep_ == "compound" and c.pos_ == "NOUN" and noun_info(lemma(c)).get("v") and (info.get("g") or info.get("m")):
            return c
    for c in n.children:            # "their pledge to restore the services"
        if c.dep_ in ("acl", "relcl") and c.pos_ in VERBS and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            return c
    for p in n.children:
        if p.dep_ == "prep" and p.lower_ in GOAL_PREPS:
            for c in p.children:
                if c.dep_ == "pcomp" and c.pos_ in VERBS:
                    return c
                if c.dep_ == "pobj" and c.pos_ == "NOUN" and (noun_info(lemma(c)).get("v") or c.tag_ == "VBG"):
                    return c
    return None


def _antonym(lem: str) -> str | None:
    """The commoner antonym of a verb, when it names the pair ("default" -> "pay")."""
    info = verb_info(lem)
    ants = info.get("n", ())
    if len(ants) != 1:                    # "miss" has three antonyms: no one opposite event
        return None
    if verb_info(ants[0]).get("c", 0) > info.get("c", 0):
        return ants[0]
    return None


def event_of(pred: Token) -> Event | None:
    """The event of a content whose main predicate is ``pred`` (None when it names none)."""
    t, sign, top, revision, anchor = pred, 1, pred, False, None
    for _ in range(8):
        lem = verb_lemma(t) if t.pos_ in VERBS else lemma(t)
        if t.pos_ in VERBS:
            cls = verb_class(lem)
            comp = next((c for c in t.children if c.dep_ == "ccomp" and c.pos_ in VERBS), None)
            if cls is not None and comp is not None:      # what was said, expected, found: its own event
                if cls != "speech" and negated(t):        # "no longer expected Beijing to lift": a denial
                    sign = -sign
                t = top = comp
                continue
            if negated(t):
                if _until(t):
                    revision = True      # "won't be achieved until 2018": a new date
                else:
                    sign = -sign
            info = verb_info(lem)
            if info.get("k") or explains(t):   # "were linked to", "stems from", "the cause ... is", "due to"
                return Event(REASON, sign, t.i, top.i, revision, None)
            if info.get("l") and comp is not None and not _direct_object(t):   # "this makes Greece fail to repay"
                t = comp
                continue
            xcomp = next((c for c in t.children if c.dep_ == "xcomp" and c.pos_ in VERBS), None)
            if xcomp is not None and info.get("p") and xcomp.tag_ == "VBG":    # "stopped working", "resumed flying"
                return Event(OPERATE, sign * info["p"], t.i, top.i, revision, xcomp.i)
            if xcomp is not None and lem != "be":
                sign *= info.get("i", 1)
                if info.get("r") or info.get("p") == -1 and _until(t):
                    revision = True
                t = xcomp
                continue
            if lem in ("be", "remain", "become", "stay"):
                last = _lasting_state(t)
                if last is not None:             # "the measures are temporary": the block will end
                    sign *= last[0]
                    return Event(OPERATE, sign, t.i, top.i, revision, last[1], prospective=True)
                over = _over(t)
                if over is not None:             # "the strike would be over": it stops, work resumes
                    return Event(OPERATE, sign, t.i, top.i, revision, over)
                avail = _available(t)
                if avail is not None:            # "were still not available", "remains inaccessible"
                    return Event(OPERATE, sign * avail[0], t.i, top.i, revision, avail[1])
            if lem == "be" and (_to_normal(t) or _back(t)):    # "we will be back to a normal schedule",
                return Event(OPERATE, sign, t.i, top.i, revision, None)   # "the services would be back"
            attitude = next((x for a in t.children if a.dep_ == "acomp" and a.pos_ == "ADJ" for x in a.children
                             if x.dep_ == "ccomp" and x.pos_ in VERBS), None) if lem == "be" else None
            if attitude is not None:             # "was hopeful the services would be back": what is hoped
                t = top = attitude
                continue
            if lem == "be":
                nxt = _state(t)
                if nxt is None:
                    return None
                t = nxt
                continue
            if _to_normal(t):                    # "services would return to normal", "bring them back to normal"
                return Event(OPERATE, sign, t.i, top.i, revision, None)
            obj, direct = _object(t), _direct_object(t)
            state = _in_state(t) if direct is None or direct.pos_ == "PRON" or direct.dep_ == "nsubjpass" else None
            if state is not None:                # "will be ruled in arrears", "fell into recession"
                t = state
                continue
            if direct is not None and direct.pos_ == "NOUN" and cls is not None:   # "repeated their pledge to restore"
                inner = _complement(direct)
                if inner is not None and inner.pos_ in VERBS:
                    anchor, t = direct, inner
                    continue
            if info.get("a") and direct is not None and direct.pos_ in NOUNS:     # reach / hit / meet a goal
                obj = direct
                inner = _complement(obj) or (obj if noun_info(lemma(obj)).get("v") else None)
                if inner is None:
                    return Event(TARGET, sign, obj.i, top.i, revision, obj.i)
                anchor, t = obj, inner
                continue
            if info.get("i") and direct is not None and direct.pos_ == "NOUN":    # miss a payment
                inner = _complement(direct) or (direct if noun_info(lemma(direct)).get("v") else None)
                if inner is not None:
                    sign, anchor, t = -sign, direct, inner
                    continue
            phase = info.get("p") or (-1 if info.get("e") else 0)
            if phase:
                stopping = obj is not None and obj.pos_ == "NOUN" and noun_info(lemma(obj)).get("x")
                if info.get("r"):
                    revision = True
                if stopping:                                          # lift / end the ban
                    return Event(OPERATE, sign * phase * -1, t.i, top.i, revision, obj.i)
                if info.get("p"):                                     # block Line, resume flights
                    also = noun_info(lemma(obj)).get("v", [None])[0] if obj is not None and obj.pos_ == "NOUN" else None
                    return Event(OPERATE, sign * phase, t.i, top.i, revision, obj.i if obj is not None else None,
                                 also)
            if info.get("l") and direct is not None and direct.pos_ == "NOUN":
                inner = _complement(direct) or _complement(t) or (direct if noun_info(lemma(direct)).get("v") else None)
                if inner is not None:
                    anchor, t = direct, inner
                    continue
            if cls == "speech":                  # a content left at its verb of saying names no event of its own
                return None
            ant = _antonym(lem) if not info.get("p") else None
            if ant is not None:
                return Event(ant, -sign, t.i, top.i, revision, anchor.i if anchor is not None else None)
            return Event(lem, sign, t.i, top.i, revision, anchor.i if anchor is not None else None)
        if t.pos_ in NOUNS:
            if any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
                sign = -sign
            n = noun_info(lem)
            if n.get("x"):
                return Event(OPERATE, -sign, t.i, top.i, revision, t.i)
            if n.get("g") or t.pos_ == "PROPN":
                inner = _complement(t)
                if inner is None:
                    return Event(TARGET, sign, t.i, top.i, revision, t.i) if n.get("g") else None
                anchor, t = t, inner
                continue
            if n.get("v"):
                verb = n["v"][0]
                ant = _antonym(verb)
                name, s = (ant, -sign) if ant else (verb, sign)
                return Event(name, s, t.i, top.i, revision, (anchor or t).i)
            inner = _complement(t)
            if inner is not None:
                anchor, t = t, inner
                continue
            if not (n.get("st") or noun_info(t.lower_).get("st")):
                return None                      # a thing, not an event or a state: no proposition to follow
            return Event(f"n:{lem}", sign, t.i, top.i, revision, (anchor or t).i)
        return None
    return None


def _in_state(v: Token) -> Token | None:
    """A state noun the verb puts its subject in ("ruled in arrears", "plunged into recession",
    "considered as being in default")."""
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "as":          # "considered as being in default"
            inner = next((p for p in c.children if p.dep_ == "pcomp" and p.lemma_ == "be"), None)
            if inner is not None:
                found = _in_state(inner)
                if found is not None:
                    return found
        if c.dep_ == "prep" and c.lower_ in ("in", "into"):
            pobj = next((p for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"), None)
            if pobj is not None and (noun_info(lemma(pobj)).get("st") or noun_info(pobj.lower_).get("st")):
                return pobj
    return None


NORMAL = {"normal", "normality", "normalcy"}      # "back to normal": working again


def explains(v: Token) -> bool:
    """The verb gives a reason: "cited X as the reason for", or a copula whose subject or attribute is
    a cause noun ("the reason for the block is ...", "the cause of the bottleneck has been confirmed
    to be at ..."), or "due to", or where a stop lies ("the constraint has been in the module
    line"); a stop with its purpose ("suspended ... in order to prevent"); what
    "took longer than expected"."""
    if any(c.dep_ == "prep" and c.lower_ == "as" and any(p.pos_ == "NOUN" and noun_info(lemma(p)).get("k")
                                                          for p in c.children) for c in v.children):
        return True                     # "cited the spread of propaganda as the reason for the block"
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if _purpose(v) and (verb_info(verb_lemma(v)).get("p") == -1
                        or subj is not None and noun_info(lemma(subj)).get("x")):
        return True                     # "suspended the services in order to ...", "the block is needed to stop ..."
    if lemma(v) == "take" and any(c.lower_ == "longer" for c in v.children):
        return True                     # "software fixes had taken longer than expected": why it is late
    if lemma(v) != "be":
        return False
    if subj is None and v.dep_ == "xcomp":
        subj = next((c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    nouns = [c for c in v.children if c.dep_ == "attr"] + ([subj] if subj is not None else [])
    if any(n.pos_ == "NOUN" and noun_info(lemma(n)).get("k") for n in nouns):
        return True
    if subj is not None and noun_info(lemma(subj)).get("x") and any(
            c.dep_ == "prep" and c.lower_ in ("in", "at") and any(
                p.dep_ == "pobj" and (p.pos_ == "PROPN" or any(d.dep_ in ("det", "poss") for d in p.children))
                for p in c.children) for c in v.children):
        return True                     # "the constraint has been in the battery module line" (not "in place")
    return any(c.dep_ in ("acomp", "prep") and c.lower_ == "due" and any(p.lower_ == "to" for p in c.children)
               for c in v.children)


def _purpose(v: Token) -> bool:
    """The verb carries a purpose: "in order to ...", "so as to ...", or an infinitive clause ("is needed to stop")."""
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "so") and any(
                p.lower_ in ("order", "as") and any(a.dep_ == "acl" for a in p.children) for p in c.children):
            return True
        if c.dep_ == "advcl" and c.pos_ in VERBS and c.i > v.i and any(a.dep_ == "aux" and a.lower_ == "to"
                                                                       for a in c.children):
            return True
    return False


NORMAL_STATE = {"normal", "full", "regular", "usual"}   # "back to a normal schedule", "back to full strength"


def _to_normal(v: Token) -> bool:
    """The verb brings its subject or object back to normal ("return to normal", "bring ... back to
    normal", "be back to a normal schedule", "back to full strength")."""
    heads = [v] + [c for c in v.children if c.dep_ == "advmod" and c.lower_ == "back"]
    return any(c.dep_ == "prep" and c.lower_ == "to" and any(
                   p.lower_ in NORMAL or h is not v and p.dep_ == "pobj"
                   and any(a.dep_ == "amod" and a.lower_ in NORMAL_STATE for a in p.children)
                   for p in c.children)
               for h in heads for c in h.children)


def _back(be: Token) -> bool:
    """ "The two services would be back (within weeks)": a copula with "back" and no place to be
    back in ("was back in London" is where someone is): come back, resume."""
    return any(c.dep_ == "advmod" and c.lower_ == "back" and not any(p.dep_ == "prep" for p in c.children)
               for c in be.children) and not any(c.dep_ == "prep" and c.lower_ in ("in", "at", "on", "from", "home")
                                                 for c in be.children)


def _over(be: Token) -> int | None:
    """The subject's index when a stopping noun is said to be over ("the strike would be over")."""
    if not any(c.dep_ in ("advmod", "acomp", "prt") and c.lower_ == "over" for c in be.children):
        return None
    subj = next((c for c in be.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj.i if subj is not None and noun_info(lemma(subj)).get("x") else None


def _available(be: Token) -> tuple[int, int | None] | None:
    """(sign, subject index) when the subject is said to be (un)available or (in)accessible."""
    adj = next((c for c in be.children if c.dep_ == "acomp" and c.lower_ in lexicon()["available"]), None)
    if adj is None:
        return None
    subj = next((c for c in be.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return lexicon()["available"][adj.lower_] * (-1 if negated(adj) else 1), subj.i if subj is not None else None


def _lasting_state(be: Token) -> tuple[int, int] | None:
    """(sign, subject index) when a stopping noun is said to be temporary or permanent: a
    temporary ban will end (+1: it will operate again), a permanent one will not (-1)."""
    adj = next((c for c in be.children if c.dep_ == "acomp" and c.lower_ in lexicon()["lasting"]), None)
    subj = next((c for c in be.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if adj is None or subj is None:
        return None
    if not noun_info(lemma(subj)).get("x"):
        return None
    return -lexicon()["lasting"][adj.lower_], subj.i


def _state(be: Token) -> Token | None:
    """What a copula says its subject is: "in arrears" (the noun), "due to pay" (the verb), the
    attribute; "on the road to hitting its target", "on track to meet", "on course to pay": the event it heads for."""
    for c in be.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "into", "on"):
            pobj = next((p for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN"), None)
            if pobj is not None:
                ahead = next((v for p in pobj.children if p.dep_ == "prep" and p.lower_ == "to"
                              for v in p.children if v.dep_ in ("pcomp", "pobj") and v.pos_ in VERBS), None) \
                    or next((v for v in pobj.children if v.dep_ == "acl" and v.pos_ in VERBS     # "on course to pay"
                             and any(a.dep_ == "aux" and a.lower_ == "to" for a in v.children)), None)
                return ahead if ahead is not None else pobj
    for c in be.children:
        if c.dep_ == "acomp":
            x = next((g for g in c.children if g.dep_ == "xcomp" and g.pos_ in VERBS), None)
            if x is not None:
                return x                # "is due to pay", "is likely to meet"
    x = next((c for c in be.children if c.dep_ == "xcomp" and c.pos_ in VERBS), None)
    if x is not None:
        return x                        # "was still on course to pay": where the course leads
    return next((c for c in be.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
