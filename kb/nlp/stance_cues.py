"""Stances told with an adjective or an agent noun: "X has been critical of Y", "X is worried
about Y", "X is confident that Y", "X is a staunch opponent of Y", "X, a critic of Y, ...".

The words come from WordNet 3.0 (``kb/data/wordnet_cues.json``, built by
``kb.nlp.wordnet_build``): ``stance_adjectives`` are adjectives of feeling or attitude
(linked to nouns of feeling/cognition/communication or verbs of emotion/cognition/
communication), ``agent_nouns`` are person nouns derived from such verbs ("critic",
"defender", "proponent"). The speaker is the subject (or the noun an apposition describes)
and must be speaker-like (``kb.nlp.wordnet_cues.speaker_like``); the cue is the adjective
or noun with its preposition; the content is the prepositional object or the clause.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from spacy.tokens import Doc, Token

from .cues import SELF, Attribution, _root_in
from .quotes import in_quote
from .spans import clamp, clean_span, tokens_with
from .wordnet_cues import speaker_like, wordnet_lexicon

# Prepositions that name what a feeling or attitude is about ("critical of", "worried about",
# "bearish on", "angry over", "happy with", "hostile toward").
ADJ_PREPS = {"about", "of", "on", "over", "with", "toward", "towards", "at"}
NOUN_PREPS = {"of"}                      # "a critic of", "a defender of"
LINKING = {"be", "become", "remain", "seem", "appear", "grow", "sound", "look", "feel", "stay"}


@lru_cache(maxsize=1)
def stance_words() -> tuple[frozenset[str], frozenset[str]]:
    """(stance adjectives, agent nouns) of the WordNet lexicon."""
    wn = wordnet_lexicon()
    return frozenset(wn.get("stance_adjectives", [])), frozenset(wn.get("agent_nouns", {}))


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
            return (word.i, prep.i + 1), (cs, ce), _root_in(doc, cs, ce)
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
