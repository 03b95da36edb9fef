"""Token-span helpers over a parsed ``Doc`` shared by the claim rules.

Spans are ``(start, end)`` token indices, end exclusive. A paragraph is a run of
tokens between newlines: claims never cross one unless a rule says so (quotes).
"""
from __future__ import annotations

import bisect

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, ORTH
from spacy.tokens import Doc, Token

from .claims.candidates.lexicon import lexicon

TRIM_DEPS = {"appos", "relcl", "acl", "advcl", "punct", "parataxis", "cc"}
FIX_LEMMA = {"'s": "be", "’s": "be", "'re": "be", "’re": "be", "'m": "be", "’m": "be",
             "'ve": "have", "’ve": "have", "'d": "would", "’d": "would"}
RELATIVE = {"who", "that", "which", "whom"}
SAID_AMOUNT = {"this", "that", "much", "little", "plenty", "nothing", "something", "more", "lots"}
LONG_DASHES = {"–", "—", "―"}            # en dash, em dash, horizontal bar
DASHES = {"-", "--"} | LONG_DASHES


_BREAKS: list = [None, []]     # the last doc's line-break token indices


def _breaks(doc: Doc) -> list[int]:
    """Indices of the tokens holding a newline (computed once per doc)."""
    if _BREAKS[0] is not doc:
        space = numpy.nonzero(doc.to_array(IS_SPACE))[0].tolist() if len(doc) else []
        _BREAKS[0], _BREAKS[1] = doc, [i for i in space if "\n" in doc[i].text]
    return _BREAKS[1]


