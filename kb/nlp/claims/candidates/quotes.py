"""Direct quotes: spans inside quotation marks and how they attach to a cue.

Quotation marks understood: curly “...”, straight "...", doubled apostrophes ''...''
(a common newswire convention). A quote never crosses a paragraph; an opening mark
without a closing one runs to the end of its paragraph (never an error). A quote
broken by its cue ("X," she said, "Y") is joined into one content span, even when the piece
before the cue is a single word ("That," he added, "...").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ...spans import paragraph

PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
QUOTE = re.compile(r"“[^“”\n]*(”|$)|\"[^\"\n]*(\"|$)|(?<!\w)''(?:(?!'')[^\n])*(''|$)", re.M)
GAP_DEPS = ("aux", "auxpass", "neg", "advmod", "npadvmod", "prt", "prep", "pobj", "dative", "dobj",
            "det", "amod", "compound")
MAX_GAP = 12
MIN_QUOTE = 3
CONTENT_MARKS = ("that", "whether", "if")


def adverbial(c: Token) -> bool:
    """A clause opened by a subordinator other than that/whether/if ('..., she said, as fighters
    worked out', 'said before he died'), even when parsed as the cue's complement: when or why
    it was said, not what."""
    return any(m.dep_ == "mark" and m.i < c.i and m.lower_ not in CONTENT_MARKS for m in c.children)


_LAST: list = [None, []]


def quote_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """Token spans inside quotation marks, in text order (marks excluded)."""
    if _LAST[0] is doc:                  # asked again for the same doc (claims, then modality)
        return _LAST[1]
    text, spans = doc.text if text is None else text, []
    for para in PARAGRAPH.finditer(text):
        p0, ptxt = para.start(), para.group()
        for m in QUOTE.finditer(ptxt):
            opener = 2 if m.group().startswith("''") else 1
            closed = next((g for g in m.groups() if g), "")
            s, e = p0 + m.start() + opener, p0 + m.end() - len(closed)
            sp = doc.char_span(s, e, alignment_mode="expand") if e > s else None
            if sp is not None and len(sp) > 0:
                spans.append((sp.start, sp.end))
    _LAST[:] = [doc, spans]
    return spans


def in_quote(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    """The quote holding token i, if any."""
    return next(((s, e) for s, e in quotes if s <= i < e), None)


def quote_root(doc: Doc, s: int, e: int) -> Token:
    """Main verb of the first sentence inside a quote."""
    sent = doc[s].sent
    roots = [t for t in doc[s:e] if t.head.i < s or t.head.i >= e or t.head == t]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")] or roots or [sent.root]
    return verbs[0]


def _gap_ok(doc: Doc, gap: range, allowed: set[int]) -> bool:
    return all(doc[i].is_punct or doc[i].is_space or i in allowed
               or doc[i].head.i in allowed and doc[i].dep_ in GAP_DEPS for i in gap)


def _colon_break(doc: Doc, gap: range, after: bool) -> bool:
    """'He said:' at the end of a line, the quote in the next paragraph."""
    toks = [doc[i] for i in gap]
    return after and any(t.text == ":" for t in toks) and all(t.is_punct or t.is_space or t.i in (gap[0],) and t.dep_ in ("advmod", "npadvmod") for t in toks)


def _opens_outside(doc: Doc, c: Token, quotes: list[tuple[int, int]]) -> bool:
    """Clause c starts before the quote it ends in: 'insisted that X "stop ..."' is the cue's own."""
    first = next((t for t in c.subtree if not t.is_punct), c)
    finite = any(x.dep_ in ("nsubj", "nsubjpass", "mark") for x in c.children)
    close = not any(t.text == "," for t in doc[c.head.i:first.i])
    return finite and close and in_quote(quotes, first.i) is None


def adjacent_quote(doc: Doc, v: Token, quotes: list[tuple[int, int]],
                   speaker: Token | None) -> tuple[int, int] | None:
    """A direct quote right before ('“...,” she said') or after ('he said: “...”') the cue v."""
    ps, pe = paragraph(doc, v.i)
    allowed = {v.i} | ({t.i for t in speaker.subtree} if speaker is not None else set())
    allowed |= {c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "npadvmod", "prt")}
    comps = [c for c in v.children if c.i > v.i and c.dep_ in ("dative", "dobj", "prep", "npadvmod")]
    for qs, qe in quotes:
        if qs <= v.i < qe or qe - qs < MIN_QUOTE and not (qe <= v.i and _resumes(doc, v, quotes, pe)):
            continue
        gap = range(qe, v.i) if qe <= v.i else range(v.i + 1, qs)
        if len(gap) > MAX_GAP + len(allowed) or sum(i not in allowed for i in gap) > MAX_GAP:
            continue                   # speaker words do not count towards the gap
        if any("\n" in doc[i].text for i in gap) and not _colon_break(doc, gap, qs > v.i):
            continue
        if any(c.dep_ == "ccomp" and not qs <= c.i < qe and ps <= c.i < pe and not adverbial(c)
               and (qs > v.i or c.i > v.i and (in_quote(quotes, c.i) is None or _opens_outside(doc, c, quotes)))
               and not (speaker is not None and c.i > v.i and speaker in c.subtree)
               for c in v.children):
            continue                   # the cue has its own clause: the quote is someone else's (not
            # '“...,” said Robin Maynard, half joking', the speaker's words parsed as a clause)
        before = set()
        if qs > v.i and any(doc[i].text in (".", "?", "!") for i in gap):
            continue                   # 'That worries X. “...”': the quote opens a sentence of its own
        if qs > v.i:               # 'told his audience on Monday, “...”' but not 'admires X as a “strong leader”'
            if any(c.left_edge.i < qs and c.right_edge.i >= qe - 1 for c in comps):
                continue
            before = {t.i for c in comps if c.right_edge.i < qs for t in c.subtree}
        if _gap_ok(doc, gap, allowed | before):
            return qs, qe
    return None


