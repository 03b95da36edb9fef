"""Cues that are not verbs of saying: 'according to X', reporting nouns ('the claim that'),
transcript lines ('PENCE: ...') and dash bylines ('“...” ― Carla Sanchez, 34').

They yield ``Attribution`` tuples like the verb rules of ``.cues``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from spacy.tokens import Doc, Token

from ...entities.lexicon import gazetteer_names
from ...spans import DASHES, LONG_DASHES, clamp, clean_span, paragraph, subject_of, tokens_with
from .cues import command, mentions_by_token, root_in
from .lexicon import Attribution, is_cue_lemma, lexicon, reporting_nouns, verb_class, wordnet_lexicon
from .quotes import quote_root

# Editorial labels that end in a colon but name no speaker ("Correction: An earlier version ...").
LABELS = {"correction", "corrections", "clarification", "update", "updated", "video", "photo", "photos",
          "watch", "listen", "related", "note", "editor", "disclaimer", "advertisement", "source",
          "sources", "credit", "caption", "read", "more", "see", "also", "transcript", "live", "breaking",
          "exclusive", "opinion", "analysis", "graphic", "map", "chart", "audio", "gallery", "slideshow",
          "image", "images", "header", "letters", "review"}
# Frames every reporting noun takes besides its lexicon frames: 'his decision to ...' (only with a
# source: 'the decision to leave' is nobody's report), 'questions about how he ...'.
EXTRA_FRAMES = ("to", "about")
OWNED_PREPS = ("of",)    # a reporting noun's owned object: 'Trump's criticism of the deal'
# 'By one estimate', 'by some accounts': a quantified 'by' phrase is a source, 'by the debate' a time.
QUANTIFIERS = {"one", "some", "many", "most", "all", "several", "any"}
# Nouns of counting that are a source only in such a phrase ('by one count', 'by most accounts').
TALLY_NOUNS = {"account", "count", "tally"}
# Fixed 'in/by + noun' phrases of English that frame no report ('in other words', 'in a sense',
# 'in view of') unless someone owns the noun ('in his view', 'in her own words').
DISCOURSE = {"word", "sense", "fact", "short", "turn", "addition", "contrast", "comparison", "effect",
             "particular", "general", "part", "practice", "theory", "principle", "response", "return",
             "order", "case", "way", "mind", "view"}
# Hearsay adverbs of English: the writer passes on a report without naming who made it ('He
# allegedly paid ...'). Inference adverbs ('apparently', 'presumably') are the writer's own guess.
HEARSAY = {"reportedly", "allegedly", "purportedly", "supposedly", "reputedly"}
# Nouns of a point of view that frame a clause only with a possessive owner ('in his eyes', 'in her
# estimation'); 'in the eyes of the law' or 'in the mind' frames no one's report.
VIEWPOINT = {"eye", "estimation", "judgment", "judgement", "reckoning"}
# Nouns of a held or stated position that head 'X's view is that ...' besides the reporting nouns.
STANCE_NOUNS = {"position", "view", "message", "word", "stance", "line", "take"}


def according_to(doc: Doc) -> Iterator[Attribution]:
    """'..., according to X': X is the speaker, the clause it modifies the content."""
    for t in tokens_with(doc, "lower", ["according"]):
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        source = _according_source(doc[t.i + 1])
        if source is None:
            continue
        sent = t.sent
        if t.head.i == t.i:                  # 'According' parsed as the root: no clause it frames
            continue
        head = t.head
        while head.dep_ in ("prep", "pobj") and head.head.i != head.i:
            head = head.head
        phrase = {x.i for x in t.subtree} | {t.i, t.i + 1}
        if head.pos_ not in ("VERB", "AUX"):
            head = t.sent.root
        head = _reported_clause(head, t)
        toks = [x.i for x in head.subtree if x.i not in phrase and not (x.is_punct or x.is_space)]
        left = [i for i in toks if i < t.i]
        right = [i for i in toks if i > max(phrase)]
        part = left if len(left) >= len(right) else right
        if not part:
            continue
        cs, ce = clamp(doc, (max(min(part), sent.start), min(max(part) + 1, sent.end)), t.i)
        cs, ce = clean_span(doc, cs, ce)
        if ce > cs:
            yield Attribution((t.i, t.i + 2), source, (cs, ce), head, False, None)


def _according_source(to: Token) -> Token | None:
    """Who 'according to' names: the object of 'to'; a noun phrase the tagger read as a verb
    phrase ('according to show insiders': 'show' a verb, 'insiders' its object)."""
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is not None:
        return obj
    comp = next((c for c in to.children if c.dep_ == "pcomp" and c.tag_ in ("VB", "VBP")), None)
    if comp is None:
        return None
    return next((c for c in comp.children if c.dep_ == "dobj"), comp)


def _reported_clause(head: Token, t: Token) -> Token:
    """The clause 'according to' frames. The parser may hang the phrase on a clause inside the
    sentence ('A would see incomes go up, according to X': on 'go'); unless that clause is what
    a cue verb reports ('she said, according to X, that ...'), the clause above it is framed."""
    while head.dep_ in ("ccomp", "advcl", "conj") and head.head.pos_ in ("VERB", "AUX") \
            and verb_class(head.head.lemma_.lower()) != "speech" \
            and not any(m.dep_ == "mark" and m.lower_ == "that" for m in head.children):
        head = head.head
    return head


def _noun_source(n: Token) -> Token | None:
    """Who the claim/report/plan belongs to: 'Trump's claim', 'a report by X', 'X made the claim'."""
    for c in n.children:
        if c.dep_ == "poss" or c.dep_ == "compound" and c.pos_ == "PROPN":
            return c
        if c.dep_ == "prep" and c.lower_ in lexicon()["source_preps"]:
            pobj = [p for p in c.children if p.dep_ == "pobj"]
            if pobj:
                return pobj[0]
    if n.dep_ in ("dobj", "attr") and n.head.pos_ in ("VERB", "AUX"):
        return subject_of(n.head)
    return None


