"""Time expressions of claims and the deadlines they set.

Finding: spaCy's own DATE and TIME entities (kept by ``kb_entities`` in
``doc.spans["kb_dates"]``) plus a few time adverbs the model does not tag ("soon",
"shortly", "immediately", "eventually"). ``claim_time`` keeps the expression that belongs to
the content's own clause: its predicate, arguments and adverbials, conjoined and
complement verbs, and the relative clause of an object ("a payment which is now due on June
30"); not a condition ("if it fails to pay at the end of the month"), an adverbial clause
("since ...") or the subject's relative clause. ``relation`` comes from the preposition and
negation ("won't be hit until ..." is not_until), ``tense`` from the verb it modifies.

Resolving (``kb.nlp.timex_resolve``, re-exported here): ``resolve(expr, ref, tense)`` is the
interval the expression names against the article date, ``deadline`` the end of it, or None
for a vague, past or open-ended ("since", "after") expression.

    claim_time(doc, (start, end), pred) -> TimeExpr(start_char, end_char, text, relation, tense) | None
    resolve(expr, ref, tense=None) -> Interval(start, end, granularity) | None
    deadline(expr, ref, tense=None) -> "YYYY-MM-DD" | None
"""
from __future__ import annotations

import calendar
import re
from datetime import timedelta
from typing import NamedTuple

import numpy
from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from .claims.candidates.lexicon import verb_class
from .entities import DATES_KEY
from .timex_resolve import (PREP_RELATION, SOME_DAY, TIME_WORDS, UNITS, WEEKDAYS, Interval,
                            core_words, deadline, read, relation_of, resolve, words_of)

__all__ = ["TimeExpr", "Interval", "claim_time", "resolve", "deadline", "iso_value", "relation_of", "tense"]


class TimeExpr(NamedTuple):
    start_char: int
    end_char: int
    text: str                   # with its preposition: "by the end of June"
    relation: str | None        # by until not_until on in within before after since at
    tense: str | None           # past present future of the clause it modifies


# adverbs the model does not tag as DATE (measured on the dev corpora); "recently", "earlier"
# are found so that a claim about the past shows its time, and set no deadline
TIME_ADVERBS = {"soon", "shortly", "immediately", "eventually", "imminently", "later", "recently", "earlier"}
VAGUE_PHRASES = [("in", "the", "near", "future"), ("in", "the", "future"), ("in", "due", "course"),
                 ("any", "day", "now"), ("before", "long"), ("at", "some", "point")]

FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo", "would", "'d"}
MODAL_AUX = {"may", "might", "could", "can", "ca", "should", "must", "ought", "need"}
AHEAD_WORDS = {"due", "set", "scheduled", "slated", "expected", "poised", "planned", "supposed", "likely",
               "going", "about", "bound"}
NEG = {"not", "n't", "n’t", "never"}
RATE_WORDS = {"per", "each", "every", "a", "an"}        # "5,000 a week", "per day": a rate, not a time
AHEAD_CLASSES = {"future", "intent", "demand", "hedge", "speech"}   # cue classes whose to-infinitive looks ahead


