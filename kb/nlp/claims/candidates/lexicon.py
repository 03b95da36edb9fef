"""The lexicons of the cue rules and the ``Attribution`` tuple they yield.

``kb/data/cues.json`` (the hand lexicon: verb lemmas by class, frames, reporting nouns) and
``kb/data/wordnet_cues.json`` (built by ``kb.nlp.wordnet_build`` from WordNet 3.0: cue verbs,
speaker, reporting and feeling nouns, aim verbs). Every claim module reads its words here.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from spacy.tokens import Doc, Token

CLASS_ORDER = ("speech", "future", "hedge", "knowledge", "evidence", "demand", "intent", "stance")
# 'find it hard to ...': adjectives of effort after an evidence verb's expletive object.
EFFORT_ADJECTIVES = frozenset({"difficult", "hard", "easy", "impossible", "tough", "easier", "harder"})
# Passives that are modal idioms, not reports: 'X was supposed to ...' (X should have, X was meant to).
MODAL_PASSIVES = frozenset({"suppose"})
# Objects of a speech verb that stand for the words said ('said the same thing', 'said his piece').
WORDS_OBJECTS = frozenset({"same", "thing", "much", "something", "everything", "anything", "nothing", "little",
                           "lot", "piece", "word", "more", "less", "all"})


# Speech verbs whose to-infinitive is what the subject claims of itself ('claims to have seen
# the suspect', 'professed to know nothing'), not a purpose or a plan.
INFINITIVE_CLAIMS = frozenset({"claim", "profess", "purport"})
# Nouns of possibility and belief that carry a that-clause ('raised the prospect that ...') and
# that neither the hand lexicon nor WordNet's reporting or feeling nouns list.
IDEA_NOUNS = frozenset({"possibility", "prospect", "idea", "likelihood", "probability", "chance", "specter",
                        "spectre", "impression", "perception", "worry", "optimism", "confidence", "sense"})


# Pronouns of an indefinite "any" that name no one who spoke ('anyone wanting to learn more').
NO_ONE = frozenset({"anyone", "anybody", "whoever"})
# Classes a passive judges with ('X was charged with ...'): negated, no one judged ('never charged').
JUDGING_CLASSES = ("stance", "evidence", "speech")


class Attribution(NamedTuple):
    cue: tuple[int, int]            # token span of the cue words
    speaker: Token | None           # head of the speaker phrase
    content: tuple[int, int]        # token span of the content
    root: Token | None              # main verb of the content
    direct: bool                    # content is a direct quote
    via: Token | None               # head of an intermediary phrase
    speaker_span: tuple[int, int] | None = None   # explicit speaker tokens (headlines)

    def reports_nothing(self, doc: Doc) -> bool:
        """A reading that attributes nothing: a speaker that names no one ('before anyone disclosed
        the names', 'anyone wanting to learn more'); a negated passive judgment with no source
        ('has never been charged with any crime', 'Neither X nor Y has been accused of ...'); a passive
        verb of perceiving with an -ing clause ('can be heard yelling'); the discourse marker
        'you know,' / 'ya know,' / 'you see,' (the words after the comma are the speaker's own, not 'you''s);
        a verb under 'let' ('Let's talk about issues', 'let me tell you', 'Let's focus on
        understanding ...'): a proposal, no report."""
        v = doc[self.cue[0]]
        if self.speaker is not None:
            you_know = self.speaker.lower_ in ("you", "ya") and self.speaker.i == v.i - 1 and v.tag_ == "VBP" \
                and v.i + 1 < len(doc) and doc[v.i + 1].text == ","
            h = self.speaker.head            # the speaker's verb under 'let', the cue in its clause
            let = h.head.lemma_ == "let" and h.dep_ in ("ccomp", "xcomp") and h.left_edge.i <= v.i <= h.right_edge.i
            return self.speaker.lower_ in NO_ONE or you_know or let
        passive = any(c.dep_ == "auxpass" for c in v.children)
        if passive and any(c.dep_ == "xcomp" and c.tag_ == "VBG" and not any(a.dep_ == "aux" for a in c.children)
                           for c in v.children):   # not 'are reported to be leaking'
            return True                    # 'she can be heard yelling': an event perceived, no report
        if verb_class(v.lemma_.lower()) not in JUDGING_CLASSES or not passive or any(c.dep_ == "xcomp" for c in v.children):
            return False
        subj = [c for c in v.children if c.dep_ == "nsubjpass"]
        return any(c.dep_ == "neg" for c in v.children) or any(
            x.dep_ in ("preconj", "det") and x.lower_ == "neither" for s in subj for x in s.children)    # not 'no deaths were reported'


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """kb/data/cues.json, with a lemma -> class map added under "class_of"."""
    data = json.loads(resources.files("kb").joinpath("data/cues.json").read_text(encoding="utf-8"))
    class_of: dict[str, str] = {}
    for cls in CLASS_ORDER:
        for lem in data["verbs"].get(cls, []):
            class_of.setdefault(lem, cls)
    data["class_of"] = class_of
    data["noun_set"] = set(data["nouns"])
    data["media_set"] = set(data["media_nouns"])
    data["object_set"] = set(data.get("object_content", []))
    data["told_to"] = set(data.get("told_to", []))
    data["cue_lemmas"] = sorted(set(class_of) | set(data["verb_preps"]) | set(data.get("idioms", {})))
    return data


def verb_class(lem: str) -> str | None:
    """The cue class of a verb lemma (speech, future, hedge, ...), or None."""
    return lexicon()["class_of"].get(lem)


def is_cue_lemma(lem: str) -> bool:
    return lem in lexicon()["class_of"]


def no_finding(v: Token) -> bool:
    """'found ways to make the code work', 'find it difficult to repeat': an evidence verb in
    its everyday sense, finding a means or an effort, not a fact."""
    for c in v.children:
        if c.dep_ == "dobj" and c.lemma_.lower() == "way":
            return True
        if c.dep_ in ("oprd", "ccomp", "acomp") and c.lemma_.lower() in EFFORT_ADJECTIVES and any(
                x.lower_ == "it" and x.dep_ in ("dobj", "nsubj") for x in list(v.children) + list(c.children)):
            return True                    # 'find it hard' (parsed with 'it hard' a clause or not)
    return False


@lru_cache(maxsize=1)
def wordnet_lexicon() -> dict:
    """kb/data/wordnet_cues.json, with the speaker nouns as a set."""
    data = json.loads(resources.files("kb").joinpath("data/wordnet_cues.json").read_text(encoding="utf-8"))
    data["speaker_set"] = set(data["speaker_nouns"])
    return data


@lru_cache(maxsize=1)
def aim_verbs() -> frozenset[str]:
    """WordNet's verbs of effort or purpose with a to-infinitive ('try', 'strive', 'push', 'aim'),
    less those the hand lexicon reads as saying or thinking ('think', 'purport to')."""
    lex = lexicon()
    return frozenset(v for v in wordnet_lexicon().get("aim_verbs", ()) if v not in INFINITIVE_CLAIMS
                     and lex["class_of"].get(v) not in ("speech", "hedge", "knowledge"))


@lru_cache(maxsize=1)
def reporting_nouns() -> frozenset[str]:
    """The hand lexicon's nouns and WordNet's reporting nouns whose verb is a cue verb
    ('decision' from 'decide', 'remark' from 'remark')."""
    lex, wn = lexicon(), wordnet_lexicon()
    cue_verbs = set(lex["class_of"]) | set(wn["verbs"])
    return frozenset(lex["noun_set"] | {n for n, vs in wn.get("reporting_nouns", {}).items()
                                        if any(v in cue_verbs for v in vs)})


@lru_cache(maxsize=1)
def _verb_files() -> dict[str, str]:
    return {v: f for f, verbs in wordnet_lexicon().get("verb_files", {}).items() for v in verbs}


def verb_file(lemma: str) -> str:
    """WordNet's lexicographer file of a verb's most frequent sense ("pass": motion, "list":
    communication, "affect": change); "unknown" for a verb WordNet lacks."""
    return _verb_files().get(lemma, "unknown")


def speaker_nouns() -> set[str]:
    """WordNet nouns for people and groups ("analyst", "police")."""
    return wordnet_lexicon()["speaker_set"]