def noun_cues(doc: Doc) -> Iterator[Attribution]:
    """Reporting nouns with a clause: 'the claim that ...', 'a notice saying ...', 'his plan to ...',
    'questions about how ...'; framing phrases ('In a poll released Monday, X led ...'), copulas
    ('his view is that ...') and hearsay adverbs ('X reportedly plans ...')."""
    lex, nouns = lexicon(), reporting_nouns()
    for n in tokens_with(doc, "lemma", nouns):
        if n.pos_ != "NOUN" or n.lemma_.lower() not in nouns:
            continue
        allowed = lex["noun_frames"].get(n.lemma_.lower(), lex.get("noun_default_frames", ["that"]))
        allowed = list(allowed) + [f for f in EXTRA_FRAMES if f not in allowed]
        owner = _noun_source(n)
        if "to" not in lex["noun_frames"].get(n.lemma_.lower(), []) and owner is None:
            allowed.remove("to")
        owned = owner is not None and owner.dep_ == "poss"       # what the owner's statement is about
        clause = None
        for c in n.children:
            if c.i < n.i:
                continue
            marks = {m.lower_ for m in c.children if m.dep_ in ("mark", "aux")}
            if c.dep_ in ("acl", "ccomp", "relcl") and "that" in allowed and "that" in marks \
                    and not any(x.dep_ in ("nsubj", "dobj") and x.lower_ in ("that", "which") for x in c.children):
                clause = c
            elif c.dep_ in ("acl", "relcl") and "to" in allowed and "to" in marks:
                clause = c
            elif c.dep_ == "prep" and (c.lower_ in allowed and c.lower_ != "to" or owned and c.lower_ in OWNED_PREPS
                                         and c.i == n.i + 1 and any(p.dep_ == "pobj" for p in c.children)):
                clause = c
            if clause is not None:
                break
        if clause is None:
            continue
        start = clause.i + 1 if clause.dep_ == "prep" else clause.left_edge.i
        cs, ce = clean_span(doc, *clamp(doc, (start, _about_end(n, clause)), n.i))
        if ce > cs:
            root = root_in(doc, cs, ce)
            cue_e = clause.i + 1 if clause.dep_ == "prep" and clause.lower_ in OWNED_PREPS else n.i + 1
            yield Attribution((n.i, cue_e), owner, (cs, ce), root, False, None)
    yield from frame_cues(doc)
    yield from copula_cues(doc)
    yield from hearsay_cues(doc)


