"""Portrayals, ratings, omissions, public judgments and messages put out: "X sees Y as Z",
"X called Y a Z", "Y is considered a Z" (no source), "The report does not include Y",
"X faced criticism for Y", "X unleashed a series of tweets shaming Y".

These are claims whose cue verb takes an object rather than a clause: the content is the object
together with what it is said to be ("Y as Z", "Y a Z"), what was left out, what was judged, or
the message itself, as PolNeAR and similar attribution schemes mark it. The words are short hand
lists of English: verbs of regarding and depicting (REGARD), of rating (RATED: their agentless
passive rates the subject), of covering a topic (COVER: negated, "X did not address Y" says what
a speech or a document left out), nouns of public judgment with the verbs that meet them
(JUDGMENT_NOUNS, MEET) and verbs of putting out a message with the messages (ISSUE, MESSAGES).
Verbs the hand lexicon knows (``describe``, ``call``) are read first by ``.cues``; these
rules only add the readings it leaves (claims assembly keeps the first reading of a cue).
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Token

from ...spans import clamp, clean_span, subject_of, tokens_with, trimmed
from .cues import SELF, not_asserted, root_in
from .lexicon import Attribution, is_cue_lemma
from .quotes import in_quote
from .wordnet_cues import speaker_like

# Verbs of regarding and depicting that take "OBJECT as PREDICATE" or "OBJECT PREDICATE".
REGARD = frozenset({
    "see", "view", "regard", "perceive", "consider", "deem", "judge", "rate", "rank", "paint", "portray",
    "depict", "cast", "characterize", "characterise", "describe", "label", "brand", "dub", "call", "term",
    "identify", "specify", "cite", "hail", "tout", "praise", "laud", "denounce", "condemn", "dismiss",
    "deride", "mock", "ridicule", "criticize", "criticise", "attack", "blast", "slam", "pound", "rip",
    "lambaste", "castigate", "decry", "bill", "frame", "present", "envision", "picture", "pigeonhole",
    "peg", "tar", "caricature"})
# Verbs whose passive without an agent reports a rating ("it is considered a threat").
RATED = frozenset({"consider", "deem", "judge", "rate", "rank", "label", "dub", "brand", "regard", "view",
                   "term", "characterize", "characterise", "describe"})
# Verbs of covering a topic: negated, they report what a speech or document left out.
COVER = frozenset({"include", "address", "identify", "single", "specify", "mention", "name", "discuss",
                   "detail", "reference", "list", "cite"})
WH = {"WDT", "WP", "WRB"}
# Verbs of putting out a message and the messages they put out: "X issued a statement", "X sent a
# letter", "X unleashed a series of tweets".
ISSUE = frozenset({"issue", "unleash", "deliver", "send", "sound", "release", "post", "pen", "publish"})
MESSAGES = frozenset({"statement", "tweet", "letter", "message", "speech", "ad", "advertisement", "paper", "memo",
                      "op-ed", "editorial", "column", "essay", "warning", "call", "appeal", "plea", "announcement",
                      "communique", "ultimatum", "rebuttal", "retort", "apology", "declaration", "proclamation"})
FRAME_MARKS = {"as", "when", "while", "after", "before", "because", "since", "until"}   # the writer's framing clause
RUNS = frozenset({"flurry", "series", "barrage", "stream", "volley", "string", "torrent", "spate"})
# Nouns of public judgment and the verbs by which someone meets them: "X faced sharp criticism for Y",
# "X is drawing criticism", "X drew praise from Y".
JUDGMENT_NOUNS = frozenset({"criticism", "ridicule", "condemnation", "mockery", "derision", "backlash", "censure",
                            "rebuke", "scorn", "praise", "acclaim", "heat", "flak"})
MEET = frozenset({"face", "draw", "receive", "attract", "earn", "garner", "invite", "provoke", "spark", "take"})


def _predicate(v: Token, obj: Token) -> Token | None:
    """What the object is said to be: an 'as' phrase after it (on the verb or, misattached, on the
    object), or a second object/oprd."""
    for c in list(v.children) + [c for c in obj.children if c.dep_ == "prep"]:
        if c.i <= obj.i:
            continue
        if c.dep_ == "prep" and c.lower_ == "as" and any(p.dep_ in ("pobj", "pcomp") for p in c.children):
            return c
        if c.dep_ in ("oprd", "dobj") and c.i != obj.i:
            return c
    return None


def _object(v: Token) -> Token | None:
    """The object of a regarding verb ('called Trump a liar' may parse Trump as oprd)."""
    kids = [c for c in v.children if c.dep_ in ("dobj", "oprd")]
    return kids[0] if kids else None


def _subject(v: Token) -> Token | None:
    """The subject of v; a relative 'who' itself ('some who saw it as ...': who stands for them)."""
    return next((c for c in v.children if c.dep_ == "nsubj" and c.lower_ == "who"), None) or subject_of(v)


def _span(doc: Doc, s: int, e: int, anchor: int) -> tuple[int, int]:
    return clean_span(doc, *clamp(doc, (s, e), anchor))


def _own_claim(v: Token, speaker: Token | None, quotes: list[tuple[int, int]]) -> bool:
    """Not a question, a hypothesis, or the quoted speaker's own 'I see it as ...'."""
    if any(t.text == "?" for t in v.sent[-2:]) or not_asserted(v, None):
        return False
    return not (speaker is not None and speaker.lower_ in SELF and in_quote(quotes, v.i) is not None)


