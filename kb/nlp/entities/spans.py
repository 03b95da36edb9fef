"""Repairs of the statistical NER's spans, one name at a time (see kb.nlp.entities.tagger.ner_rule).

The small model cuts names short and runs them into the words beside them. Each repair reads
the parse and the model's own labels:

- ``pieces``: a span cut at numbers and line breaks ("Pohang 3 Ulsan 2"), without a lowercase
  modifier opening it ("a World Health Organisation", "pro-Beijing") or closing it.
- ``trim_tail``: a caption's label ("Washington D.C. Image:"), an office after an organisation
  ("the State Department Spokesperson") and an adjective of the next noun ("Scientology on
  French television") are no part of the name.
- ``widen_name``: a capitalised word compounded to the name ("the Neo Democrats", "with Junius
  Ho defeating"), a campus ("University of North Carolina at Greensboro"), a word coordinated
  inside an "of" phrase ("Union of Rationalist Atheists and Agnostics") are part of it.
- ``country_lead``: a country's name before an organisation's own name of two capitalised words
  or more ("US National Science Foundation") is a mention of the country of its own.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc

from ..spans import DASHES, infix_hyphen
from .lexicon import HONORIFICS, OFFICIAL_NOUNS, STAFF_NOUNS, TITLES, country_aliases


def pieces(doc: Doc, s: int, e: int, numbered: bool = False) -> Iterator[tuple[int, int]]:
    """An entity span cut at numbers and line breaks ('Pohang 3 Ulsan 2' -> Pohang, Ulsan); a
    ``numbered`` name (a product: 'Model 3', 'Boeing 737') keeps its numbers."""
    breaks = _line_breaks if numbered else _breaks
    i = s
    while i < e:
        while i < e and (breaks(doc[i]) or doc[i].is_punct or doc[i].lower_ == "the" or _modifier(doc, i, e)):
            if _modifier(doc, i, e) and i + 2 < e and infix_hyphen(doc, i + 1):
                i += 2                       # 'pro-Beijing': the word the prefix is joined to goes too
            i += 1
        j = i
        while j < e and not breaks(doc[j]) and not dateline_dash(doc, j, s, e):
            j += 1
        k = j
        while k > i and (doc[k - 1].tag_ == "POS" or doc[k - 1].is_punct and doc[k - 1].text not in (".",)
                         or k - 1 > i and doc[k - 1].is_lower and doc[k - 1].is_alpha
                         and doc[k - 1].lower_ not in PARTICLES
                         and any(doc[x].text[:1].isupper() for x in range(i, k - 1))):
            k -= 1          # "pro-Socialist CFDT union": the name is CFDT
        if k > i:
            yield i, k
        i = j + 1


PREFIXES = {"pro", "anti", "non", "ex", "pre", "post", "neo", "pan"}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "al", "el", "bin", "ibn", "ben"}


def _modifier(doc: Doc, i: int, e: int) -> bool:
    """A lowercase word opening a name ('a World Health Organisation', 'pro-Beijing New
    People Party'), when a capitalised word follows; not a particle ('von der Leyen')."""
    t = doc[i].text
    if t.lower() in PREFIXES and i + 2 < e and doc[i + 1].text == "-":
        return True                      # "Pro-Beijing DAB" at the start of a sentence
    return t[:1].islower() and (t.islower() or "-" in t) and t.lower() not in PARTICLES \
        and any(doc[j].text[:1].isupper() for j in range(i + 1, e))


def dateline_dash(doc: Doc, j: int, s: int, e: int) -> bool:
    """A spaced dash after a capitalised dateline ("MONTREAL - Thousands of travellers"): the
    words before it all in capitals, the sentence after it not (a headline in capitals,
    "SOCCER - JAPAN GET LUCKY WIN", is left whole)."""
    t = doc[j]
    if j <= s or t.text not in DASHES or not doc[j - 1].whitespace_ or not t.whitespace_:
        return False
    before = [x for x in doc[s:j] if x.is_alpha]
    after = [x for x in doc[j + 1:min(len(doc), j + 6)] if x.is_alpha]
    return bool(before) and all(x.is_upper for x in before) and any(not x.is_upper for x in after)


def _breaks(tok) -> bool:
    return _line_breaks(tok) or tok.like_num or any(c.isdigit() for c in tok.text)


def _line_breaks(tok) -> bool:
    return tok.is_space or "\n" in tok.text or tok.text in ("(", ")", "[", "]", "|")


ROLE_WORDS = (OFFICIAL_NOUNS | STAFF_NOUNS | {t.lower() for t in TITLES}) - {"general", "justice", "leader"}
LOWER_GLUE = {"ADP", "DET", "CCONJ", "PART"}
CAPTION_WORDS = {"Image", "Images", "Photo", "Photos", "Picture", "Video", "Source", "Credit", "File",
                 "Caption", "Graphic", "Map", "Illustration"}


def trim_tail(doc: Doc, s: int, e: int, label: str) -> tuple[int, int]:
    """What the NER ran into the end of a name: a caption's label ('Image:'), an office ('the
    State Department Spokesperson' is the State Department's), an adjective of the next noun ('Scientology on French
    television') and the small words before it."""
    while e - s > 1:
        last = doc[e - 1]
        if last.text in CAPTION_WORDS and e < len(doc) and doc[e].text == ":":
            e -= 1                                  # 'in Washington D.C. Image: United States Navy'
            continue
        if label == "ORG" and last.lower_ in ROLE_WORDS or last.pos_ == "ADJ" and last.head.i >= e:
            e -= 1
            while e - s > 1 and doc[e - 1].is_lower and doc[e - 1].pos_ in LOWER_GLUE:
                e -= 1
            continue
        break
    return s, e


def country_lead(doc: Doc, s: int, e: int) -> int:
    """How many tokens of an organisation's name are a country's name before two or more capitalised
    words of its own ('US National Science Foundation'); 0 if none."""
    for n in (2, 1):
        rest = doc[s + n:e]
        if e - s > n + 1 and doc[s:s + n].text in country_aliases() and rest[0].is_title \
                and sum(t.is_title for t in rest) >= 2:
            return n
    return 0


CAMPUS_HEADS = {"University", "College", "Institute"}


def widen_name(doc: Doc, s: int, e: int, label: str = "ORG") -> tuple[int, int]:
    """A name the NER cut: a capitalised word compounded to it ('the Neo Democrats', 'with
    Junius Ho defeating'), a campus ('University of North Carolina at Greensboro')."""
    while s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].is_title and not doc[s - 1].ent_type_ \
            and not doc[s - 1].is_sent_start and doc[s - 1].dep_ == "compound" and s <= doc[s - 1].head.i < e \
            and doc[s - 1].text not in TITLES | HONORIFICS and doc[s - 1].lower_ not in ROLE_WORDS:
        s -= 1
    if label != "ORG":
        return s, e
    if e + 1 < len(doc) and doc[e].lower_ == "and" and any(t.lower_ == "of" for t in doc[s:e]):
        j = e + 1               # 'Union of Rationalist Atheists and Agnostics': coordinated inside 'of ...'
        while j < len(doc) and doc[j].is_title and doc[j].pos_ == "PROPN" and doc[j].dep_ != "conj":
            j += 1
        root = doc[s:e].root
        if j < len(doc) and doc[j].is_title and doc[j].dep_ == "conj" and s <= doc[j].head.i < e \
                and doc[j].head.i != root.i:
            e = j + 1
    if e + 1 < len(doc) and doc[e].lower_ == "at" and doc[e + 1].is_title and doc[e + 1].pos_ == "PROPN" \
            and any(t.text in CAMPUS_HEADS for t in doc[s:e]):
        e += 1
        while e < len(doc) and doc[e].is_title and doc[e].pos_ == "PROPN" and not doc[e].is_sent_start:
            e += 1
    return s, e