def _about_end(n: Token, clause: Token) -> int:
    """End of a reporting noun's content; 'questions about X' takes the phrases that follow X on the
    noun or its verb ('faced questions about practices at a foundation', '... during the debate')."""
    end = clause.right_edge.i + 1
    if clause.dep_ == "prep" and clause.lower_ == "about":
        kids = list(n.children) + (list(n.head.children) if n.dep_ == "dobj" else [])
        end = max([end] + [c.right_edge.i + 1 for c in kids if c.dep_ == "prep" and c.i > clause.right_edge.i])
    return end


def _clause_without(v: Token, skip: set[int]) -> tuple[int, int]:
    """Token bounds of v's clause without the tokens in skip and v's leading 'after', 'and'."""
    doc = v.doc
    toks = [x.i for x in v.subtree if x.i not in skip
            and not (x.head.i == v.i and x.i < v.i and x.dep_ in ("mark", "cc", "punct"))]
    if not toks:
        return v.i, v.i
    return clean_span(doc, *clamp(doc, (min(toks), max(toks) + 1), v.i))


def hearsay_cues(doc: Doc) -> Iterator[Attribution]:
    """'The company reportedly plans to ...', 'after he allegedly paid ...': a report with no
    speaker; the content is the clause the adverb modifies."""
    for t in tokens_with(doc, "lower", HEARSAY):
        v = t.head
        if t.lower_ not in HEARSAY or t.dep_ != "advmod" or v.pos_ not in ("VERB", "AUX"):
            continue
        cs, ce = _clause_without(v, {t.i})
        if ce - cs >= 2:
            yield Attribution((t.i, t.i + 1), None, (cs, ce), v, False, None)


@lru_cache(maxsize=1)
def copula_nouns() -> frozenset[str]:
    """Reporting nouns and stance nouns that can own a view ('his view is that ...')."""
    return reporting_nouns() | STANCE_NOUNS


