"""Senses: one name, different things, told apart by the context of the article.

A name and a type do not always make one entity: "New York" is a city and a state, "Labour
Party" the party of the United Kingdom and that of Hong Kong, "South Korea" a country and its
football team. ``mention_senses`` gives each mention a ``sense`` (empty for the usual meaning),
which kb.store keeps beside the name and type (entities.sense), so that the entities stay apart:

- ``national team``: in a sports report (``sports_report``: a third of its sentences hold a word
  of sports reports), a country that competes: it defeats or faces another, a goal is for it, a
  score stands beside it, its players are its own (not the place where a game is played).
- ``state``: a city name the gazetteer marks ``also_region`` used as a region: after another
  place and a comma ("Saratoga Springs, New York"), or with "state", "upstate" ("New York
  state", "the state of New York").
- a country: an organisation the gazetteer marks ``generic`` (a name other countries'
  institutions bear too: "Labour Party", "Senate") has a home ``country``; named beside another
  country ("Hong Kong's Labour Party", "the Australian Labour Party") or in an article that
  never names its home and names another country most (three times or more), it is that
  country's namesake: the sense is that country ("Labour Party" of Hong Kong). At home it has
  its usual meaning (no sense).

Within an article, the mentions of one name share the sense some of them are marked with (one
sense per discourse: "Belgium" in a match report is the team, also where it is not seen playing);
not a region, which is one only where the text says so.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from .document import is_score
from .lexicon import Mention, gazetteer_entries, load_gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc

TEAM = "national team"
STATE = "state"
SPORT_WORDS = {   # words of sports reports, not of other contests (elections, science fairs)
    "goal", "goals", "goalless", "scorer", "striker", "midfielder", "defender", "goalkeeper", "squad", "tournament",
    "league", "stadium", "penalty", "penalties", "header", "referee", "half-time", "halftime", "innings",
    "wicket", "wickets", "batsman", "bowler", "equalise", "equalize", "equaliser", "equalizer", "substituted",
    "kick-off", "football", "soccer", "cricket", "rugby", "hockey", "fifa", "uefa", "cup", "championship",
    "semi-final", "quarter-final", "knockout", "fixture", "fixtures", "striker", "captain", "card", "debutants",
}
COMPETE_VERBS = {"defeat", "beat", "face", "play", "lose", "draw", "win", "qualify", "substitute", "equalise",
                 "equalize", "score", "thrash", "edge", "overcome", "eliminate", "concede", "host", "meet"}
AGAINST = {"against", "vs", "vs.", "v", "v.", "versus"}
STATE_WORDS = {"state", "upstate", "downstate", "province"}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    """(generic name -> home country, city names that are also regions, any country word -> country)."""
    gaz = load_gazetteer()
    homes = {g["name"]: g["country"] for key in ("government_bodies", "groups")
             for g in gaz.get(key, []) if g.get("generic") and g.get("country")}
    regions = frozenset(a for g in gaz.get("places", []) if g.get("also_region")
                        for a in [g["name"]] + g.get("aliases", []))
    countries = {a: c for a, _t, c, x in gazetteer_entries(gaz)
                 if x.get("kind") in ("country", "demonym", "metonym")}
    return homes, regions, countries


def sports_report(doc: Doc) -> bool:
    """A third of the text's sentences hold a word of sports reports, and four different ones occur."""
    sents = [s for s in doc.sents if any(t.is_alpha for t in s)]
    if len(sents) < 3:
        return False
    hits = [s for s in sents if any(t.lower_ in SPORT_WORDS for t in s)]
    words = {t.lower_ for t in doc if t.lower_ in SPORT_WORDS}
    return len(hits) * 3 >= len(sents) and len(words) >= 4


def _competes(doc: Doc, m: Mention) -> bool:
    """A country in a sports report that plays: it defeats, faces, draws, a goal is for it, a score
    stands beside it, its players are its own ("Korea's Kim"); not where a game is played."""
    head = doc[m.start:m.end].root
    if m.end < len(doc) and is_score(doc[m.end]) or m.start > 0 and is_score(doc[m.start - 1]):
        return True
    if head.dep_ == "conj":
        head = head.head
    gov = head.head
    if head.dep_ in ("nsubj", "nsubjpass", "dobj") and gov.lemma_.lower() in COMPETE_VERBS:
        return True
    if head.dep_ == "pobj" and (gov.lower_ in AGAINST or gov.lower_ in ("to", "for", "over", "with", "by")
                                and gov.head.lemma_.lower() in COMPETE_VERBS):
        return True
    return head.dep_ == "poss" and gov.ent_type_ == "PERSON"