def paragraph(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the paragraph (line) holding token i."""
    br = _breaks(doc)
    k = bisect.bisect_left(br, i)
    s = br[k - 1] + 1 if k > 0 else 0
    e = br[k] if k < len(br) else len(doc)
    return s, e


def infix_hyphen(doc: Doc, k: int) -> bool:
    """Token k is a hyphen inside a word ('ex-partner', 'Yeung-tat'): no space on either side."""
    return 0 < k < len(doc) - 1 and doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_


def sentences_back(t: Token, n: int = 2) -> int:
    """Index of the first token of the sentence n sentences before t's (or of the text)."""
    start = t.sent.start
    for _ in range(n):
        if start > 0:
            start = t.doc[start - 1].sent.start
    return start


def clamp(doc: Doc, span: tuple[int, int], anchor: int) -> tuple[int, int]:
    """Restrict a token span to the paragraph of the anchor token."""
    ps, pe = paragraph(doc, anchor)
    return max(span[0], ps), min(span[1], pe)


def trimmed(tok: Token, drop: set[str] = TRIM_DEPS) -> tuple[int, int]:
    """The contiguous part of tok's subtree around tok, without appositions, clauses etc."""
    removed: set[int] = set()
    has_conj = any(x.dep_ == "conj" for x in tok.children)
    for c in tok.children:
        if c.dep_ in drop and not (c.dep_ == "cc" and has_conj):
            removed |= {t.i for t in c.subtree}
    keep = {t.i for t in tok.subtree} - removed
    s = e = tok.i
    while s - 1 in keep:
        s -= 1
    while e + 1 in keep:
        e += 1
    doc = tok.doc
    while s < e and (doc[s].is_punct or doc[s].is_space or doc[s].dep_ in ("cc", "mark")):
        s += 1
    while e > s and (doc[e].is_punct or doc[e].is_space or doc[e].dep_ == "cc"):
        e -= 1
    return s, e + 1


def clean_span(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Strip punctuation, quote marks, spaces and a leading 'that' from a token span."""
    while s < e and (doc[s].is_punct or doc[s].is_space
                     or doc[s].dep_ == "mark" and doc[s].lower_ == "that" and not _demonstrative(doc, s)):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


PAIRS = {"“": "”", "‘": "’", "``": "''", "«": "»", '"': '"', "(": ")", "[": "]"}
CLOSERS = {c: o for o, c in PAIRS.items()}


def closed_marks(doc: Doc, s: int, e: int) -> int:
    """End of span [s, e) taken past the mark that closes a quotation or bracket the span opens
    and leaves open ('his temperament is “dangerous for a president”', 'was “true,” he said',
    'Rep. John Culberson (R-TX)'), when the mark follows within the punctuation after it."""
    words = [t.text for t in doc[s:e]]
    for k in range(e, min(e + 3, len(doc))):
        t = doc[k]
        if not t.is_punct:
            break
        opener = CLOSERS.get(t.text)
        if opener == t.text and words.count(opener) % 2 or opener and words.count(opener) > words.count(t.text):
            return k + 1
    return e


def _demonstrative(doc: Doc, i: int) -> bool:
    """'said that claim smacked of ...': a 'that' parsed as a conjunction before a reporting
    noun with no article of its own that is the clause's subject points back to a statement."""
    n = doc[i + 1] if i + 1 < len(doc) else None
    return n is not None and n.tag_ == "NN" and n.dep_ in ("nsubj", "nsubjpass") and n.head.i == doc[i].head.i \
        and n.lemma_.lower() in lexicon()["noun_set"] and not any(c.dep_ in ("det", "poss") for c in n.children)


def subject_of(v: Token) -> Token | None:
    """nsubj/nsubjpass of v, or of the verb it shares a subject with (conj, xcomp, advcl)."""
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subj:
            s = subj[0]
            if s.lower_ in RELATIVE and v.dep_ == "relcl":
                return v.head
            if s.lower_ in SAID_AMOUNT and v.head.lemma_ == "have" and v.head.i < s.i and \
                    any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
                v = v.head           # "Berger had this to say": Berger (the object misparsed as subject)
                continue
            return s
        ctl = controller(v)
        if ctl is not None:
            return ctl
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            v = v.head
        elif v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
            v = v.head.head    # "X left after saying ...": the subject of the verb the phrase modifies
        elif v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head      # "Republicans, saying that ...": the noun it modifies
        else:
            return None
    return None


# verbs whose object is the subject of their to-infinitive ("asked him to leave"), not a purpose
# clause ("used the money to buy ...") nor a norm whose source is the law ("requires firms to disclose")
OBJECT_CONTROL = {"lead", "ask", "urge", "tell", "encourage", "persuade", "force", "allow", "prompt", "cause",
                  "convince", "invite", "warn", "order", "enable", "expect", "want", "get", "help",
                  "inspire", "drive", "push", "compel", "implore", "beg", "advise",
                  "instruct", "remind", "challenge", "press", "pressure", "permit", "authorize", "authorise",
                  "teach", "call", "believe", "consider", "leave", "let", "make", "need", "request", "motivate",
                  "spur", "entice", "tempt", "induce", "empower", "appoint", "elect", "recruit", "hire", "choose"}


def controller(v: Token) -> Token | None:
    """Object control: "this led scientists to believe ...", "urged Congress to act": the
    subject of the to-infinitive is the object of the verb above it, not its subject (not
    so for "promised voters to cut taxes" or a purpose: "used the money to buy")."""
    if v.dep_ != "xcomp" or v.head.i == v.i or not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return None
    head = v.head
    if head.lemma_.lower() not in OBJECT_CONTROL:
        return None
    return next((c for c in head.children if c.dep_ == "dobj" and c.i < v.i
                 and c.pos_ in ("NOUN", "PROPN", "PRON")), None)


def lemma(tok: Token) -> str:
    """Lower-case lemma, with contracted auxiliaries spelled out."""
    return FIX_LEMMA.get(tok.lower_, tok.lemma_.lower())


def span_end_char(doc: Doc, e: int) -> int:
    """Character offset just after token e - 1."""
    return doc[e - 1].idx + len(doc[e - 1].text)


def tokens_with(doc: Doc, attr: str, values) -> list[Token]:
    """Tokens whose attribute ("lemma", "lower", "orth", "dep"; "orth_lemma": the lemma with
    exactly the case given) is one of `values`, in order.

    One pass over a C array instead of creating every Token in Python: the claim rules
    look at a handful of words per article. The hashes of a word list are kept, sorted, for
    as long as the list object lives (the rules pass the same lexicon lists for every doc);
    those of a short list (up to SHORT words) by its words, as callers build those anew.
    """
    attr_id = {"lemma": LEMMA, "lower": LOWER, "orth": ORTH, "orth_lemma": LEMMA, "dep": DEP}[attr]
    if not len(doc):
        return []
    wanted = _wanted(doc.vocab.strings, attr, values)
    if not len(wanted):
        return []
    arr = doc.to_array(attr_id)
    pos = numpy.minimum(numpy.searchsorted(wanted, arr), len(wanted) - 1)
    return [doc[int(i)] for i in numpy.nonzero(wanted[pos] == arr)[0]]


_WANTED: dict = {}       # (attr, id(values) or the words of a short list) -> (values, sorted hashes)
SHORT = 16               # word lists up to this long are kept by their words: callers build them per call


def _wanted(strings, attr: str, values) -> numpy.ndarray:
    """Sorted uint64 ids of the words (with "Says"/"SAYS" forms where case is kept). The
    StringStore gives the ids (labels such as "relcl" are fixed symbols, not hashes)."""
    short = len(values) <= SHORT        # ('according', [head.lemma_]): no churn that evicts the lexicons
    key = (attr, frozenset(values)) if short else (attr, id(values))
    hit = _WANTED.get(key)
    if hit is not None and (short or hit[0] is values):
        return hit[1]
    words = list(values)
    if attr not in ("lower", "orth_lemma", "dep"):   # lemma_ and orth keep case: "Says" in a headline
        words = {x for v in words for x in (v, v.capitalize(), v.upper())}
    arr = numpy.unique(numpy.array([strings[v] for v in words], dtype="uint64"))
    if len(_WANTED) > 256:
        _WANTED.clear()
    _WANTED[key] = (values, arr)
    return arr


def dateline_end(doc: Doc, start: int, end: int) -> int | None:
    """The index of the dash that closes a wire dateline opening the sentence [start, end)
    ("OTTAWA -", "WASHINGTON (dpa-AFX) -", "MONTREAL, May 14 (DPS) -"), or None."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first.text) >= 3):
        return None
    depth = 0
    for t in doc[start + 1:min(start + 12, end)]:
        if t.text in DASHES and depth == 0 and t.whitespace_:
            return t.i
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and not (t.is_punct or t.like_num or t.text.isupper() or t.ent_type_ == "DATE"
                                 or t.text[:1].isupper()):
            return None
    return None
