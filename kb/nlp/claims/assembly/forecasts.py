"""Forward-looking statements no cue found: "the company will close the plant next year".

The article's own: a sentence that no cue attributes to anyone, whose main verb looks ahead
("will", "is going to", "plans to", "is set to", "is scheduled to", "aims to", "talks are to
resume", a passive "is expected", "is scheduled", "is likely to", "could", "may", "might"
when not negated nor perfect and saying when or foretelling an event with no condition:
"the storm could force NASA to cut short the flight"), is a claim made by the article itself:
speaker null, cue the words that make it forward-looking, subject the one who will act.
A journalist follows these like any promise or prediction. Questions, quotes, first and
second person, clauses under "if" and judgments ("the outcome will be as unpredictable as
the man") are left out. Also the article's own, about a noun:
"the summit, which is set to open on Tuesday", "a protest planned to coincide with it".
Impersonal: "it is expected / estimated / believed that ...": speaker null, cue the verb.
Held by someone: "farmers are worried that the spill will ruin the land": speaker the
subject, cue the adjective, content the forward-looking clause. A promise, threat, plan or
hope of a noun phrase: "the union threatened a strike": speaker the subject, cue the verb.
A goal given a date: "he pushed that goal to the end of March", "meeting the goal of 5,000
a week by the end of June is crucial".
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from ...spans import DASHES, clean_span, tokens_with
from ...timex import doc_times
from ..candidates.lexicon import Attribution, aim_verbs, lexicon, verb_class
from ..candidates.quotes import in_quote
from .modality import AHEAD_NOUNS

CLAUSE_BREAKS = {",", ";"} | DASHES

WILL = {"will", "shall", "'ll", "’ll", "wo"}
MAYBE = {"could", "may", "might"}
AHEAD_VERBS = {"plan", "set", "schedule", "aim", "intend", "prepare", "due", "expect", "slate", "poise"}
EXPECTED = {"expect", "schedule", "slate", "forecast", "predict", "project", "plan"}
LIKELY = {"likely", "unlikely"}
PERSONAL = {"i", "we", "you", "me", "us"}
OUTLOOK_ADJ = {"concerned", "worried", "optimistic", "pessimistic", "confident", "hopeful", "fearful",
               "afraid", "anxious", "nervous", "upbeat"}
MODAL_AUX = WILL | MAYBE | {"would"}
IMPERSONAL_CLASSES = ("future", "hedge")
PARTICIPLES = {"schedule", "set", "expect", "plan", "slate", "due", "intend"}
ADJUNCTS = ("advcl", "npadvmod", "parataxis")     # clauses beside a forecast that may hold another claim
DATES_KEY = "kb_dates"        # the model's DATE and TIME spans, kept by kb.nlp.entities
DEADLINE_PREPS = {"by", "until", "before", "within"}
PAST_TIME = re.compile(r"\b(?:last|yesterday|ago|earlier)\b", re.I)


def marker(v: Token, possible: bool) -> tuple[int, int] | None:
    """Token span of the forward-looking words of verb v, or None."""
    for c in v.children:
        if c.dep_ == "aux" and c.i < v.i and c.lower_ in WILL:
            return c.i, c.i + 1
        if c.dep_ == "aux" and c.i < v.i and possible and c.lower_ in MAYBE and not any(
                x.dep_ == "neg" or x.dep_ == "aux" and x.lemma_ == "have" for x in v.children):
            return c.i, c.i + 1         # "could double", not "could not resist", "could have saved"
    xcomp = next((c for c in v.children if c.dep_ == "xcomp" and c.i > v.i
                  and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)), None)
    if xcomp is not None and (v.lower_ == "going" or v.lemma_.lower() in AHEAD_VERBS
                              or be_to(v, xcomp) or striving(v)):
        s = min([v.i] + [c.i for c in v.children if c.dep_ in ("aux", "auxpass") and c.i < v.i])
        return s, v.i + 1
    if v.lemma_ == "be" and any(c.lower_ == "due" and c.dep_ == "acomp" and scheduled(c) for c in v.children):
        return v.i, v.i + 1                            # "is due to depart", not "is due to higher prices"
    passive = [c.i for c in v.children if c.dep_ == "auxpass" and c.i < v.i]
    if passive and v.lemma_.lower() in EXPECTED:       # "rain is expected along the coast"
        return min(passive), v.i + 1
    if v.lemma_ == "be" and any(c.dep_ == "acomp" and c.lower_ in LIKELY and any(
            x.dep_ in ("xcomp", "ccomp") for x in list(c.children) + list(v.children)) and not any(
            x.tag_ in ("RBR", "JJR") for x in c.children) for c in v.children):
        return v.i, v.i + 1     # "it is likely that ...", "X is unlikely to"; not a risk: "more likely to"
    return None


def striving(v: Token) -> bool:
    """'The company is trying to reach ...', 'is pushing to meet ...': a verb of effort or purpose
    (WordNet's aim verbs) in the present, active and not negated: what it aims at lies ahead."""
    return v.lemma_.lower() in aim_verbs() and v.tag_ != "VBD" and not any(
        c.dep_ in ("auxpass", "neg") or c.dep_ == "aux" and (c.tag_ == "VBD" or c.lemma_ == "have") for c in v.children)


def scheduled(due: Token) -> bool:
    """ "Due" of a schedule ("due to depart", "due for release"), not of a cause ("due to
    higher prices", "due to concerns")."""
    return any(c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ == "for" for c in due.children) or any(
        c.dep_ == "xcomp" for c in due.head.children)


def be_to(v: Token, xcomp: Token) -> bool:
    """ "Talks are to resume", "the plant is to be sold": present-tense "be" + to-infinitive
    (not "is to blame", "there is much to do", "is underway to", "is how to")."""
    return v.lemma_ == "be" and v.tag_ in ("VBZ", "VBP") and xcomp.lemma_ != "blame" and not any(
        c.dep_ in ("expl", "acomp", "attr", "advmod") for c in v.children) and not any(
        c.tag_ in ("WRB", "WP") for c in xcomp.children)              # "the question is how to ..."


def anchored(v: Token, sent: Span) -> bool:
    """A 'could/may/might' clause is a forecast when it says when, in its own words and not
    in its subject ("snow could reach the coast by Thursday", "may soon open"; not "the 2016
    vote could change everything"), and not in the past ("last week"); a bare musing is not."""
    subj = {t.i for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj") for t in c.subtree}
    own = {t.i for t in v.subtree if t.i not in subj and sent.start <= t.i < sent.end}
    return any(a in own and not PAST_TIME.search(v.doc[a:b].text) for a, b in doc_times(v.doc))


PERCEIVE = {"see", "hear", "feel", "find", "say"}
# relations and judged effects, not events: "that could include sanctions", "control could hinge
# on the seat", "the transition could represent a model", "the endorsement could help Obama"
RELATION = {"represent", "include", "mean", "involve", "hinge", "depend", "signal", "reflect", "amount",
            "require", "help", "hurt", "bolster", "undermine", "benefit", "strengthen", "weaken"}
SECOND = {"you", "your", "yours", "yourself", "yourselves"}
# adjectives that carry the forecast ("is likely to win", "will be able to vote"), not a judgment
MODAL_ADJ = LIKELY | {"due", "able", "unable", "ready", "set", "free", "eligible", "willing", "unwilling",
                      "certain", "sure", "bound", "about"}
DEGREE = {"as", "so", "too", "more", "less", "most", "least"}
RESTRICT = {"if", "unless", "whether", "only", "when", "what", "how", "why"}


def judgment(v: Token) -> bool:
    """A copula with an evaluative adjective: a comparison or a degree ("the outcome will be as
    unpredictable as the man", "it will be better") or a tough-adjective ("the tactics will be
    difficult to replicate"): an opinion, not an event one can check; a measured one is
    checkable ("fares will be 20 percent cheaper")."""
    return v.lemma_ == "be" and any(
        c.dep_ == "acomp" and c.pos_ == "ADJ" and c.lower_ not in MODAL_ADJ and (
            c.tag_ == "JJR" or any(x.lower_ in DEGREE or x.dep_ == "xcomp" for x in c.children))
        and not any(x.dep_ in ("npadvmod", "nummod") for x in c.children) for c in v.children)


def outcome(v: Token, sent: Span) -> bool:
    """An unanchored 'could/may/might' clause that still reads as a forecast of an event
    ("the storm could force NASA to cut short the flight", "operations may be suspended"):
    an event verb (not a copula, "have", a verb of perception, a relation or judged effect
    such as "include", "hinge on", "help", or a progressive) with a noun
    phrase for subject, in a statement with no condition, question or restriction ("if",
    "whether", "only"); "the vote could be decisive if ..." is a musing."""
    if v.lemma_ in ("be", "have") or v.lemma_ in PERCEIVE or v.lemma_ in RELATION or v.tag_ == "VBG" or any(
            c.dep_ == "aux" and c.lower_ == "be" or c.dep_ == "csubj" for c in v.children):
        return False
    if not sent.text.rstrip().endswith((".", "”", '"')):
        return False                    # a headline or a fragment
    return not any(t.lower_ in RESTRICT for t in sent)


def forecasts(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]],
              possible: bool = True) -> Iterator[Attribution]:
    """Forward-looking statements no cue found: impersonal expectations, the article's own
    (main clauses, then clauses about a noun), then expectations someone holds."""
    taken = list(taken)
    for rule in (impersonal, lambda d, t, q: own_forecasts(d, t, q, possible), ahead_clauses, outlooks, pledges,
                 dated_goals):
        found = list(rule(doc, taken, quotes))
        yield from found
        taken += [a.content for a in found]     # one statement, one claim: later rules skip it


