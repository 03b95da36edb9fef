"""Relations between entities, from general syntactic patterns.

Rules are pure functions over a parsed ``Doc`` (with ``kb_entities`` mentions) that yield
``Relation`` namedtuples; the ``kb_relations`` component stores them as dicts
``{subject, predicate, object, evidence, start, end}`` in ``doc._.kb_relations``
(``start``/``end``: character offsets of the evidence sentence).
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .entities import DEMONYMS_KEY, SPAN_KEY
from .spans import tokens_with

OPERATE_VERBS = {"run": "operates", "operate": "operates", "own": "owns", "develop": "develops",
                 "make": "develops", "build": "develops", "launch": "develops", "manage": "operates"}
GENERIC_APP_NOUNS = {"app", "apps", "service", "services", "platform", "platforms", "application",
                     "applications", "site", "sites", "network", "networks", "product", "products"}
EMPLOYER_TYPES = {"firm", "media", "government", "group", "app"}
ROLE_PREPS = {"with", "at", "for", "of"}
OWNED_VERBS = ("own", "operate", "run", "develop", "make")    # "the platform owned by X"
BASED = ("based",)

if not Doc.has_extension("kb_relations"):
    Doc.set_extension("kb_relations", default=None)


class Relation(NamedTuple):
    subject: str
    predicate: str
    object: str
    sent: Span


def _mentions(doc: Doc) -> tuple[list[Span], dict[int, Span]]:
    spans = list(doc.spans.get(SPAN_KEY, []))
    return spans, {i: s for s in spans for i in range(s.start, s.end)}


def _name(span: Span) -> str:
    return span.kb_id_ or span.text


def _ents_in(tokens, by_tok: dict[int, Span], types: set[str]) -> list[Span]:
    out: list[Span] = []
    for t in tokens:
        s = by_tok.get(t.i)
        if s is not None and s.label_ in types and s not in out:
            out.append(s)
    return out


def _agents(v: Token, by_tok: dict[int, Span]) -> list[Span]:
    """Firms doing v: its subject (through 'that'/'which' to the modified noun and its appositions)."""
    subj = [c for c in v.children if c.dep_ == "nsubj"]
    if not subj:
        return []
    s = subj[0]
    if s.lower_ in ("that", "which", "who") and v.dep_ == "relcl":
        s = v.head
        if s.dep_ == "appos":
            s = s.head
    group = [s] + list(s.conjuncts)
    return _ents_in(group, by_tok, {"firm"})


def _pair(firms: list[Span], apps: list[Span]) -> list[tuple[Span, Span]]:
    """Firm-app pairs: by name prefix (Kakao/KakaoTalk), then a single remaining pair."""
    pairs, firms_left, apps_left = [], list(firms), list(apps)
    for f in firms:
        for a in apps:
            if a in apps_left and _name(a).lower().startswith(_name(f).lower()):
                pairs.append((f, a))
                firms_left.remove(f)
                apps_left.remove(a)
                break
    if len(firms_left) == 1 and len(apps_left) == 1:
        pairs.append((firms_left[0], apps_left[0]))
    elif len(firms) == 1 and not pairs:
        pairs += [(firms[0], a) for a in apps]
    return pairs


def operate_rule(doc: Doc) -> Iterator[Relation]:
    """'Kakao and Naver, the two firms that run the apps' / 'X operates Y' -> operates."""
    spans, by_tok = _mentions(doc)
    for v in tokens_with(doc, "lemma", OPERATE_VERBS):
        pred = OPERATE_VERBS.get(v.lemma_)
        if pred is None or v.pos_ != "VERB" or v.tag_ == "VBN":
            continue
        firms = _agents(v, by_tok)
        dobj = [c for c in v.children if c.dep_ == "dobj"]
        if not firms or not dobj:
            continue
        apps = _ents_in([t for d in dobj for t in d.subtree], by_tok, {"app"})
        if not apps and dobj[0].lower_ in GENERIC_APP_NOUNS and any(
                c.lower_ in ("the", "their", "these", "those") for c in dobj[0].children):
            apps = _recent_apps(spans, v.sent.start)
        for f, a in _pair(firms, apps):
            yield Relation(_name(f), pred, _name(a), v.sent)


def _recent_apps(spans: list[Span], before: int) -> list[Span]:
    """Distinct apps of the latest earlier sentence that mentions apps."""
    earlier = [s for s in spans if s.label_ == "app" and s.end <= before]
    if not earlier:
        return []
    sent = earlier[-1].sent
    out, names = [], set()
    for s in earlier:
        if s.sent == sent and _name(s) not in names:
            names.add(_name(s))
            out.append(s)
    return out


def owned_by_rule(doc: Doc) -> Iterator[Relation]:
    """'Y, the platform owned by X' -> owns(X, Y)."""
    _, by_tok = _mentions(doc)
    for v in tokens_with(doc, "lemma", OWNED_VERBS):
        if v.lemma_ not in OWNED_VERBS or v.tag_ != "VBN":
            continue
        agent = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        owners = _ents_in([t for a in agent for t in [a] + list(a.conjuncts)], by_tok, {"firm", "group", "government"})
        if not owners:
            continue
        head = v.head
        acl_toks = {t.i for t in v.subtree}
        owned = _ents_in([head], by_tok, {"app", "firm", "media"})
        if not owned and head.dep_ == "appos":
            cands = [t for t in head.head.subtree if t.i not in acl_toks and t.i < v.i]
            owned = _ents_in(cands, by_tok, {"app", "firm", "media"})[-1:]
        pred = "owns" if v.lemma_ == "own" else OPERATE_VERBS.get(v.lemma_, "operates")
        for o in owners:
            for y in owned:
                if _name(o) != _name(y):
                    yield Relation(_name(o), pred, _name(y), v.sent)


def possessive_rule(doc: Doc) -> Iterator[Relation]:
    """'Yahoo's Flickr', 'Microsoft's OneDrive service' -> owns(firm, app)."""
    spans, by_tok = _mentions(doc)
    for f in spans:
        if f.label_ != "firm" or f.root.dep_ != "poss":
            continue
        head = f.root.head
        cands = [head] + [c for c in head.children if c.dep_ in ("compound", "nmod", "amod")]
        for a in _ents_in(cands, by_tok, {"app"}):
            yield Relation(_name(f), "owns", _name(a), f.sent)


def works_for_rule(doc: Doc) -> Iterator[Relation]:
    """'Jane Zhang, a Beijing-based analyst with Gartner' -> works_for(person, org)."""
    spans, by_tok = _mentions(doc)
    for p in spans:
        if p.label_ not in ("person", "official"):
            continue
        roles = [c for c in p.root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        for role in roles:
            orgs = _ents_in([t for t in role.children if t.dep_ in ("compound", "poss")], by_tok, EMPLOYER_TYPES)
            for prep in role.children:
                if prep.dep_ == "prep" and prep.lower_ in ROLE_PREPS:
                    toks = [t for c in prep.children if c.dep_ == "pobj" for t in c.subtree]
                    orgs += _ents_in(toks, by_tok, EMPLOYER_TYPES)[:1]
            for o in orgs:
                yield Relation(_name(p), "works_for", _name(o), p.sent)


PLACE_TYPES = {"place", "government"}


def _holder(tok: Token, by_tok: dict[int, Span]) -> Span | None:
    """The entity a noun phrase stands for: the noun itself, or the name it is in apposition to."""
    for t in (tok, tok.head if tok.dep_ == "appos" else None):
        if t is not None and t.i in by_tok and by_tok[t.i].label_ not in PLACE_TYPES:
            return by_tok[t.i]
    return None


def based_in_rule(doc: Doc) -> Iterator[Relation]:
    """'a Beijing-based analyst' (after a name), 'Kakao, based in Seoul' -> based_in(entity, place)."""
    _, by_tok = _mentions(doc)
    for v in tokens_with(doc, "lower", BASED):
        if v.lower_ != "based":
            continue
        places: list[Span] = []
        if v.i >= 2 and doc[v.i - 1].text == "-":  # 'Beijing-based'
            places = _ents_in([doc[v.i - 2]], by_tok, PLACE_TYPES)
            noun = v.head
        else:
            pobj = [c for p in v.children if p.dep_ == "prep" and p.lower_ in ("in", "at") for c in p.children
                    if c.dep_ == "pobj"]
            places = _ents_in([t for c in pobj for t in c.subtree], by_tok, PLACE_TYPES)[:1]
            noun = v.head if v.dep_ in ("acl", "amod") else None
        holder = _holder(noun, by_tok) if noun is not None else None
        for place in places:
            if holder is not None and _name(holder) != _name(place):
                yield Relation(_name(holder), "based_in", _name(place), v.sent)


def official_of_rule(doc: Doc) -> Iterator[Relation]:
    """'Chinese President Xi Jinping', 'China's President Xi' -> works_for(official, government)."""
    spans, by_tok = _mentions(doc)
    nats = {i: d for d in doc.spans.get(DEMONYMS_KEY, []) for i in range(d.start, d.end)}
    for p in spans:
        if p.label_ != "official":
            continue
        left = p.start - 1
        while left >= 0 and doc[left].is_title and left not in by_tok and left not in nats:
            left -= 1  # the title words
        if left == p.start - 1:
            continue
        if left >= 1 and doc[left].tag_ == "POS":
            left -= 1
        owner = by_tok.get(left) if left >= 0 else None
        if owner is None:
            if left in nats and nats[left].kb_id_:   # "Chinese President Xi Jinping": the word names the country
                yield Relation(_name(p), "works_for", nats[left].kb_id_, p.sent)
            continue
        if owner.label_ == "government":
            yield Relation(_name(p), "works_for", _name(owner), p.sent)