def regard_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'X sees Y as Z', 'X painted Y as Z', 'X called Y a Z': the object and its predicate."""
    for v in tokens_with(doc, "lemma", REGARD):
        if v.pos_ != "VERB" or v.lemma_.lower() not in REGARD \
                or any(c.dep_ in ("auxpass", "agent") for c in v.children):
            continue
        obj = _object(v)
        if obj is None or obj.tag_ in WH or obj.lower_ == "that":
            continue                          # 'what they see as ...': the relative clause's head
        pred = _predicate(v, obj)
        speaker = _subject(v)
        if pred is None or not speaker_like(speaker) or speaker.tag_ in WH and speaker.lower_ != "who" \
                or not _own_claim(v, speaker, quotes):
            continue
        cs, ce = _span(doc, obj.left_edge.i, pred.right_edge.i + 1, v.i)
        if ce - cs >= 2 and not cs <= speaker.i < ce:
            yield Attribution((v.i, v.i + 1), speaker, (cs, ce), root_in(doc, cs, ce), False, None)


def rated_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'Y is considered a threat', 'Y was rated as false': a rating with no source."""
    for v in tokens_with(doc, "lemma", RATED):
        if v.tag_ != "VBN" or v.lemma_.lower() not in RATED or not any(c.dep_ == "auxpass" for c in v.children) \
                or any(c.dep_ in ("agent", "dobj") for c in v.children):
            continue
        subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        pred = next((c for c in v.children if c.i > v.i and (c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as"
                     and any(p.dep_ in ("pobj", "pcomp") for p in c.children))), None)
        if subj is None or pred is None or subj.tag_ in WH or not _own_claim(v, None, quotes):
            continue
        cs, ce = _span(doc, subj.left_edge.i, pred.right_edge.i + 1, v.i)
        if ce - cs >= 3:
            yield Attribution((v.i, v.i + 1), None, (cs, ce), root_in(doc, cs, ce), False, None)


