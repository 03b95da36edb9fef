"""Stances told with an adjective or an agent noun: "X has been critical of Y", "X is worried
about Y", "X is confident that Y", "X is a staunch opponent of Y", "X, a critic of Y, ...".

The words come from WordNet 3.0 (``kb/data/wordnet_cues.json``, built by
``kb.nlp.wordnet_build``): ``stance_adjectives`` are adjectives of feeling or attitude
(linked to nouns of feeling/cognition/communication or verbs of emotion/cognition/
communication), ``agent_nouns`` are person nouns derived from such verbs ("critic",
"defender", "proponent"). The speaker is the subject (or the noun an apposition describes)
and must be speaker-like (``.wordnet_cues.speaker_like``); the cue is the adjective
or noun with its preposition; the content is the prepositional object or the clause.

Also: the passive of an experiencer verb (``experiencer_verbs``: verb.emotion verbs whose
object feels, and persuade/convince) with a person-like subject ("X was convinced that Y",
"X was unsettled by Y"); an adjective of will with a to-infinitive ("X is willing to Y",
VOLITION, from general English usage). And an impression with no source: 'X seems to ...',
'it appears that ...' (``impression_verbs`` of the cue lexicon).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from spacy.tokens import Doc, Token

from ...spans import clamp, clean_span, tokens_with
from .cues import SELF, root_in
from .lexicon import Attribution, lexicon, wordnet_lexicon
from .quotes import in_quote
from .wordnet_cues import speaker_like

# Prepositions that name what a feeling or attitude is about ("critical of", "worried about",
# "bearish on", "angry over", "happy with", "hostile toward").
ADJ_PREPS = {"about", "of", "on", "over", "with", "toward", "towards", "at"}
NOUN_PREPS = {"of"}                      # "a critic of", "a defender of"
EXPERIENCER_PREPS = {"by", "at", "with", "about", "over", "of"}   # 'disappointed by/at/with Y'
VOLITION = frozenset({"willing", "unwilling", "eager", "reluctant", "determined", "keen", "loath", "loth",
                      "hesitant", "anxious", "desperate", "resolved", "inclined", "disinclined"})
# Adjectives of ability: WordNet links them to cognition ('capable'), but being able is no stance.
ABILITY = frozenset({"able", "unable", "capable", "incapable"})
LINKING = {"be", "become", "remain", "seem", "appear", "grow", "sound", "look", "feel", "stay"}


@lru_cache(maxsize=1)
def experiencer_verbs() -> frozenset[str]:
    """Verbs whose object feels or comes to believe (the WordNet lexicon's ``experiencer_verbs``)."""
    return frozenset(wordnet_lexicon().get("experiencer_verbs", []))


def experiencer_holder(v: Token, subj: Token | None) -> bool:
    """Whether a passive participle's subject holds a stance: 'X was convinced that ...'
    (``.cues`` leaves these to ``experiencer_cues``)."""
    return subj is not None and v.tag_ == "VBN" and v.lemma_.lower() in experiencer_verbs() \
        and subj.tag_ != "WDT" and speaker_like(subj)


@lru_cache(maxsize=1)
def stance_words() -> tuple[frozenset[str], frozenset[str]]:
    """(stance adjectives, agent nouns) of the WordNet lexicon."""
    wn = wordnet_lexicon()
    return frozenset(wn.get("stance_adjectives", [])) - ABILITY, frozenset(wn.get("agent_nouns", {}))


def _content(doc: Doc, word: Token, preps: set[str]) -> tuple[tuple[int, int], tuple[int, int], Token] | None:
    """(cue span, content span, content root) of a stance word: its preposition's object,
    or a that-clause after it."""
    kids = list(word.children)
    if word.dep_ in ("acomp", "oprd"):       # 'is bearish on X': the phrase hangs on the verb
        kids += [c for c in word.head.children if c.i == word.right_edge.i + 1]
    prep = next((c for c in kids if c.dep_ == "prep" and c.i > word.i and c.lower_ in preps), None)
    if prep is not None:
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is None:
            return None
        cs, ce = clean_span(doc, *clamp(doc, (prep.i + 1, prep.right_edge.i + 1), word.i))
        if ce > cs:
            return (word.i, prep.i + 1), (cs, ce), root_in(doc, cs, ce)
        return None
    clause = next((c for c in list(word.children) + list(word.head.children) if c.dep_ == "ccomp"
                   and c.i > word.i and c.pos_ in ("VERB", "AUX")), None) if word.pos_ != "NOUN" else None
    if clause is None or clause.left_edge.tag_ in ("WRB", "WP", "IN") and clause.left_edge.lower_ != "that":
        return None
    cs, ce = clean_span(doc, *clamp(doc, (clause.left_edge.i, clause.right_edge.i + 1), word.i))
    if ce - cs < 3:
        return None
    return (word.i, word.i + 1), (cs, ce), clause


def _holder(word: Token) -> Token | None:
    """Who holds the stance: the subject of the linking verb ('X is critical of'), or the noun an
    apposition or a following adjective phrase describes ('X, a critic of', 'leaders worried about')."""
    h = word.head
    own = next((c for c in word.children if c.dep_ == "nsubj"), None)
    if own is not None:                  # 'with leaders worried about X'
        return own
    if word.dep_ in ("acomp", "attr", "oprd") and h.lemma_.lower() in LINKING:
        return next((c for c in h.children if c.dep_ == "nsubj"), None)
    if word.dep_ == "npadvmod" and word.i < h.i:    # 'A defender of X, Mr. Y likened ...'
        return next((c for c in h.children if c.dep_ == "nsubj"), None)
    if word.dep_ == "appos" or word.dep_ in ("amod", "acl") and word.i > h.i:
        return h if h.pos_ in ("NOUN", "PROPN", "PRON") else None
    return None


def stance_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """Attributions of stance adjectives and agent nouns (see the module docstring)."""
    adjs, agents = stance_words()
    cands = [(t, ADJ_PREPS) for t in tokens_with(doc, "lower", adjs)
             if t.pos_ == "ADJ" or t.tag_ == "VBN" and t.dep_ in ("acomp", "oprd", "amod", "acl", "advcl")] \
        + [(t, NOUN_PREPS) for t in tokens_with(doc, "lemma", agents) if t.pos_ == "NOUN"
           and t.lemma_.lower() in agents]
    for word, preps in cands:
        holder = _holder(word)
        if holder is None or holder.tag_ == "WDT" or not speaker_like(holder):
            continue
        if in_quote(quotes, word.i) is not None and holder.lower_ in SELF:
            continue                     # "I'm worried about ..." in a quote: the quote is the claim
        found = _content(doc, word, preps)
        if found is None:
            continue
        cue, (cs, ce), root = found
        if cs <= holder.i < ce:
            continue
        yield Attribution(cue, holder, (cs, ce), root, False, None)
    yield from experiencer_cues(doc, quotes)
    yield from volition_cues(doc, quotes)


def _span(doc: Doc, s: int, e: int, anchor: int) -> tuple[int, int]:
    return clean_span(doc, *clamp(doc, (s, e), anchor))


def experiencer_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'X was convinced that Y', 'X was disappointed by Y': the subject feels or believes."""
    for v in tokens_with(doc, "lemma", experiencer_verbs()):
        kids = list(v.children)
        if v.tag_ != "VBN" or any(c.dep_ == "dobj" for c in kids) \
                or not (any(c.dep_ == "auxpass" for c in kids) or v.dep_ in ("acomp", "oprd")):
            continue
        subj = next((c for c in kids if c.dep_ in ("nsubjpass", "nsubj")), None)
        if subj is None and v.dep_ == "acomp":
            subj = next((c for c in v.head.children if c.dep_ == "nsubj"), None)
        if not experiencer_holder(v, subj) or in_quote(quotes, v.i) is not None and subj.lower_ in SELF:
            continue
        clause = next((c for c in kids if c.dep_ == "ccomp" and c.i > v.i and c.pos_ in ("VERB", "AUX")), None)
        if clause is not None:
            if clause.left_edge.tag_ in ("WRB", "WP", "IN") and clause.left_edge.lower_ != "that":
                continue
            cs, ce = _span(doc, clause.left_edge.i, clause.right_edge.i + 1, v.i)
            if ce - cs >= 3 and not cs <= subj.i < ce:
                yield Attribution((v.i, v.i + 1), subj, (cs, ce), clause, False, None)
            continue
        prep = next((c for c in kids if c.dep_ in ("prep", "agent") and c.i > v.i and c.lower_ in EXPERIENCER_PREPS), None)
        if prep is not None and any(c.dep_ in ("pobj", "pcomp") for c in prep.children):
            cs, ce = _span(doc, prep.i + 1, prep.right_edge.i + 1, v.i)
            if ce > cs:
                yield Attribution((v.i, prep.i + 1), subj, (cs, ce), root_in(doc, cs, ce), False, None)


def volition_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'X is willing to Y', 'X remains reluctant to Y': the to-infinitive is the content."""
    for w in tokens_with(doc, "lower", VOLITION):
        if w.pos_ != "ADJ" and not (w.tag_ == "VBN" and not any(c.dep_ == "auxpass" for c in w.head.children)):
            continue
        x = next((c for c in w.children if c.dep_ == "xcomp" and c.i > w.i
                  and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")), None)
        holder = _holder(w) if x is not None and w.dep_ in ("acomp", "oprd") else None
        if holder is None or holder.tag_ == "WDT" or not speaker_like(holder) \
                or in_quote(quotes, w.i) is not None and holder.lower_ in SELF:
            continue
        cs, ce = _span(doc, x.left_edge.i, x.right_edge.i + 1, w.i)
        if ce - cs >= 2 and not cs <= holder.i < ce:
            yield Attribution((w.i, w.i + 1), holder, (cs, ce), x, False, None)


def seem_cues(doc: Doc) -> Iterator[Attribution]:
    """'Melania seems to have vanished', 'it appears that ...': an impression with no source."""
    for v in tokens_with(doc, "lemma", lexicon().get("impression_verbs", [])):
        if v.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("dative",) for c in v.children):
            continue
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "expl")), None)
        comp = next((c for c in v.children if c.i > v.i and (
            c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")
            or c.dep_ == "ccomp" and subj is not None and subj.dep_ == "expl")), None)
        if subj is None or comp is None:
            continue
        start = comp.left_edge.i if subj.dep_ == "expl" else subj.left_edge.i
        cs, ce = clean_span(doc, *clamp(doc, (start, comp.right_edge.i + 1), v.i))
        if ce - cs >= 3:
            yield Attribution((v.i, v.i + 1), None, (cs, ce), comp, False, None)