# ----------------------------------------------------------------------------- finding
def candidates(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Token spans [a, b) of time expressions inside [start, end): the model's DATE/TIME
    entities (without a leading number that is not part of the date: "10,000 next year")
    and the time adverbs and phrases it misses."""
    out = []
    for a, b in doc_times(doc):
        if start <= a and b <= end:
            out.append((a, b))
        elif a < end and start < b:                          # cut by the content's edge
            a, b = max(a, start), min(b, end)
            if _is_time_words(doc[a:b].text):
                out.append((a, b))
    return out


_LAST: list = [None, []]        # the doc last read and its time expressions (one doc at a time)


def doc_times(doc: Doc) -> list[tuple[int, int]]:
    """All time expressions of a doc, found once per doc (claim_time runs once per claim)."""
    if _LAST[0] is doc:
        return _LAST[1]
    out = []
    for span in doc.spans[DATES_KEY] if DATES_KEY in doc.spans else []:
        a, b = span.start, span.end
        while b - a > 1 and read(core_words(words_of(doc[a:b].text))) is None \
                and read(core_words(words_of(doc[a + 1:b].text))) is not None:
            a += 1                                          # "10,000 next year", "four June"
        if a > 0 and doc[a - 1].lower_ in ("every", "each", "per"):
            continue                                        # "every year": a rate
        if _is_time_words(doc[a:b].text) and not _classifier(doc[a:b]):
            out.append((a, b))
    covered = {i for a, b in out for i in range(a, b)}
    strings = doc.vocab.strings
    keys = [strings[w] for w in TIME_ADVERBS] + [strings[p[0]] for p in VAGUE_PHRASES]
    for i in numpy.nonzero(numpy.isin(doc.to_array(LOWER), keys))[0].tolist():
        t = doc[i]
        w = t.lower_
        if w in TIME_ADVERBS and i not in covered:
            if t.pos_ == "ADV" and t.dep_ == "advmod" and t.head.pos_ in ("VERB", "AUX", "ADJ") and not (
                    w in ("later", "earlier") and any(c.dep_ in ("prep", "npadvmod") or c.lower_ == "than"
                                                      for c in t.children)):
                out.append((i, i + 1))
        for phrase in VAGUE_PHRASES:
            if w == phrase[0] and tuple(x.lower_ for x in doc[i:i + len(phrase)]) == phrase and i + 1 not in covered:
                out.append((i + (1 if w in ("in", "at") else 0), i + len(phrase)))
    _LAST[0], _LAST[1] = doc, sorted(set(out))
    return _LAST[1]


def _classifier(span) -> bool:
    """A year or clock time naming a kind of thing ("the 2017 Ford Fusion", "the 1994 crime
    bill", "a 3 a.m. call"), not when something happens."""
    root = span.root
    if root.dep_ not in ("compound", "nmod", "amod", "nummod") or root.head.pos_ not in ("NOUN", "PROPN"):
        return False
    words = words_of(span.text) or []
    return all(re.fullmatch(r"(1[5-9]|20)\d\d", w) for w in words) or "clock" in words


def _is_time_words(text: str) -> bool:
    """A phrase with a time word that is not a rate ("a week", "per day") or an age."""
    words = words_of(text)
    if not words or "old" in words and "year" in words or "years" in words and "old" in words:
        return False
    for k, w in enumerate(words):
        if w in UNITS and k > 0 and words[k - 1] in RATE_WORDS and not (k > 1 and words[k - 2] in ("within", "in")):
            return False
    return any(w in TIME_WORDS or re.fullmatch(r"(1[5-9]|20)\d\d|(1[5-9]|20)\d0s|q[1-4]|h[12]", w)
               for w in words) or read(words) is not None


def claim_time(doc: Doc, content: tuple[int, int], pred: Token) -> TimeExpr | None:
    """The time expression of the content's own clause (token span [start, end), pred its
    main predicate), or None."""
    try:
        start, end = max(0, content[0]), min(len(doc), content[1])
    except (TypeError, IndexError):
        return None
    if start >= end or pred is None:
        return None
    if not start <= pred.i < end:
        pred = doc[start:end].root
    best, best_key = None, None
    for a, b in candidates(doc, start, end):
        span = doc[a:b]
        rank = clause_rank(span.root, pred, (start, end))
        if rank is None:
            continue
        expr = _expr(doc, a, b, span.root, pred, (start, end))
        parsed = read(core_words(words_of(expr.text)), SOME_DAY)
        if parsed is not None and len(parsed) > 3 and parsed[3] == "span" and expr.text.lower().startswith("by "):
            continue                                 # "delayed by three months": an amount, not a time
        vague = parsed is None or parsed[1] in ("vague", "duration")
        key = (rank, vague, abs(span.root.i - pred.i), a)
        if best_key is None or key < best_key:
            best, best_key = expr, key
    return best


def clause_rank(tok: Token, pred: Token, content: tuple[int, int] | None = None) -> int | None:
    """How closely tok belongs to pred's clause: 0 its own words, 1 a complement clause, 2 the
    relative clause of an object or a purpose clause, 3 a noun's modifier, another clause or
    sentence of the same content, or a phrase of the content the parser hung outside it; None
    for a clause of another kind (condition, adverbial clause, the subject's relative clause)
    or a time of the frame above pred ("have informed the fund today that they plan ...")."""
    lo, hi = content if content is not None else (0, len(tok.doc))
    line, same, t = {}, True, pred          # pred's heads: still its own clause (xcomp, conj)?
    while t.head.i != t.i and len(line) < 30:
        same = same and t.dep_ in ("xcomp", "conj")
        t = t.head
        line[t.i] = same
    t, rank, steps = tok, 0, 0
    while t.i != pred.i:
        h = t.head
        if steps > 15:
            return None
        if h.i == t.i:
            return max(rank, 3)                      # a later sentence of the same content
        dep = t.dep_
        if dep == "conj" and t.tag_ == "VB" and h.tag_ in ("VBD", "VBZ", "VBP") \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            while h.i != pred.i and h.i not in line and h.head.i != h.i and not _base_verb(h):
                h = h.head          # "will delay a payment that was due ... and pay": pay goes with delay
            if h.i in line:
                return None
            t, steps = h, steps + 1
            continue
        if h.i in line:                              # joins the line above pred
            if dep == "advcl":
                return None
            if line[h.i] and lo <= h.i < hi:         # "is expected to be ...", "plans to ...": one clause
                return max(rank, 1)
            if not lo <= h.i < hi or dep in ("ccomp", "parataxis", "conj"):
                return max(rank, 3)
            return None                              # the frame's own time: "informed ... today that"
        if dep == "advcl":
            if any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in t.children) or t.tag_ != "VB":
                return None
            rank = max(rank, 2)
        elif dep in ("relcl", "acl"):
            if _subject_side(h, pred):
                return None
            rank = max(rank, 2)
        elif dep in ("ccomp", "parataxis", "csubj"):
            rank = max(rank, 1)
        elif dep in ("compound", "poss", "nmod", "amod", "nummod") and h.pos_ in ("NOUN", "PROPN"):
            rank = max(rank, 3)     # "June payments", "Friday's repayment": the noun's, as a last resort
        t, steps = h, steps + 1
    return rank


def _base_verb(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") and (t.tag_ == "VB" or any(
        c.dep_ == "aux" and c.lower_ in FUTURE_AUX | MODAL_AUX for c in t.children))


