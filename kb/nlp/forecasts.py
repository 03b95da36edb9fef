"""The article's own forward-looking statements: "the company will close the plant next year".

A sentence that no cue attributes to anyone, whose main verb looks ahead ("will",
"is going to", "plans to", "is set to", "is scheduled to", "aims to", a passive "is
expected", "is scheduled", "is likely to", optionally "could", "may", "might" when not
negated nor perfect), is a claim made by the article itself: speaker null, cue the words that
make it forward-looking, subject the one who will act. A journalist follows these like
any promise or prediction. Questions, quotes, first and second person, and clauses
under "if" are left out.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Span, Token

from .cues import Attribution
from .modality import find_time
from .quotes import in_quote
from .spans import clean_span

WILL = {"will", "shall", "'ll", "’ll", "wo"}
MAYBE = {"could", "may", "might"}
AHEAD_VERBS = {"plan", "set", "schedule", "aim", "intend", "prepare", "due", "expect", "slate", "poise"}
EXPECTED = {"expect", "schedule", "slate", "forecast", "predict", "project", "plan"}
LIKELY = {"likely", "unlikely"}
PERSONAL = {"i", "we", "you", "me", "us"}


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
    if xcomp is not None and (v.lower_ == "going" or v.lemma_.lower() in AHEAD_VERBS):
        s = min([v.i] + [c.i for c in v.children if c.dep_ in ("aux", "auxpass") and c.i < v.i])
        return s, v.i + 1
    if v.lemma_ == "be" and any(c.lower_ == "due" and c.dep_ == "acomp" for c in v.children):
        return v.i, v.i + 1
    passive = [c.i for c in v.children if c.dep_ == "auxpass" and c.i < v.i]
    if passive and v.lemma_.lower() in EXPECTED:       # "rain is expected along the coast"
        return min(passive), v.i + 1
    if v.lemma_ == "be" and any(c.dep_ == "acomp" and c.lower_ in LIKELY and any(
            x.dep_ in ("xcomp", "ccomp") for x in list(c.children) + list(v.children)) for c in v.children):
        return v.i, v.i + 1                            # "it is likely that ...", "X is unlikely to"
    return None


def anchored(v: Token, sent: Span) -> bool:
    """A 'could/may/might' clause is a forecast when it says when or on what condition
    ("could be home by July", "if talks fail, prices could rise"), not a bare musing."""
    return find_time(sent.text) is not None or any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for c in v.children)


def forecasts(doc: Doc, taken: list[tuple[int, int]], quotes: list[tuple[int, int]],
              possible: bool = False) -> Iterator[Attribution]:
    """Unattributed forward-looking main clauses, outside quotes and the token ranges taken."""
    for sent in doc.sents:
        root = sent.root
        if root.pos_ not in ("VERB", "AUX") or sent.text.rstrip().endswith("?"):
            continue
        if any(s < sent.end and sent.start < e for s, e in taken) or in_quote(quotes, root.i):
            continue
        for v in [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]:
            m = marker(v, possible)
            if m is None:
                continue
            subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and v is not root:
                subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.lower_ in PERSONAL or subj.tag_ in ("WP", "WDT"):
                continue
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in v.children):
                continue
            if doc[m[0]].lower_ in MAYBE and not anchored(v, sent):
                continue
            lo = subj.left_edge.i if v is root or subj.head is v else v.left_edge.i
            hi = v.right_edge.i + 1 if v is not root else max(
                [v.i + 1] + [c.right_edge.i + 1 for c in v.children if c.dep_ not in ("conj", "cc", "punct")])
            cs, ce = clean_span(doc, max(lo, sent.start), min(hi, sent.end))
            if ce - cs >= 3:
                yield Attribution(m, None, (cs, ce), v, False, None)