def _as_region(doc: Doc, m: Mention, starts: dict[int, Mention]) -> bool:
    """'Saratoga Springs, New York', 'New York state', 'the state of New York'."""
    prev = doc[m.start - 1] if m.start > 0 else None
    nxt = doc[m.end] if m.end < len(doc) else None
    if nxt is not None and nxt.lower_ in STATE_WORDS or prev is not None and prev.lower_ in STATE_WORDS:
        return True
    if prev is not None and prev.lower_ == "of" and m.start > 1 and doc[m.start - 2].lower_ in STATE_WORDS:
        return True
    if prev is not None and prev.text == "," and m.start > 1:
        before = next((o for o in starts.values() if o.end == m.start - 1), None)
        if before is None or before.type not in ("place", "government") or before.name == m.name:
            return False
        after = doc[m.end + 1] if m.end + 1 < len(doc) else None      # 'Houston, New York, and Boston': a list
        listed = nxt is not None and nxt.text == "," and after is not None and (
            after.lower_ in ("and", "or") or after.i in starts)
        return not listed and not (before.start > 1 and doc[before.start - 1].text == ","
                                   and any(o.end == before.start - 1 for o in starts.values()))
    return False


def _article_country(doc: Doc, mentions: list[Mention], countries: dict[str, str]) -> Counter:
    """How often the article names each country (its names, aliases and nationality words)."""
    seen = Counter()
    for m in mentions:
        words = m.name.split()
        c = countries.get(m.name) or countries.get(doc[m.start:m.end].text) or next(
            (countries[" ".join(words[:n])] for n in (3, 2, 1)          # 'Hong Kong Island'
             if len(words) > n and m.type == "place" and " ".join(words[:n]) in countries), None)
        if c:
            seen[c] += 1
    return seen


def _beside(doc: Doc, m: Mention, countries: dict[str, str]) -> str | None:
    """A country named in the mention or right before it ("Hong Kong's Labour Party", "British
    Labour Party", "Labour Party of Hong Kong")."""
    words = doc[m.start:m.end].text
    for n in (3, 2, 1):
        lead = " ".join(words.split()[:n])
        if lead in countries and len(words.split()) > n:
            return countries[lead]
    i = m.start - 1
    if i >= 0 and doc[i].tag_ == "POS":
        i -= 1
    for n in (3, 2, 1):
        if i - n + 1 >= 0:
            text = doc[i - n + 1:i + 1].text
            if text in countries:
                return countries[text]
    if m.end + 1 < len(doc) and doc[m.end].lower_ in ("of", "in"):
        for n in (3, 2, 1):
            text = doc[m.end + 1:m.end + 1 + n].text
            if text in countries:
                return countries[text]
    return None


def mention_senses(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The mentions with their ``sense`` (see the module doc)."""
    homes, regions, countries = _gazetteer()
    names_of_countries = set(countries.values())
    sport = None
    seen: Counter | None = None
    usual: set[str] = set()         # names some mention marks with their usual sense
    starts = {m.start: m for m in mentions}
    out = []
    for m in mentions:
        sense = ""
        if m.type in ("government", "place", "group") and m.name in names_of_countries:
            sport = sports_report(doc) if sport is None else sport
            if sport and _competes(doc, m):
                sense = TEAM
        elif m.type in ("place", "government") and m.name in regions:
            if _as_region(doc, m, starts):
                sense = STATE
            elif doc[m.start:m.end].text != m.name:       # 'New York City', 'NYC': the city, said so
                usual.add(m.name)
        elif m.name in homes:
            home = homes[m.name]
            near = _beside(doc, m, countries)
            if near is None:
                seen = _article_country(doc, mentions, countries) if seen is None else seen
                top = seen.most_common(2)
                if top and not seen[home] and top[0][1] >= 3 and (len(top) == 1 or top[0][1] > top[1][1]):
                    near = top[0][0]
            if near and near != home:
                sense = near
        out.append(m._replace(sense=sense) if sense else m)
    return _share(out, usual)


def _share(mentions: list[Mention], usual: set[str]) -> list[Mention]:
    """One sense per discourse (Gale, Church and Yarowsky, 1992): when the context marks some
    mentions of a name with one sense, every mention of that name in the article has it; marks
    that disagree (`usual`: a mention said to have the usual sense, 'New York City') are kept as
    they are. A region is marked where it is one ('Brooklyn, New York'): "the New York
    businessman" in the same article is no more the state than before."""
    marked: dict[str, set[str]] = {name: {""} for name in usual}
    for m in mentions:
        if m.sense and m.type != "demonym":     # nationality words are attributes, not mentions
            marked.setdefault(m.name, set()).add(m.sense if m.sense != STATE else "")
    return [m._replace(sense=next(iter(marked[m.name])))
            if not m.sense and m.type != "demonym" and len(marked.get(m.name, ())) == 1 else m
            for m in mentions]