def _resumes(doc: Doc, v: Token, quotes: list[tuple[int, int]], pe: int) -> bool:
    """The speaker's words go on in a quote after the cue's sentence ('“Okay,” I said,
    attempting to regroup. “I was seventeen ...”'): a quote before the cue too short to stand
    alone ('“Okay,”') is their start."""
    nxt = next((s for s, _ in quotes if s > v.i), None)
    return nxt is not None and nxt < pe and all(
        t.is_punct or t.is_space or v in t.ancestors for t in doc[v.i + 1:nxt])


def following_quote(doc: Doc, quotes: list[tuple[int, int]], after: int,
                    allowed: set[int]) -> tuple[int, int] | None:
    """The quote that resumes after token `after` in the same paragraph ('..., she said, “Y”')."""
    pe = paragraph(doc, after)[1]
    for qs, qe in quotes:
        if qs <= after or qs >= pe:
            continue
        gap = range(after + 1, qs)
        if len(gap) <= 3 * MAX_GAP and _gap_ok(doc, gap, allowed) and not _phrase(doc, qs, qe, pe):
            return qs, qe
        return None
    return None


def opening_piece(doc: Doc, quotes: list[tuple[int, int]], qs: int, cue: set[int]) -> int:
    """Start of a quote broken by its cue when the piece before the cue is short ('“That,” he
    added, “promises to make life harder”'): the piece opens the sentence and only the cue's
    words (`cue`) and punctuation stand between it and the quote at `qs`; else `qs`."""
    prev = next(((s, e) for s, e in reversed(quotes) if e <= qs), None)
    if prev is None or doc[prev[0]].sent != doc[qs].sent:
        return qs
    before = [t for t in doc[doc[qs].sent.start:prev[0]] if not (t.is_punct or t.is_space)]
    gap = [t for t in doc[prev[1]:qs] if not (t.is_punct or t.is_space) and t.i not in cue]
    return prev[0] if not before and not gap and min(cue) >= prev[1] else qs


def _phrase(doc: Doc, qs: int, qe: int, pe: int) -> bool:
    """A quote of less than a sentence that the writer's words go on after ('“blame the
    workers” for it'): a phrase of the writer's sentence, not the speaker's words resumed."""
    if any(doc[k].text in (".", "?", "!") for k in range(qs, qe - 1)):
        return False
    i = qe
    while i < pe and (doc[i].is_quote or doc[i].is_space):
        i += 1
    return i < pe and not doc[i].is_punct


def opens_paragraph(doc: Doc, qs: int, text: str | None = None) -> bool:
    """The quote starting at token qs is the first thing of its paragraph (pass doc.text
    as `text` when calling in a loop: building it is costly)."""
    text = doc.text if text is None else text
    i = doc[qs].idx - 2
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"