@lru_cache(maxsize=8)
def verbs_of(classes: tuple[str, ...], add: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Cue verbs of the given lexicon classes, built once (tokens_with keeps the ids of a list it has seen)."""
    return tuple(sorted({lem for lem, cls in lexicon()["class_of"].items() if cls in classes and lem not in drop}
                        | set(add)))


def that_clause(comp: Token) -> tuple[int, int]:
    """The words of a complement clause after its 'that' (or all of them), cleaned."""
    lo = next((c.i + 1 for c in comp.children if c.dep_ == "mark" and c.lower_ == "that"), comp.left_edge.i)
    return clean_span(comp.doc, lo, comp.right_edge.i + 1)


def impersonal(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """ "It is expected that talks will resume", "it is estimated the storm could destroy half
    the crop", "it is believed he is ill": an expectation or belief with no source; the cue is
    the passive verb, the content the clause after it."""
    for v in tokens_with(doc, "lemma", verbs_of(IMPERSONAL_CLASSES)):
        if v.pos_ != "VERB" or verb_class(v.lemma_.lower()) not in IMPERSONAL_CLASSES or in_quote(quotes, v.i):
            continue
        aux = [c for c in v.children if c.dep_ == "auxpass" and c.i < v.i]
        if not aux or not any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in v.children):
            continue
        comp = next((c for c in v.children if c.dep_ == "ccomp" and c.i > v.i and c.pos_ in ("VERB", "AUX")), None)
        if comp is None:
            continue
        cs, ce = that_clause(comp)
        if ce - cs < 3 or any(s < ce and cs < e for s, e in taken):
            continue
        yield Attribution((v.i, v.i + 1), None, (cs, ce), comp, False, None)   # cue lemma: modality


def own_forecasts(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]],
                  possible: bool = False) -> Iterator[Attribution]:
    """Unattributed forward-looking main clauses, outside quotes and the token ranges taken."""
    for sent in doc.sents:
        root = sent.root
        if root.pos_ not in ("VERB", "AUX") or sent.text.rstrip().endswith("?"):
            continue
        inside = [(s, e) for s, e in taken if s < sent.end and sent.start < e]
        if in_quote(quotes, root.i) or any(s <= root.i < e for s, e in inside):
            continue
        for v in [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]:
            m = marker(v, possible)
            if m is None:
                continue
            subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
            if subj is None and v.i != root.i:
                subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.lower_ in PERSONAL or subj.tag_ in ("WP", "WDT"):
                continue
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in v.children) or judgment(v):
                continue
            if doc[m[0]].lower_ in MAYBE and not anchored(v, sent) and not outcome(v, sent):
                continue
            lo = subj.left_edge.i if v.i == root.i or subj.head.i == v.i else v.left_edge.i
            hi = v.right_edge.i + 1 if v.i != root.i else max(
                [v.i + 1] + [c.right_edge.i + 1 for c in v.children if c.dep_ not in ("conj", "cc", "punct")])
            cs, ce = untaken(doc, (max(lo, sent.start), min(hi, sent.end)), v, m, inside)
            if ce - cs >= 3 and not any(t.lower_ in SECOND for t in doc[cs:ce]):   # advice to the reader
                yield Attribution(m, None, (cs, ce), v, False, None)


def untaken(doc: Doc, span: tuple[int, int], v: Token, m: tuple[int, int],
            taken: list[tuple[int, int]]) -> tuple[int, int]:
    """The part of a forecast clause before or after another claim's words in its sentence,
    when that claim sits in an adjunct clause of the forecast verb set off by a comma ('Tesla
    will not reach its goal in 2017, pointing to hiccups at the plant': up to the cue of the
    company's reason). Empty when a claim holds the verb or its marker, or lies elsewhere in
    the sentence (beside someone else's report the sentence is left alone)."""
    s, e = span
    adjuncts = [(c.left_edge.i, c.right_edge.i + 1) for c in v.children if c.dep_ in ADJUNCTS]
    if not all(any(a <= ts and te <= b for a, b in adjuncts) for ts, te in taken):
        return s, s
    merged: list[list[int]] = []
    for ts, te in sorted(taken):              # a cue and its content side by side: one stretch
        if merged and ts <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], te)
        else:
            merged.append([ts, te])
    for ts, te in merged:
        if ts <= v.i < te or any(ts <= i < te for i in range(*m)):
            return s, s
        if s < te <= v.i:
            if not _break(doc, te, 1):
                return s, s
            s = te
        elif v.i < ts < e:
            if not _break(doc, ts - 1, -1):
                return s, s          # the other claim sits inside the clause, not beside it
            e = ts
    return clean_span(doc, s, e)


def _break(doc: Doc, i: int, step: int) -> bool:
    """A comma, dash or semicolon at token i (past quote marks, going `step`): a clause boundary."""
    while 0 <= i < len(doc) and (doc[i].is_quote or doc[i].is_space):
        i += step
    return 0 <= i < len(doc) and doc[i].text in CLAUSE_BREAKS


def outlooks(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """ "Farmers are worried that the spill will ruin the land", "doctors remain optimistic he
    could recover": someone's expectation, told by the article: speaker the one who holds it,
    cue the adjective, content the forward-looking clause (one with will/would/could/may/might)."""
    for adj in tokens_with(doc, "lower", OUTLOOK_ADJ):
        if adj.lower_ not in OUTLOOK_ADJ or adj.dep_ != "acomp" or in_quote(quotes, adj.i):
            continue
        v = adj.head
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in PERSONAL or subj.tag_ in ("WP", "WDT"):
            continue
        clause = next((c for c in list(adj.children) + list(v.children) if c.dep_ == "ccomp" and c.i > adj.i
                       and c.pos_ in ("VERB", "AUX")), None)
        if clause is None or not any(c.dep_ == "aux" and c.lower_ in MODAL_AUX for c in clause.children):
            continue
        cs, ce = that_clause(clause)
        if ce - cs < 3 or any(s < ce and cs < e for s, e in taken):
            continue
        yield Attribution((adj.i, adj.i + 1), subj, (cs, ce), clause, False, None)


def ahead_clauses(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """Forward-looking clauses about a noun: non-restrictive relative clauses ("the summit,
    which is set to open on Tuesday", "the bill, which will be voted on Friday") and
    participles of plan ("a protest planned to coincide with the summit", "flights scheduled
    for May"). Content: the noun phrase with its clause; speaker null."""
    for v in tokens_with(doc, "dep", ("relcl", "acl")):
        if v.dep_ not in ("relcl", "acl") or in_quote(quotes, v.i) or any(
                c.dep_ == "aux" and c.lemma_ == "have" for c in v.children):
            continue
        if v.dep_ == "relcl":
            if v.left_edge.i == 0 or doc[v.left_edge.i - 1].text != ",":
                continue                    # restrictive: part of the noun phrase, not a statement
            m = marker(v, False)
            if m is None or any(doc[i].tag_ == "VBD" for i in range(*m)) or any(
                    c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in PERSONAL for c in v.children):
                continue
        else:
            if v.tag_ != "VBN" or v.lemma_.lower() not in PARTICIPLES or not any(
                    c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ == "for" for c in v.children):
                continue
            m = (v.i, v.i + 1)
        n = v.head
        cs, ce = clean_span(doc, max(n.left_edge.i, v.sent.start), min(v.right_edge.i + 1, v.sent.end))
        if ce - cs >= 3 and not any(s < ce and cs < e for s, e in taken):
            yield Attribution(m, None, (cs, ce), v, False, None)


PLEDGE_CLASSES = ("future", "intent")


def pledges(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """ "The union threatened a strike", "ministers pledged to doubling the tiger population",
    "BP hopes for the pressure to rise": a promise, threat, plan or hope whose object is a noun
    phrase; speaker the subject, cue the verb, content the object."""
    for v in tokens_with(doc, "lemma", verbs_of(PLEDGE_CLASSES, add=("hope",), drop=("decline",))):
        if v.pos_ != "VERB" or v.dep_ in ("acl", "amod", "relcl") or in_quote(quotes, v.i):
            continue
        if any(c.dep_ in ("ccomp", "xcomp", "auxpass") for c in v.children):
            continue
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in PERSONAL or subj.tag_ in ("WP", "WDT"):
            continue
        obj = next((c for c in v.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if v.lemma_ == "warn":          # "warned citizens of possible attacks": the attacks
            obj = next((c for c in list(v.children) + (list(obj.children) if obj is not None else [])
                        if c.dep_ == "prep" and c.lower_ in ("of", "about") and any(
                            x.dep_ == "pobj" for x in c.children)), None)
        elif obj is None:
            obj = next((c for c in v.children if c.dep_ == "prep" and c.lower_ in ("to", "for")
                        and any(x.dep_ in ("pobj", "pcomp") for x in c.children)), None)
        if obj is None:
            continue
        cs, ce = clean_span(doc, obj.left_edge.i, min(obj.right_edge.i + 1, v.sent.end))
        if ce - cs < 2 or any(s < ce and cs < e for s, e in taken) or any(s <= v.i < e for s, e in taken):
            continue
        root = next((x for x in obj.children if x.dep_ in ("pobj", "pcomp")), obj) if obj.dep_ == "prep" else obj
        yield Attribution((v.i, v.i + 1), subj, (cs, ce), root, False, None)


GOAL_DATE_PREPS = DEADLINE_PREPS | {"to", "for"}


@lru_cache(maxsize=1)
def goal_nouns() -> tuple[str, ...]:
    """Nouns that name a goal in WordNet and look ahead ("goal", "target", "objective", "aim"; not
    "business" or "mind", which have a goal among their rarer senses)."""
    from ...events import lexicon as event_lexicon

    return tuple(sorted(k for k, v in event_lexicon()["nouns"].items() if v.get("g") and k in AHEAD_NOUNS))


def goal_date(doc: Doc, v: Token, after: int) -> Token | None:
    """The preposition after token ``after`` under v that gives a date ahead ("by the end of June",
    "to the end of March 2018"; not "by last year"): its object opens one of the model's dates."""
    starts = {s.start: s for s in doc.spans.get(DATES_KEY, [])}
    for p in v.children:
        if p.dep_ != "prep" or p.i <= after or p.lower_ not in GOAL_DATE_PREPS:
            continue
        span = starts.get(p.i + 1)
        if span is not None and not PAST_TIME.search(span.text):
            return p
    return None


def dated_goals(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """A goal given a date: "he pushed that goal to the end of March", "the company set a target of
    2,500 a week by the end of March" (speaker the subject, cue the verb, content the goal and its
    date), "meeting the goal of 5,000 a week by the end of June is crucial" (the article's own:
    cue the goal, content the phrase). The goal is a WordNet goal noun, the object of the verb the
    date hangs on."""
    for n in tokens_with(doc, "lemma", goal_nouns()):
        if n.pos_ != "NOUN" or n.dep_ != "dobj" or in_quote(quotes, n.i) or n.sent.text.rstrip().endswith("?"):
            continue
        v = n.head
        p = goal_date(doc, v, n.i) if v.pos_ == "VERB" else None
        if p is None:
            continue
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        own = v.tag_ == "VBG" or v.dep_ in ("csubj", "pcomp", "acl", "relcl", "xcomp", "advcl")
        if own or subj is None or subj.lower_ in PERSONAL or subj.tag_ in ("WP", "WDT"):
            if not own:
                continue
            cue, speaker, cs, ce = (n.i, n.i + 1), None, v.left_edge.i, p.right_edge.i + 1
        else:
            cue, speaker, cs, ce = (v.i, v.i + 1), subj, n.left_edge.i, p.right_edge.i + 1
        cs, ce = clean_span(doc, max(cs, n.sent.start), min(ce, n.sent.end))
        if ce - cs < 3 or any(s < ce and cs < e for s, e in taken) or any(s <= v.i < e for s, e in taken):
            continue
        yield Attribution(cue, speaker, (cs, ce), v if speaker is None else n, False, None)