def _subject_side(noun: Token, pred: Token) -> bool:
    """The noun stands in the subject of pred's clause (its relative clause is not the claim's)."""
    t = noun
    while t.i != pred.i and t.head.i != t.i:
        if t.dep_ in ("nsubj", "nsubjpass", "csubj") and t.head.i == pred.i:
            return True
        t = t.head
    return False


def _expr(doc: Doc, a: int, b: int, root: Token, pred: Token, content: tuple[int, int]) -> TimeExpr:
    """The expression with its preposition (and "late", "no later than"), relation, and the
    tense of the verb it hangs on (pred's when the parser hung a clause's time on the cue)."""
    prep = None
    if root.dep_ == "pobj" and root.head.pos_ == "ADP" and root.head.i < a:
        prep = root.head
    elif a > 0 and doc[a - 1].lower_ in PREP_RELATION and doc[a - 1].pos_ in ("ADP", "SCONJ"):
        prep = doc[a - 1]
    s = prep.i if prep is not None else a
    relation = PREP_RELATION.get(prep.lower_) if prep is not None else None
    if prep is not None and prep.lower_ == "than" and s >= 2 and doc[s - 1].lower_ in ("later", "earlier"):
        s, relation = s - 1 - (doc[s - 2].lower_ in ("no", "not")), "by" if doc[s - 1].lower_ == "later" else "before"
    if prep is not None and prep.lower_ in ("to", "of") and s > 0 and doc[s - 1].lower_ in ("prior", "ahead"):
        s, relation = s - 1, "before"
    if s > 0 and doc[s - 1].lower_ in ("late", "early", "mid", "later", "earlier") and doc[s - 1].dep_ == "advmod":
        s -= 1                                                  # "late in the first quarter"
    anchor = prep.head if prep is not None else root.head if root.i != root.head.i else root
    verb = _verb_of(anchor)
    if (verb is None or not content[0] <= verb.i < content[1]) and pred.pos_ in ("VERB", "AUX"):
        verb = pred            # a clause's time hung on the cue: "..., on July 1,” Lagarde said"
    if relation == "until" and prep is not None and (
            prep.i > 0 and doc[prep.i - 1].lower_ in NEG or verb is not None and _negated(verb)):
        relation = "not_until"
    span = doc[s:b]
    if prep is None and root.lower_ in TIME_ADVERBS:
        relation = None
    when = tense(verb) if verb is not None else None
    if when is None and pred.pos_ in ("VERB", "AUX"):
        when = tense(pred)
    if when in ("present", None) and _names_event(root):
        when = "past"          # "the impact of Monday's debate is still small": a debate held
    return TimeExpr(span.start_char, span.end_char, span.text, relation, when)