def operator_rule(doc: Doc) -> Iterator[Relation]:
    """An app and the firm that runs it (the gazetteer's operator), both named in the article:
    operates(firm, app), with the sentence that first names the app."""
    from .entities import operators

    spans, _ = _mentions(doc)
    named = {_name(s) for s in spans}
    ops, done = operators(), set()
    for s in spans:
        firm = ops.get(_name(s)) if s.label_ == "app" else None
        if firm in named and _name(s) not in done:
            done.add(_name(s))
            yield Relation(firm, "operates", _name(s), s.sent)


RULES = (operate_rule, owned_by_rule, possessive_rule, works_for_rule, based_in_rule, official_of_rule,
         operator_rule)


def extract_relations(doc: Doc) -> list[dict]:
    """All relations of a doc (deduplicated), in text order."""
    from .entities import country_names

    types = {_name(sp): sp.label_ for sp in doc.spans.get(SPAN_KEY, [])}
    countries = country_names()

    def ent(name: str) -> dict:
        return {"name": name, "type": types.get(name) or ("government" if name in countries else "other")}

    out, seen = [], set()
    for rule in RULES:
        for r in rule(doc):
            key = (r.subject, r.predicate, r.object, r.sent.start)
            if key in seen or rule is operator_rule and key[:3] in seen:    # the text said it already
                continue
            seen.update((key, key[:3]))
            out.append({"subject": r.subject, "predicate": r.predicate, "object": r.object,
                        "subject_entity": ent(r.subject), "object_entity": ent(r.object),
                        "evidence": r.sent.text.strip(), "start": r.sent.start_char,
                        "end": r.sent.start_char + len(r.sent.text.rstrip())})
    out.sort(key=lambda d: d["start"])
    return out


class RelationFinder:
    """The ``kb_relations`` pipeline component."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.kb_relations = extract_relations(doc)
        return doc


@Language.factory("kb_relations", default_config={})
def make_relation_finder(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder(nlp, name)


def relation_dicts(doc: Doc) -> list[dict]:
    """The relations of an analysed doc (contract form)."""
    return list(doc._.kb_relations or [])
