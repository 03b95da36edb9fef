"""Cue verbs whose object carries the content.

- a noun of statement, feeling or possibility with a that-clause: 'suggest the strong
  possibility that X', 'expressed hope that X', 'voiced concern that X': the noun joins the
  cue and the clause is the content (the nouns: ``kb.nlp.phrase_cues.reporting_nouns``,
  WordNet's feeling nouns and ``cue_lexicon.IDEA_NOUNS``);
- a gerund clause parsed as xcomp that is the object: 'admitted using the tax code'.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from .content_spans import own_conjunct
from .cue_lexicon import IDEA_NOUNS, Attribution
from .spans import clean_span


def reporting_nouns() -> frozenset[str]:
    """The reporting nouns of ``kb.nlp.phrase_cues`` (hand lexicon and WordNet)."""
    from .phrase_cues import reporting_nouns as nouns    # imported here: phrase_cues imports kb.nlp.cues
    return nouns()


@lru_cache(maxsize=1)
def proposition_nouns() -> frozenset[str]:
    """Nouns whose that-clause is a proposition someone holds or puts forward: the reporting
    nouns (hand lexicon and WordNet), WordNet's feeling nouns ('hope', 'fear') and IDEA_NOUNS."""
    from .wordnet_cues import wordnet_lexicon         # imported here: wordnet_cues imports kb.nlp.cues
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
