"""Document-level entity rules: what one mention tells about the others in the same text.

- ``initials_rule``: "W. Hegg", "J. R. Smith": an initial before a capitalised name is a person.
- ``sports_teams``: in a results or standings line ("Pohang 3 Ulsan 2", "Surrey 429-7 ( ...",
  "CHICAGO 65 66 .496 5") a place-like name followed by a score is a team (type group);
  countries stay governments (national teams are told as their country).
- ``resolve_names``, ``cut_run_in_surnames``, ``titles_of_people``: a surname is the person of
  that full name ("Warhol" and "Warhol Polaroid exhibits" after "Andy Warhol"), a title before a
  name is that person ("Shadow Home Secretary Yvette Cooper").
- ``propagate``: a name recognised once is recognised everywhere in the same text: a known
  person's surname ("Tarango" after "Jeff Tarango"), a team, or any firm, group or media name
  the statistical model missed elsewhere.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from spacy.tokens import Doc, Token

from .lexicon import GOV_ORG_WORDS, GROUP_ORG_WORDS, HONORIFICS, MEDIA_ORG_WORDS, TITLES, Mention
from .names import title_case

INITIAL = re.compile(r"^[A-Z]\.$")
SCORE = re.compile(r"^[\d.,/:-]*\d[\d.,/:-]*$")
ORG_TAIL = {"Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "Ltd", "Ltd.", "Plc", "Group", "Bank",
            "Party", "Ministry", "Department", "Council", "Club", "University"}
DATELINE = re.compile(r"^\s*(1[89]|20)\d\d(-\d\d?){0,2}\s*$")
TEAM_BEFORE = {",", ":", ";", "v", "v.", "vs", "vs.", "-", "\u2013", "\u2014"}
PROPAGATE_TYPES = {"person", "official", "firm", "group", "media", "app"}


def is_score(tok: Token) -> bool:
    """A number as in results tables: 3, 429-7, .538, 1/2, 4-38."""
    return bool(SCORE.match(tok.text))


def _name_token(tok: Token) -> bool:
    t = tok.text
    return t[:1].isupper() and any(c.isalpha() for c in t) and not INITIAL.match(t) and t not in ORG_TAIL


def initials_rule(doc: Doc) -> Iterator[Mention]:
    """'W. Hegg', 'T. O'Gorman', 'J. R. Smith': person names written with initials."""
    i, n = 0, len(doc)
    while i < n:
        if not INITIAL.match(doc[i].text) or (i > 0 and INITIAL.match(doc[i - 1].text)):
            i += 1
            continue
        j = i
        while j < n and INITIAL.match(doc[j].text):
            j += 1
        k = j
        while k < n and k - j < 3 and _name_token(doc[k]) and not doc[k].is_space:
            k += 1
        if k > j and not (k < n and doc[k].text in ORG_TAIL):
            s = i - 1 if i > 0 and _name_token(doc[i - 1]) and not doc[i - 1].is_sent_start else i
            yield Mention(s, k, "person", doc[s:k].text, 2)
        i = k if k > i else i + 1


def _line_tokens(doc: Doc, tok: Token) -> list[Token]:
    """The tokens of the text line that holds tok."""
    text = doc.text
    lo = text.rfind("\n", 0, tok.idx) + 1
    hi = text.find("\n", tok.idx)
    hi = len(text) if hi < 0 else hi
    span = doc.char_span(lo, hi, alignment_mode="expand")
    return [t for t in span if not t.is_space] if span is not None else [tok]


def _team_shaped(doc: Doc, m: Mention, countries: set[str]) -> bool:
    if m.type in ("person", "official") and (m.end - m.start > 1 or m.priority > 1):
        return False
    if m.type in ("media", "app") or INITIAL.match(doc[m.start].text):
        return False
    if m.end >= len(doc) or not is_score(doc[m.end]):
        return False
    prev = doc[m.start - 1] if m.start > 0 else None
    if not (prev is None or prev.is_space or "\n" in prev.text or prev.text in TEAM_BEFORE or is_score(prev)):
        return False
    line = _line_tokens(doc, doc[m.start])
    rest = doc.text[doc[m.end - 1].idx + len(doc[m.end - 1]): line[-1].idx + len(line[-1])]
    if DATELINE.match(rest):  # "LONDON 1996-08-30": a dateline, not a score
        return False
    return sum(1 for t in line if is_score(t)) >= 2


def sports_teams(doc: Doc, mentions: list[Mention], countries: set[str]) -> list[Mention]:
    """Names followed by scores in results lines are teams (group); see the module doc."""
    return [m._replace(type="group", name=doc[m.start:m.end].text, priority=2)
            if _team_shaped(doc, m, countries) else m for m in mentions]


def _surface(doc: Doc, m: Mention) -> tuple[str, ...]:
    return tuple(t.text for t in doc[m.start:m.end])


