"""What the entity modules share: the project's types, the span keys, the context lexicons, the
``Mention`` tuple and the curated gazetteer (kb/data/gazetteer.json) with the lookups built on
it. No other module of kb.nlp.entities is imported here: every one of them imports this.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Iterator, NamedTuple

TYPES = ("government", "firm", "app", "official", "person", "media", "place", "group", "other")
SPAN_KEY = "kb_entities"
DEMONYMS_KEY = "kb_demonyms"   # nationality words ("Chinese"), kb_id the country: attributes, not entities
DEMONYM = "demonym"
DATES_KEY = "kb_dates"      # the model's own DATE and TIME spans, kept for kb.nlp.timex

DROP_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}

# Context lexicons (general English news usage, not corpus-specific).
TITLES = {
    "President", "Vice-President", "Premier", "Prime", "Minister", "Chancellor", "Secretary",
    "Senator", "Sen.", "Rep.", "Representative", "Congressman", "Congresswoman", "Governor",
    "Gov.", "Mayor", "King", "Queen", "Prince", "Ambassador", "Chairman", "General", "Gen.",
    "Speaker", "Attorney", "Commissioner", "Judge", "Justice", "Leader", "Chief", "Pope",
}
HONORIFICS = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Prof", "Prof.", "Professor",
              "Doctor", "Sir", "Dame", "Lord", "Lady", "Rev", "Rev.", "Reverend", "Father", "Sister",
              "Brother", "Captain", "Capt.", "Coach", "Detective", "Officer", "Sergeant", "Sgt.", "Lt."}
OFFICIAL_NOUNS = {
    "president", "premier", "minister", "chancellor", "secretary", "senator", "governor",
    "mayor", "ambassador", "diplomat", "spokesman", "spokeswoman", "spokesperson",
    "lawmaker", "legislator", "congressman", "congresswoman", "official", "envoy",
    "representative", "commissioner", "attorney-general", "regulator",
}
SPEAKER_ONLY = {"spokesman", "spokeswoman", "spokesperson"}  # speak for, not officials per se
STAFF_NOUNS = SPEAKER_ONLY | {"official", "officials", "executive", "executives", "representative", "employee",
                              "employees", "engineer", "engineers", "manager", "director", "spokespeople"}
GOV_HEADS = {
    "government", "governments", "authorities", "authority", "embassy", "consulate",
    "ministry", "administration", "regime", "cabinet", "parliament", "military", "army",
    "navy", "police", "officials", "regulators", "regulator", "state", "department",
    "agency", "court", "congress", "senate", "legislature", "junta",
}
GOV_ORG_WORDS = {"Ministry", "Department", "Commission", "Council", "Parliament", "Congress",
                 "Senate", "Court", "Agency", "Bureau", "Administration", "Office", "Army",
                 "Police", "Navy", "Force", "Forces", "Assembly", "Cabinet"}
MEDIA_ORG_WORDS = {"News", "Times", "Post", "Journal", "Press", "Herald", "Tribune",
                   "Television", "TV", "Radio", "Broadcasting", "Gazette", "Daily", "Telegraph"}
GROUP_ORG_WORDS = {"Party", "Union", "Association", "Federation", "Movement", "Front",
                   "League", "Coalition", "Alliance", "Foundation", "Society", "Church"}
MEDIA_PRE = {"website", "newspaper", "magazine", "broadcaster", "daily", "weekly", "outlet",
             "blog", "tabloid", "channel", "portal", "site"}
MEDIA_POST = {("news", "agency"), ("news", "service"), ("newspaper",), ("broadcaster",),
              ("magazine",), ("website",), ("daily",), ("tabloid",), ("news",)}
APP_CONTEXT = {"app", "apps", "service", "services", "messaging", "messenger", "platform",
               "platforms", "network", "networks", "chat", "users", "download", "downloaded",
               "store", "stores", "social", "site", "website", "online", "mobile", "smartphone"}
FIRM_CONTEXT = {"company", "companies", "firm", "firms", "shares", "stock", "ceo", "inc",
                "corp", "giant", "retailer", "maker", "chief", "executive", "revenue", "sales"}
ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "poss"}
COUNTRY_HEADS = {"government", "governments", "authorities", "authority", "administration", "regime",
                 "state", "officials", "regulators", "regulator"}   # 'the Chinese government' is China



class Mention(NamedTuple):
    start: int          # token index
    end: int            # token index (exclusive)
    type: str
    name: str
    priority: int       # 3 context rule, 2 gazetteer, 1 NER
    sense: str = ""     # what tells this thing apart from others of its name (kb.nlp.entities.senses)


@lru_cache(maxsize=1)
def load_gazetteer() -> dict:
    """The curated gazetteer shipped in kb/data/gazetteer.json."""
    text = resources.files("kb").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    return json.loads(text)


def gazetteer_entries(gaz: dict) -> Iterator[tuple[str, str, str, dict]]:
    """Yield (surface, type, canonical, extra) for every gazetteer alias."""
    for g in gaz.get("governments", []):
        for a in g.get("aliases", []) + [g["name"]]:
            yield a, "government", g["name"], {"kind": "country"}
        for a in g.get("demonyms", []):
            yield a, "government", g["name"], {"kind": "demonym"}
        for a in g.get("metonyms", []):
            yield a, "government", g["name"], {"kind": "metonym"}
    for g in gaz.get("government_bodies", []):
        for a in g.get("aliases", []) + [g["name"]]:
            yield a, "government", g["name"], {"kind": "body"}
    for g in gaz.get("places", []):
        for a in g.get("aliases", []) + [g["name"]]:
            yield a, "place", g["name"], {"kind": "place"}
        if g.get("ap"):               # a US state as AP style writes it after a city: 'Reno, Nev.'
            yield g["ap"], "place", g["name"], {"kind": "state_after_city"}
    for key, typ in (("firms", "firm"), ("apps", "app"), ("media", "media"), ("groups", "group")):
        for g in gaz.get(key, []):
            for a in g.get("aliases", []) + [g["name"]]:
                yield a, typ, g["name"], {"ambiguous": bool(g.get("ambiguous")), "operator": g.get("operator")}


def strip_name(text: str) -> str:
    """Canonical form of a surface string: no leading 'the', no trailing possessive."""
    t = " ".join(text.split())
    for p in ("the ", "The "):
        if t.startswith(p):
            t = t[len(p):]
    for s in ("'s", "’s", "'", "’"):
        if t.endswith(s):
            t = t[: -len(s)]
    t = t.strip(" ,;:\"“”")
    last = t.split()[-1] if t.split() else ""
    return t if "." in last[:-1] and last.endswith(".") else t.strip(" ,.;:\"“”")   # 'D.C.' keeps its stop


@lru_cache(maxsize=1)
def gazetteer_names() -> frozenset[str]:
    """Every name and alias the gazetteer knows."""
    return frozenset(surface for surface, _t, _c, _x in gazetteer_entries(load_gazetteer()))


@lru_cache(maxsize=1)
def gazetteer_canon() -> dict[str, str]:
    """Every name and alias the gazetteer knows -> its canonical name (demonyms and metonyms aside)."""
    return {surface: canon for surface, _t, canon, x in gazetteer_entries(load_gazetteer())
            if x.get("kind") not in ("demonym", "metonym")}


@lru_cache(maxsize=1)
def operators() -> dict[str, str]:
    """App or service -> the firm that runs it (the gazetteer's ``operator``)."""
    return {g["name"]: g["operator"] for g in load_gazetteer().get("apps", []) if g.get("operator")}


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Canonical names of the gazetteer's governments (countries and unions)."""
    return frozenset(g["name"] for g in load_gazetteer().get("governments", []))


@lru_cache(maxsize=1)
def country_aliases() -> frozenset[str]:
    """Every name and alias of the gazetteer's countries ('US', 'United Kingdom')."""
    return frozenset(a for a, _t, _c, x in gazetteer_entries(load_gazetteer()) if x.get("kind") == "country")
