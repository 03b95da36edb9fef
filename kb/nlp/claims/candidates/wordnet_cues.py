"""Cue verbs from WordNet: the long tail of reporting and judging verbs ("exhorted",
"chronicles", "recited", "expressed") that the hand-written lexicon does not list.

``kb/data/wordnet_cues.json`` (built by ``kb.nlp.wordnet_build`` from WordNet 3.0) maps a
verb to its WordNet group (communicate, express, evaluate, record) and frames; the hand
lexicon (``kb/data/cues.json``) always wins. These verbs are weaker cues than the hand
lexicon's, so a claim needs a speaker-like subject (a person, group, firm, government or
media mention, a personal pronoun, or a WordNet person/group noun) and an explicit content:
a clause for verbs with the frame "Somebody ----s that CLAUSE", otherwise the object (with
its complement for verbs that ascribe: "attributed the delay to the battery line").
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Token

from ...spans import clamp, clean_span, tokens_with
from .content_spans import right_complements
from .cues import SELF, find_via, mentions_by_token, not_asserted, root_in, verb_content, verb_speaker
from .lexicon import Attribution, lexicon, wordnet_lexicon
from .quotes import in_quote

SPEAKER_LABELS = {"person", "official", "government", "group", "media", "firm"}
SPEAKER_PRONOUNS = {"he", "she", "they", "we", "i", "who"}
CLAUSE, THING, PERSON = 26, 8, 9        # WordNet verb frame numbers
ASCRIBE = {15, 21}                        # 'Somebody ----s something to somebody / something PP' (judging verbs)
GROUPS = ("express", "evaluate", "record")  # "communicate" measured at break-even precision: left out


def wordnet_cue(lem: str) -> dict | None:
    """{"group", "frames"} of a verb lemma the hand lexicon does not know, or None."""
    lex = lexicon()
    if lem in lex["class_of"] or lem in lex["verb_preps"]:
        return None
    cue = wordnet_lexicon()["verbs"].get(lem)
    return cue if cue is not None and cue["group"] in GROUPS else None


def speaker_like(t: Token | None) -> bool:
    """A subject that can hold a view: a speaker-type mention, a pronoun, a person/group noun."""
    if t is None:
        return False
    if t.lower_ in SPEAKER_PRONOUNS:
        return True
    span = mentions_by_token(t.doc).get(t.i)
    if span is not None:
        return span.label_ in SPEAKER_LABELS
    return t.lemma_.lower() in wordnet_lexicon()["speaker_set"]


def ascribed(v: Token, speaker: Token) -> Attribution | None:
    """'The company attributed the delay to the battery line': the object and the phrase it is
    ascribed to, when the verb has both (a judgment of cause or authorship)."""
    doc = v.doc
    if not any(c.dep_ == "dobj" and c.i > v.i for c in v.children) or not any(
            t.dep_ == "prep" and t.lower_ == "to" for c in v.children if c.i > v.i for t in c.subtree):
        return None
    span = right_complements(v, v.i)
    if span is None:
        return None
    cs, ce = clean_span(doc, *clamp(doc, span, v.i))
    if ce - cs < 3 or cs <= speaker.i < ce:
        return None
    return Attribution((v.i, v.i + 1), speaker, (cs, ce), root_in(doc, cs, ce), False, find_via(v))


def wordnet_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """Attributions of WordNet cue verbs: the that-clause or the object is the content."""
    for v in tokens_with(doc, "lemma", wordnet_lexicon()["verbs"]):
        if v.pos_ != "VERB" or v.dep_ in ("amod", "compound"):
            continue
        lem = v.lemma_.lower()
        cue = wordnet_cue(lem)
        if cue is None:
            continue
        speaker, passive = verb_speaker(v)
        if passive or not speaker_like(speaker) or not_asserted(v, None):
            continue
        if in_quote(quotes, v.i) is not None and speaker.lower_ in SELF:
            continue
        frames = set(cue["frames"])
        att = None
        if CLAUSE in frames and any(c.dep_ == "ccomp" and c.i > v.i for c in v.children):
            att = verb_content(doc, v, lem, "speech", speaker, quotes)
        if att is None and frames & {THING, PERSON} and any(c.dep_ == "dobj" for c in v.children):
            att = verb_content(doc, v, lem, "object", speaker, quotes)
        if att is None and frames & ASCRIBE:
            att = ascribed(v, speaker)
        if att is not None:
            yield att


def consequence_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'This means it will miss Friday's repayment': a fact whose consequence the article
    states (WordNet's entail / imply / mean). Speaker null (the inference is the writer's),
    cue the verb, content the finite clause; a person who 'means' something intends it."""
    for v in tokens_with(doc, "lemma", wordnet_lexicon().get("consequence_verbs", ())):
        if v.pos_ != "VERB" or in_quote(quotes, v.i) is not None or v.dep_ in ("amod", "compound", "relcl") \
                or any(c.dep_ == "neg" for c in v.children):     # 'that doesn't mean X': no consequence
            continue
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is None or subj.dep_ == "nsubj" and (speaker_like(subj) or subj.tag_ in ("WP", "WDT")):
            continue
        comp = next((c for c in v.children if c.dep_ == "ccomp" and c.i > v.i and c.pos_ in ("VERB", "AUX")
                     and any(x.dep_ in ("nsubj", "nsubjpass", "expl") for x in c.children)), None)
        if comp is None:
            continue
        cs, ce = clean_span(doc, *clamp(doc, (comp.left_edge.i, comp.right_edge.i + 1), v.i))
        if ce - cs >= 3:
            yield Attribution((v.i, v.i + 1), None, (cs, ce), comp, False, None)