def propagate(doc: Doc, mentions: list[Mention], countries: set[str]) -> list[Mention]:
    """Surnames of known persons, teams and missed repeats of known names (see module doc)."""
    people: dict[str, Mention] = {}
    for m in mentions:
        toks = doc[m.start:m.end]
        if m.type in ("person", "official") and len(toks) > 1 and toks[-1].is_alpha and toks[-1].is_title:
            people.setdefault(toks[-1].text, m)
    known: dict[tuple[str, ...], Mention] = {}
    for m in mentions:
        if m.type in PROPAGATE_TYPES and (m.priority > 1 or m.type in ("person", "official") and m.end - m.start > 1):
            known.setdefault(_surface(doc, m), m)
    for surname, m in people.items():
        known.setdefault((surname,), m)
    out: list[Mention] = []
    for m in mentions:
        surf = _surface(doc, m)
        src = known.get(surf)
        team = src is not None and src.type == "group" and m.type in ("place", "government")
        if (m.priority == 1 or team) and src is not None and src.priority > 1 \
                and src.type != m.type:
            m = m._replace(type=src.type, name=src.name)
        elif len(surf) == 1 and surf[0] in people and m.priority <= 2 and m.type not in ("person", "official") \
                and not (m.type in ("firm", "app", "media") and m.priority == 2):
            p = people[surf[0]]
            m = m._replace(type=p.type, name=p.name)
        out.append(m)
    taken = {i for m in out for i in range(m.start, m.end)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for surf in known:
        by_first.setdefault(surf[0], []).append(surf)
    for tok in doc:
        if tok.i in taken or not (tok.is_title or tok.is_upper and len(tok) > 2) or tok.text not in by_first:
            continue
        for surf in sorted(by_first[tok.text], key=len, reverse=True):
            end = tok.i + len(surf)
            if tuple(t.text for t in doc[tok.i:end]) == surf and not any(i in taken for i in range(tok.i, end)):
                src = known[surf]
                if len(surf) == 1 and tok.is_sent_start and src.type not in ("person", "official"):
                    break
                out.append(Mention(tok.i, end, src.type, src.name, 1))
                taken.update(range(tok.i, end))
                break
    out.sort(key=lambda m: m.start)
    return out


def resolve_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Within one text: 'Zhang' -> 'Jane Zhang', and a name's type is shared by its mentions. A
    surname the text introduces with a title before any full name ('President Obama') is left
    for the database to resolve (a later 'Michelle Obama' is someone else)."""
    # a name run into a title-case headline is no full name to follow
    full = [m for m in mentions if m.type in ("person", "official") and len(m.name.split()) > 1
            and not (m.end - m.start > 1 and title_case(doc[m.start].sent) and m.name == doc[m.start:m.end].text)]
    official_names = {m.name for m in mentions if m.type == "official"}
    first: dict[str, Mention] = {}
    for m in mentions:
        if m.type in ("person", "official") and len(m.name.split()) == 1:
            first.setdefault(m.name, m)
    out = []
    for m in mentions:
        if m.type in ("person", "official") and len(m.name.split()) == 1:
            cands = [f for f in full if m.name in f.name.split()]
            f0 = first[m.name]
            if f0.start > 0 and doc[f0.start - 1].text in TITLES | HONORIFICS \
                    and all(f.start > f0.start for f in cands):
                cands = []      # 'President Obama' ... 'Mr. Obama and the first lady, Michelle Obama'

            if any(f.name.split()[-1] == m.name for f in cands):   # a surname before a given name
                cands = [f for f in cands if f.name.split()[-1] == m.name]
            before = [f for f in cands if f.start < m.start]
            pick = (before[-1] if before else cands[0]) if cands else None
            if pick is not None:
                m = m._replace(name=pick.name, type=pick.type)
        if m.type == "person" and m.name in official_names:
            m = m._replace(type="official")
        out.append(m)
    official_names = {m.name for m in out if m.type == "official"}
    return [m._replace(type="official") if m.type == "person" and m.name in official_names else m
            for m in out]


def cut_run_in_surnames(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'Warhol Polaroid exhibits' after 'Andy Warhol': the NER ran a known person's surname
    into the next word (of a noun phrase the name modifies, or a thing the text names
    elsewhere); the mention is the surname, and so
    that person ('Wong Yeung-tat' after 'Joshua Wong' is a name of its own)."""
    full: dict[str, Mention] = {}
    for m in mentions:
        toks = doc[m.start:m.end]
        if m.type in ("person", "official") and len(toks) > 1 and all(t.is_title for t in toks):
            full.setdefault(toks[-1].text, m)
    things = {doc[m.start:m.end].text for m in mentions if m.type not in ("person", "official")}
    surnames = {doc[m.end - 1].text for m in mentions if m.type in ("person", "official")
                and not (m.end - m.start > 1 and doc[m.start].text in full)}
    out = []
    for m in mentions:
        toks = doc[m.start:m.end]
        p = full.get(toks[0].text)
        if m.type in ("person", "official") and m.priority == 1 and len(toks) > 1 and p is not None \
                and toks[1].text != doc[p.end - 1].text and m.name != p.name and toks[-1].text not in surnames \
                and (toks.root.dep_ in ("compound", "amod", "nmod") and toks.root.head.i >= m.end
                     or toks[1:].text in things):
            m = m._replace(end=m.start + 1, name=p.name, type=p.type)
        out.append(m)
    return out


def titles_of_people(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'Labour's Shadow Home Secretary Yvette Cooper': a capitalised office the NER took for an
    organisation, right before a title word and a person, is that person's title (the person)."""
    surfaces = Counter(doc[m.start:m.end].text for m in mentions)
    starts = {m.start: m for m in mentions if m.type in ("person", "official")}
    out = []
    for m in mentions:
        toks = doc[m.start:m.end]
        j = m.end
        while j < len(doc) and doc[j].text in TITLES:
            j += 1
        p = starts.get(j)
        if p is not None and j > m.end and m.priority == 1 and m.type not in ("person", "official") \
                and len(toks) > 1 and all(t.is_title for t in toks) and surfaces[toks.text] == 1 \
                and not set(toks.text.split()) & (GOV_ORG_WORDS | GROUP_ORG_WORDS | MEDIA_ORG_WORDS):
            m = m._replace(end=j, name=p.name, type=p.type)
        out.append(m)
    return out