def omission_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'The recording does not include Y', 'He did not address Y': what was left out."""
    for v in tokens_with(doc, "lemma", COVER):
        if v.pos_ != "VERB" or v.lemma_.lower() not in COVER or not any(c.dep_ == "neg" for c in v.children):
            continue
        if v.lower_.startswith("single") and not any(c.dep_ == "prt" and c.lower_ == "out" for c in v.children):
            continue                          # 'single out' only
        obj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i), None)
        subj = subject_of(v)
        if obj is None or subj is None or subj.tag_ in WH and subj.lower_ != "who" or subj.lower_ in SELF \
                or not _own_claim(v, subj, quotes):
            continue
        end = obj.right_edge.i
        for c in obj.subtree:               # ', which occurred ...': an aside of the writer's
            if c.dep_ in ("relcl", "appos") and c.i > obj.i and doc[c.left_edge.i - 1].text == ",":
                end = min(end, c.left_edge.i - 2)
        cs, ce = _span(doc, obj.left_edge.i, end + 1, v.i)
        if ce > cs and not cs <= subj.i < ce:
            yield Attribution((v.i, v.i + 1), subj, (cs, ce), root_in(doc, cs, ce), False, None)


def message_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'X issued a statement ...', 'X unleashed a series of tweets shaming Y', 'X sent a letter to Z':
    a message put out by a speaker; the content is the message with what it says."""
    for v in tokens_with(doc, "lemma", ISSUE):
        if v.pos_ != "VERB" or v.lemma_.lower() not in ISSUE \
                or any(c.dep_ in ("auxpass", "agent", "neg") for c in v.children) \
                or v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            continue
        obj = next((c for c in v.children if c.dep_ == "dobj"), None)
        if obj is None or not _message(obj) or _says_itself(v, obj):
            continue
        speaker = _subject(v)
        if not speaker_like(speaker) or speaker.tag_ in WH and speaker.lower_ != "who" \
                or not _own_claim(v, speaker, quotes):
            continue
        tail = [c for c in v.children if c.i > obj.right_edge.i
                and (c.dep_ in ("prep", "dative") or c.dep_ == "advcl" and c.tag_ == "VBG")]
        stop = [t.left_edge.i for t in list(obj.subtree) + tail if t.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in FRAME_MARKS for m in t.children)]     # '... as he issued ...'
        end = min([max([obj.right_edge.i + 1] + [c.right_edge.i + 1 for c in tail])] + stop)
        cs, ce = _span(doc, obj.left_edge.i, end, v.i)
        if ce - cs >= 2 and not cs <= speaker.i < ce:
            yield Attribution((v.i, v.i + 1), speaker, (cs, ce), root_in(doc, cs, ce), False, None)


def _says_itself(v: Token, obj: Token) -> bool:
    """'a statement calling X Y', 'tweets saying that ...': the participle is the cue, read by .cues."""
    return any(c.dep_ == "acl" and is_cue_lemma(c.lemma_.lower()) for c in obj.children) or any(
        c.dep_ in ("acl", "advcl") and c.tag_ == "VBG" and is_cue_lemma(c.lemma_.lower())
        and any(x.dep_ == "ccomp" for x in c.children) for c in list(obj.subtree) + list(v.children))


def _message(obj: Token) -> bool:
    """A message noun ('a statement'), or a run of them ('a flurry of tweets')."""
    lem = obj.lemma_.lower()
    if lem in MESSAGES:
        return True
    return lem in RUNS and any(p.dep_ == "pobj" and p.lemma_.lower() in MESSAGES
                               for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children)


def judged_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """'X faced criticism for Y' (the content is Y), 'X is drawing criticism' (the content is X);
    the source is a 'from' phrase or no one."""
    for n in tokens_with(doc, "lemma", JUDGMENT_NOUNS):
        v = n.head
        if n.pos_ != "NOUN" or n.dep_ != "dobj" or v.lemma_.lower() not in MEET or v.pos_ != "VERB" \
                or in_quote(quotes, n.i) is not None:
            continue
        preps = {c.lower_: c for c in list(n.children) + list(v.children) if c.dep_ == "prep" and c.i > n.i}
        source = next((p for p in preps["from"].children if p.dep_ == "pobj"), None) if "from" in preps else None
        if "for" in preps and any(p.dep_ in ("pobj", "pcomp") for p in preps["for"].children):
            cs, ce = _span(doc, preps["for"].i + 1, preps["for"].right_edge.i + 1, n.i)
        else:
            subj = subject_of(v)
            if subj is None or subj.tag_ in WH or subj.pos_ == "PRON":
                continue
            cs, ce = _span(doc, *trimmed(subj), n.i)
        if ce > cs:
            yield Attribution((n.i, n.i + 1), source, (cs, ce), root_in(doc, cs, ce), False, None)


def portrayal_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """All readings of this module (see the module docstring)."""
    yield from regard_cues(doc, quotes)
    yield from rated_cues(doc, quotes)
    yield from omission_cues(doc, quotes)
    yield from judged_cues(doc, quotes)
    yield from message_cues(doc, quotes)