def copula_cues(doc: Doc) -> Iterator[Attribution]:
    """'Trump's view is that ...', 'The word from the White House is that ...': an owned reporting
    noun, subject of 'be' with a that-clause. Without an owner ('the criticism is that') no cue."""
    nouns = copula_nouns()
    for n in tokens_with(doc, "lemma", nouns):
        if n.pos_ != "NOUN" or n.dep_ != "nsubj" or n.head.lemma_ != "be" or n.lemma_.lower() not in nouns:
            continue
        owner = _noun_source(n)
        comp = next((c for c in n.head.children if c.dep_ == "ccomp" and c.i > n.head.i
                     and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if owner is None or comp is None:
            continue
        cs, ce = clean_span(doc, *clamp(doc, (comp.left_edge.i, comp.right_edge.i + 1), n.i))
        if ce - cs >= 3:
            yield Attribution((n.i, n.i + 1), owner, (cs, ce), comp, False, None)


def frame_cues(doc: Doc) -> Iterator[Attribution]:
    """'In a poll released Monday, Clinton led ...', 'In his view, ...', 'By her own admission, ...':
    a phrase headed by a reporting or inquiry noun before the main verb frames its clause; after
    it, a 'by' phrase with an owner or quantifier ('..., by one estimate'). The speaker is the
    noun's owner ('his view', 'the words of X'), the inquiry itself ('this poll'), or else the
    clause's subject ('In a statement, Clinton was circumspect')."""
    nouns, inquiry = reporting_nouns(), set(wordnet_lexicon().get("inquiry_nouns", []))
    for p in tokens_with(doc, "lower", ["in", "by"]):
        h = p.head
        if p.dep_ not in ("prep", "agent") or h.pos_ not in ("VERB", "AUX") or is_cue_lemma(h.lemma_.lower()) \
                or p.dep_ == "agent" and p.i < h.i:
            continue
        n = next((c for c in p.children if c.dep_ == "pobj"), None)
        lem = n.lemma_.lower() if n is not None else ""
        if n is None or n.pos_ != "NOUN" or lem not in nouns and lem not in inquiry and lem not in TALLY_NOUNS \
                and lem not in VIEWPOINT or p.i > h.i and p.lower_ != "by" and lem not in VIEWPOINT:
            continue                                # after the verb: 'by one estimate', 'in his eyes'
        owner = next((c for c in n.children if c.dep_ == "poss"), None) or _noun_source(n)
        if owner is None and lem == "word":         # 'in the words of the mayor'
            owner = next((o for c in n.children if c.dep_ == "prep" and c.lower_ == "of"
                          for o in c.children if o.dep_ == "pobj"), None)
        if lem in DISCOURSE and owner is None or lem in VIEWPOINT and (owner is None or owner.dep_ != "poss"):
            continue                                # 'in other words', but 'in his view', 'in her eyes'
        quantified = any(c.lower_ in QUANTIFIERS for c in n.children)
        if p.lower_ == "by" and owner is None and not quantified or lem in TALLY_NOUNS and not (quantified or owner):
            continue                                # 'by the second debate' is a time
        if p.i > h.i and not quantified and not any(c.lower_ == "own" for c in n.children) and lem not in VIEWPOINT:
            continue                                # 'swayed by Obama's announcement' is an agent
        subj = next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
        if p.i > h.i:                               # '..., by one estimate': the clause before it
            cs, ce = _clause_without(h, {x.i for x in h.subtree if x.i >= p.i})
        else:
            right = [x.i for x in h.subtree if x.i > p.right_edge.i]
            cs, ce = clean_span(doc, *clamp(doc, (min(right), max(right) + 1), p.i)) if right else (0, 0)
        if subj is None or ce <= cs:
            continue
        speaker = owner or (n if lem in inquiry or quantified else subj)
        yield Attribution((p.i, n.i + 1), speaker, (cs, ce), root_in(doc, cs, ce), False, None)


def colon_cues(doc: Doc) -> Iterator[Attribution]:
    """Transcript and headline lines 'PENCE: Well, ...', 'Poll: voters ...' (a name, a colon); the
    name may follow a lead set off by a dash ('EXCLUSIVE – Roger Stone: ...', '... - HuffPollster:
    “...”') and carry an occasion ('Mukasey at RNC: ...', 'CNN President On Trump: ...')."""
    for t in tokens_with(doc, "orth", [":"]):
        if t.text != ":" or t.i < 1:
            continue
        ps, pe = paragraph(doc, t.i)
        ps = max([ps] + [x.i + 1 for x in doc[ps:t.i] if x.text in DASHES and x.whitespace_])
        while ps < t.i and (doc[ps].is_punct or doc[ps].is_space):
            ps += 1
        name = doc[ps:t.i]
        label = speaker_label(name)
        if not 1 <= len(name) <= 6 or not label and not all(   # 'SANDERS:', 'TODD:' (tagged as a verb, an adjective)
                x.pos_ in ("PROPN", "NOUN") or x.text in (".", "'s") or x.pos_ == "ADJ" and x.is_title and x.i < t.i - 1
                or x.pos_ == "ADP" and ps < x.i < t.i - 1 for x in name):
            continue       # 'Former AG Mukasey at RNC', 'Council on Foreign Relations': a title's words
        if not name[0].is_title and not name[0].is_upper or any(x.lower_ in LABELS for x in name) \
                or not can_say(name.root):
            continue
        cs, ce = clean_span(doc, t.i + 1, pe)
        if ce - cs < 3 or not (any(x.pos_ in ("VERB", "AUX", "ADJ") for x in doc[cs:ce]) or _headline(doc[cs:ce])) \
                or all(x.is_upper for x in name if x.is_alpha) and _asserts_nothing(doc[t.i + 1:pe]):
            continue
        yield Attribution((t.i, t.i + 1), name.root, (cs, ce), root_in(doc, cs, ce), False, None, (ps, t.i))


def can_say(head: Token) -> bool:
    """A colon line's name can have said what follows: not a place the gazetteer knows
    ('Kigali:', 'NEW DELHI:', 'Iowa:' before a list of names; the model takes a headline's 'Lagarde:'
    for a place too). The tagger's part of speech says nothing here ('TAPPER', 'Milbank' and
    'Newspaper' are all nouns to it)."""
    ent = mentions_by_token(head.doc).get(head.i)
    return ent is None or ent.label_ != "place" or not {ent.text, ent.text.title()} & gazetteer_names()


def speaker_label(name) -> bool:
    """A transcript's speaker label before its colon: one to three words in capitals ('HOLT',
    'HILLARY CLINTON'), whatever the tagger makes of them."""
    return 1 <= len(name) <= 3 and all(x.is_upper and x.is_alpha and len(x) > 1 for x in name)


def in_turn(doc: Doc, i: int) -> bool:
    """Token i is in a transcript turn: its paragraph opens with a speaker label and a colon."""
    ps, pe = paragraph(doc, i)
    colon = next((x.i for x in doc[ps:min(pe, ps + 4)] if x.text == ":"), None)
    return colon is not None and speaker_label(doc[ps:colon])


def _asserts_nothing(turn) -> bool:
    """A transcript turn of questions and commands only ('HOLT: Is it President Obama's fault?',
    'Thank you, Senator. Go ahead.') asserts nothing. In the CLEF-2019 debate transcripts 0.7% of
    such sentences are check-worthy claims, 2.9% of the others."""
    doc = turn.doc
    for s in turn.sents:
        s = doc[max(s.start, turn.start):min(s.end, turn.end)]
        words = [x for x in s if not (x.is_space or x.is_quote)]
        if not words or words[-1].text == "?":
            continue
        root = s.root           # a command ('Go ahead', 'Thank you'): a present verb with no subject
        if not command(root) or root.ent_type_:
            return False
    return True


def _headline(span) -> bool:
    """Words in title case ('Clinton Email Scandal Disqualifies Her'): the tagger reads a
    headline's verbs as names, so a title-case line counts as a statement."""
    words = [x for x in span if x.is_alpha]
    return len(words) >= 3 and sum(x.is_title or x.is_upper for x in words) >= 0.8 * len(words)


def dash_cues(doc: Doc, quotes: list[tuple[int, int]], text: str | None = None) -> Iterator[Attribution]:
    """'“...” ― Carla Sanchez, 34' (same or next line): the quote before the dash is the name's."""
    text = doc.text if text is None else text
    if not any(d in text for d in LONG_DASHES):
        return
    for t in doc:
        if not t.text or t.text[-1] not in LONG_DASHES or any(ch not in "”\"'’" for ch in t.text[:-1]):
            continue
        ps, pe = paragraph(doc, t.i)
        before = [x for x in doc[max(0, t.i - 4):t.i] if not x.is_space]
        if t.i != ps and len(t) == 1 and not (before and before[-1].is_quote):
            continue
        n0 = next((x.i for x in doc[t.i + 1:pe] if not x.is_space), pe)      # after a no-break space
        e = next((x.i for x in doc[n0:pe] if x.text in (",", "(")), pe)
        while e > n0 and (doc[e - 1].is_punct or doc[e - 1].is_space):
            e -= 1                                  # 'Steve Quinlan.'
        if e <= n0 or not all(x.pos_ == "PROPN" or x.is_punct or x.is_space for x in doc[n0:e]):
            continue
        if t.i == ps:                               # the quote is the line above
            if ps < 2:
                continue
            qs, qe = paragraph(doc, ps - 2)
            qs = max(qs, paragraph(doc, ps - 1)[0]) if doc[ps - 1].is_space and qs > ps else qs
        else:
            qs, qe = ps, t.i
        cs, ce = clean_span(doc, qs, qe)
        if ce - cs < 3 or not (doc[qs].is_quote or doc[qs].is_punct or len(t) > 1):
            continue
        if ce > cs:
            name = doc[n0:e]
            yield Attribution((t.i, t.i + 1), name.root, (cs, ce), quote_root(doc, cs, ce), True, None, (n0, e))
