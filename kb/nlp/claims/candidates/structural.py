"""Structural candidates: attributions the cue lexicon does not know, proposed for the model.

Any verb outside the lexicon with a finite clause complement and a subject that names
someone ('Trump insisted that ...', 'the agency concluded it ...') is a candidate, and so
is any verb whose subject names someone with an object, an infinitive or a prepositional
object ('Sanders opposes the deal', 'she wants to run', 'they called for a vote'); the
claim model (``kb.nlp.claims.model``) decides, from its features, which of them are
attributions. Low precision on their own: never kept without a model.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Token

from ...spans import clean_span, tokens_with
from .lexicon import Attribution, is_cue_lemma

PEOPLE = {"PERSON", "ORG", "NORP", "GPE"}
SUBJ_PRONOUNS = {"he", "she", "they", "i", "we"}
FINITE = {"VBD", "VBZ", "VBP", "MD"}


def _names_someone(subj) -> bool:
    return subj.lower_ in SUBJ_PRONOUNS or subj.ent_type_ in PEOPLE or subj.pos_ == "PROPN"


NSUBJ = ("nsubj",)


def _with_subject(doc: Doc) -> list[tuple[Token, Token]]:
    """(word, its first nsubj) of every word with a subject, in text order (found from the
    subjects: no Token for every word)."""
    first: dict[int, Token] = {}
    for s in tokens_with(doc, "dep", NSUBJ):
        first.setdefault(s.head.i, s)
    return [(doc[i], first[i]) for i in sorted(first)]


def clause_candidates(doc: Doc) -> Iterator[Attribution]:
    """'<someone> <verb> (that) <finite clause>' for verbs outside the cue lexicon."""
    for v, subj in _with_subject(doc):
        if v.pos_ != "VERB" or is_cue_lemma(v.lemma_.lower()):
            continue
        comp = next((c for c in v.children if c.dep_ == "ccomp" and c.i > v.i), None)
        if comp is None or not _names_someone(subj):
            continue
        if not any(t.tag_ in FINITE for t in comp.subtree if t.head.i == comp.i or t.i == comp.i):
            continue
        cs, ce = clean_span(doc, comp.left_edge.i, comp.right_edge.i + 1)
        if ce - cs < 3:
            continue
        yield Attribution((v.i, v.i + 1), subj, (cs, ce), comp, False, None)


OBJECT_DEPS = ("dobj", "xcomp", "prep")


def object_candidates(doc: Doc) -> Iterator[Attribution]:
    """'<someone> <verb> <object | to-infinitive | prep + object>' for any verb."""
    for v, subj in _with_subject(doc):
        if v.pos_ != "VERB" or not _names_someone(subj):
            continue
        for c in v.children:
            if c.dep_ not in OBJECT_DEPS or c.i < v.i:
                continue
            cue_end = v.i + 1
            if c.dep_ == "prep":
                obj = next((o for o in c.children if o.dep_ == "pobj"), None)
                if obj is None or c.i != v.i + 1:
                    continue
                c, cue_end = obj, c.i + 1
            cs, ce = clean_span(doc, c.left_edge.i, c.right_edge.i + 1)
            if ce - cs >= 1 and cs >= cue_end:
                yield Attribution((v.i, cue_end), subj, (cs, ce), c, False, None)
                break
