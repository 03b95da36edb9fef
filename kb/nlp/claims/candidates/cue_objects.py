"""Cue verbs whose object carries the content.

- a noun of statement, feeling or possibility with a that-clause: 'suggest the strong
  possibility that X', 'expressed hope that X', 'voiced concern that X': the noun joins the
  cue and the clause is the content (the nouns: ``.lexicon.reporting_nouns``,
  WordNet's feeling nouns and ``.lexicon.IDEA_NOUNS``);
- a gerund clause parsed as xcomp that is the object: 'admitted using the tax code';
- a bare yes or no that answers a question put in the same or the previous sentence: the
  question's clause is the content, the answer its polarity ('Asked whether Greece would pay,
  he replied, "No"').
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from ...spans import clean_span
from .content_spans import own_conjunct
from .lexicon import IDEA_NOUNS, Attribution, reporting_nouns, verb_class, wordnet_lexicon


@lru_cache(maxsize=1)
def proposition_nouns() -> frozenset[str]:
    """Nouns whose that-clause is a proposition someone holds or puts forward: the reporting
    nouns (hand lexicon and WordNet), WordNet's feeling nouns ('hope', 'fear') and IDEA_NOUNS."""
    return frozenset(reporting_nouns() | set(wordnet_lexicon().get("feeling_nouns", [])) | IDEA_NOUNS)


def proposition_clause(n: Token) -> Token | None:
    """The that-clause of a proposition noun ('the possibility that the vote will fail'), right
    after it, with a subject of its own (not a relative clause: 'the claim that he made')."""
    if n.pos_ != "NOUN" or n.i + 1 >= len(n.doc) or n.doc[n.i + 1].lower_ != "that" \
            or n.lemma_.lower() not in proposition_nouns():
        return None
    for c in n.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and c.left_edge.i == n.i + 1 and any(
                m.dep_ == "mark" and m.i == n.i + 1 for m in c.children) and any(
                x.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") and x.lower_ not in ("that", "which")
                for x in c.children):
            return c
    return None


def proposition_object(doc: Doc, v: Token, cls: str | None, speaker: Token, via: Token | None,
                        pe: int) -> Attribution | None:
    """'suggest the strong possibility that X', 'expressed hope that X', 'dismissed the idea that
    X': the object noun is part of the cue; its that-clause is the content. A stance on someone
    else's statement ('rejected the claim that X') keeps the statement as its object: the claim
    is the noun's own (``phrase_cues.noun_cues``)."""
    obj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i), None)
    clause = proposition_clause(obj) if obj is not None else None
    if clause is None or cls == "stance" and obj.lemma_.lower() in reporting_nouns():
        return None
    s0 = clause.left_edge.i
    cs, ce = clean_span(doc, s0, min(clause.right_edge.i + 1, own_conjunct(clause, s0), pe))
    if ce <= cs or cs <= speaker.i < ce:
        return None
    return Attribution((v.i, obj.i + 1), speaker, (cs, ce), clause, False, via)


def gerund_object(v: Token, c: Token) -> bool:
    """'admitted using the tax code', 'favored expanding space exploration': a gerund clause
    that is the verb's object (the parser calls it xcomp)."""
    return c.dep_ == "xcomp" and c.i > v.i and c.tag_ == "VBG" \
        and not any(a.dep_ in ("aux", "auxpass") for a in c.children)


# ----------------------------------------------------------------------------- answers
YES_NO = {"yes": "positive", "yeah": "positive", "yep": "positive", "no": "negative", "nope": "negative"}
ANSWER_DEPS = ("intj", "dobj", "npadvmod", "ccomp", "attr", "advmod", "oprd", "dep")


def answer_word(v: Token) -> str | None:
    """'he replied, "No"', 'she said yes': the polarity a bare yes or no after cue v gives,
    or None. The word stands alone (its own phrase, or all a quote holds)."""
    tok = answer_token(v)
    return YES_NO[tok.lower_] if tok is not None else None


def answer_token(v: Token) -> Token | None:
    """The bare yes or no that cue v reports (see ``answer_word``), or None."""
    doc = v.doc
    for c in v.children:
        if c.dep_ in ANSWER_DEPS and c.lower_ in YES_NO and c.left_edge.i == c.right_edge.i == c.i:
            around = doc[c.i + 1:v.sent.end] if c.i > v.i else doc[v.sent.start:c.i]   # '"Yes," she said'
            if not any(not (t.is_punct or t.is_space) for t in around) and not (
                    c.i < v.i and any(t.is_quote for t in doc[v.i + 1:v.sent.end])):   # not '"No," he said, "but ..."'
                return c
    return None


def asked_clause(v: Token) -> Token | None:
    """The yes/no question cue v answers: a clause marked 'whether' or 'if' under a verb of saying,
    before v in its sentence or in the sentence before it in the paragraph ('Asked whether
    Greece would pay, he replied, "No"')."""
    doc = v.doc
    sent = v.sent
    start = doc[sent.start - 1].sent.start if sent.start > 0 and "\n" not in doc[sent.start - 1].text else sent.start
    for t in reversed(doc[start:v.i]):
        if t.dep_ in ("ccomp", "advcl") and t.pos_ in ("VERB", "AUX") and t.head.i != v.i and t.head.pos_ == "VERB" \
                and verb_class(t.head.lemma_.lower()) == "speech" \
                and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") and m.i == t.left_edge.i
                        for m in t.children) \
                and any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in t.children):
            return t
    return None


def answer(doc: Doc, v: Token, speaker: Token) -> Attribution | None:
    """'Asked whether Greece would make the repayment, he replied, "No"': the answerer's
    claim about the question's proposition (its polarity from the answer, ``answer_word``)."""
    if answer_word(v) is None:
        return None
    q = asked_clause(v)
    if q is None:
        return None
    cs, ce = clean_span(doc, q.left_edge.i + 1, q.right_edge.i + 1)
    if ce - cs < 2 or cs <= speaker.i < ce:
        return None
    return Attribution((v.i, v.i + 1), speaker, (cs, ce), q, False, None)


def answered(v: Token) -> bool:
    """Cue v puts a yes/no question that a later cue answers: the answer is the claim."""
    doc = v.doc
    q = next((c for c in v.children if c.dep_ in ("ccomp", "advcl") and any(
        m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children)), None)
    if q is None:
        return False
    end = v.sent.end
    end = doc[end].sent.end if end < len(doc) and "\n" not in doc[end - 1].text_with_ws else end
    return any(w.pos_ == "VERB" and answer_word(w) is not None and (a := asked_clause(w)) is not None and a.i == q.i
               for w in doc[q.right_edge.i + 1:end])