def _names_event(root: Token) -> bool:
    """A weekday inside a noun phrase that names an event by it ("Monday's debate", "the
    moderator of Monday night's debate"), not an adverbial of the clause."""
    if root.lower_ not in WEEKDAYS and not (root.head.lower_ in WEEKDAYS and root.dep_ != "pobj"):
        return False
    t = root if root.lower_ in WEEKDAYS else root.head
    return t.dep_ in ("poss", "compound", "nmod") and t.head.pos_ in ("NOUN", "PROPN")


def _verb_of(t: Token) -> Token | None:
    """The verb (or adjective of schedule, "due") that a time phrase hangs on."""
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.lower_ in AHEAD_WORDS:
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _negated(v: Token) -> bool:
    heads = [v] + ([v.head] if v.dep_ in ("xcomp", "conj") else [])
    return any(c.dep_ == "neg" or c.lower_ in NEG for h in heads for c in h.children)


def tense(v: Token) -> str | None:
    """past | present | future of the clause headed by v (or None): "will pay", "would
    pay", "is due", "plans to pay", "may pay" are future; "paid", "has paid" past."""
    for _ in range(4):
        aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in aux}
        if v.lower_ in AHEAD_WORDS and v.pos_ in ("ADJ", "VERB", "AUX") or any(
                c.dep_ == "acomp" and c.lower_ in AHEAD_WORDS for c in v.children):
            return "future"
        if words & FUTURE_AUX:
            return "future"
        if "to" in words:            # "plans to pay", "asked Greece to pay": ahead; "forced her to leave": as forced
            g = v.head
            if g.i == v.i or g.pos_ not in ("VERB", "AUX") or g.lemma_ in ("be", "have", "go", "need") \
                    or g.lower_ in AHEAD_WORDS or verb_class(g.lemma_.lower()) in AHEAD_CLASSES:
                return "future"
            v = g
            continue
        if words & MODAL_AUX:
            return "past" if "have" in words else "future"
        if v.dep_ == "conj" and v.tag_ in ("VB", "VBN") and not aux and v.head.pos_ in ("VERB", "AUX"):
            v = v.head               # "will delay ... and pay": the first conjunct's auxiliaries
            continue
        if not aux and v.tag_ == "VBN" and v.dep_ in ("acl", "advcl", "relcl"):
            return "past"            # "the report released in July", "than forecast in July"
        if not aux and v.tag_ in ("VBG", "VBN") and v.dep_ in ("pcomp", "acl", "advcl", "xcomp", "conj"):
            up = _verb_of(v.head) if v.head.i != v.i else None
            if up is None:
                return None
            v = up                   # "reached its milestone of building 5,000 cars in ...": reached
            continue
        if any(c.tag_ == "VBD" for c in aux) or v.tag_ == "VBD":
            return "past"
        if words & {"have", "has", "'ve"} and v.tag_ == "VBN":
            return "past"
        if words & {"is", "are", "am", "'s", "'re"} or v.tag_ in ("VBZ", "VBP"):
            return "present"
        return None
    return None


def iso_value(iv: Interval | None) -> str | None:
    """An interval as an ISO 8601 value: a day "2014-08-18", a month "2014-09", a year "2015", an
    ISO week "2014-W33", a quarter "2018-Q1", else "start/end"."""
    if iv is None:
        return None
    s, e = iv.start, iv.end
    if s == e:
        return s.isoformat()
    if s.day == 1 and e == s.replace(day=calendar.monthrange(s.year, s.month)[1]):
        return s.isoformat()[:7]
    if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
        return str(s.year)
    if s.weekday() == 0 and e - s == timedelta(days=6):
        y, w, _ = s.isocalendar()
        return f"{y}-W{w:02d}"
    if s.day == 1 and s.month % 3 == 1 and e == (s + timedelta(days=92)).replace(day=1) - timedelta(days=1):
        return f"{s.year}-Q{s.month // 3 + 1}"
    return f"{s.isoformat()}/{e.isoformat()}"
