"""Typed entity mentions: spaCy NER + a curated gazetteer + context rules.

The ``kb_entities`` component writes non-overlapping mentions to
``doc.spans["kb_entities"]`` (and ``doc.ents``): ``span.label_`` is the project type
(government, firm, app, official, person, media, place, group, other) and
``span.kb_id_`` the canonical name the mention resolves to. The model's DATE and TIME
spans, which ``doc.ents`` then loses, are kept in ``doc.spans["kb_dates"]``.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..spans import infix_hyphen
from .document import cut_run_in_surnames, initials_rule, propagate, resolve_names, sports_teams, titles_of_people
from .lexicon import (ACTOR_DEPS, APP_CONTEXT, COUNTRY_HEADS, DATES_KEY, DEMONYM, DEMONYMS_KEY, DROP_LABELS,
                      FIRM_CONTEXT, GOV_HEADS, GOV_ORG_WORDS, GROUP_ORG_WORDS, HONORIFICS, MEDIA_ORG_WORDS,
                      MEDIA_POST, MEDIA_PRE, OFFICIAL_NOUNS, SPAN_KEY, SPEAKER_ONLY, STAFF_NOUNS, TITLES,
                      Mention, country_names, gazetteer_canon, gazetteer_entries, gazetteer_names, load_gazetteer,
                      operators, strip_name)
from .names import link_names, split_coordination, trim_headline_names
from .senses import mention_senses
from .spans import country_lead, dateline_dash, pieces, trim_tail, widen_name


# ----------------------------------------------------------------------------- rules
def _in_list_context(doc: Doc, start: int, end: int, words: set[str], known: set[int]) -> bool:
    """A token near [start, end) is a context word, or another known mention is nearby."""
    sent = doc[start].sent
    lo, hi = max(sent.start, start - 6), min(sent.end, end + 6)
    if any(doc[i].lower_ in words for i in range(lo, hi) if not start <= i < end):
        return True
    return any(lo <= i < hi and not start <= i < end for i in known)


def gazetteer_rule(doc: Doc, matcher: PhraseMatcher, info: dict) -> Iterator[Mention]:
    """Gazetteer matches, with ambiguous names accepted only in a fitting context."""
    matches = [(doc.vocab.strings[mid], s, e) for mid, s, e in matcher(doc)]
    safe_tokens = {i for key, s, e in matches if not info[key][3].get("ambiguous")
                   and info[key][1] in ("app", "firm") for i in range(s, e)}
    for key, s, e in matches:
        surface, typ, canon, extra = info[key]
        tok = doc[s]
        kind = extra.get("kind")
        if e - s == 1 and tok.is_upper and tok.is_stop and _caps_context(doc, s):
            continue  # 'WHO', 'US' in a headline set in capitals: the word, not the name
        if s > 1 and infix_hyphen(doc, s - 1) and doc[s - 2].is_lower:
            continue  # 'pro-Beijing', 'anti-China': an adjective, not a mention of the place
        if extra.get("ambiguous"):
            if tok.is_sent_start or not tok.is_title and not tok.text.isupper():
                continue
            words = APP_CONTEXT if typ == "app" else FIRM_CONTEXT
            ner_org = any(t.ent_type_ == "ORG" for t in doc[s:e])
            if not (ner_org and typ == "firm") and not _in_list_context(doc, s, e, words, safe_tokens):
                continue
        if kind == "demonym":
            yield from _demonym(doc, s, e, canon)
            continue
        if kind == "state_after_city" and not _ap_state(doc, s, e):
            continue  # 'Mass.' is Massachusetts after a city or a party ('Cambridge, Mass.'), not 'attended Mass.'
        if kind == "metonym":
            root = doc[s:e].root
            if tok.is_lower:  # 'the mainland': only as a noun phrase of its own
                if s == 0 or doc[s - 1].lower_ != "the" or root.dep_ in ("compound", "amod"):
                    continue
                yield Mention(s, e, "government", canon, 2)
                continue
            actor = root.dep_ in ACTOR_DEPS or (root.dep_ == "conj" and root.head.dep_ in ACTOR_DEPS)
            is_city_name = doc[s:e].text not in ("White House", "Kremlin", "Zhongnanhai", "Downing Street")
            if not is_city_name:       # 'the White House' is a body of its own, not the whole country
                yield Mention(s, e, "government", strip_name(doc[s:e].text), 2)
            elif actor:
                yield Mention(s, e, "government", canon, 2)
            else:
                yield Mention(s, e, "place", doc[s:e].text, 2)
            continue
        yield Mention(s, e, typ, canon, 2)


def _ap_state(doc: Doc, s: int, e: int) -> bool:
    """Where AP style abbreviates a state: after a city ('Reno, Nev.') or a party's initial
    ('Marco Rubio, R-Fla.'), or alone in brackets after a name ('Dan Lipinski (Ill.)')."""
    if s < 2:
        return False
    before, before2 = doc[s - 1].text, doc[s - 2]
    return before == "," and before2.is_title or before == "-" and before2.text in ("D", "R", "I") \
        or before == "(" and e < len(doc) and doc[e].text == ")"


def _caps_context(doc: Doc, i: int) -> bool:
    """Most words around token i are in capitals (a headline or a table)."""
    near = [t for t in doc[max(0, i - 4): i + 5] if t.is_alpha and t.i != i]
    return len(near) >= 2 and sum(t.is_upper for t in near) * 2 > len(near)


def _demonym(doc: Doc, s: int, e: int, canon: str) -> Iterator[Mention]:
    """'the Chinese government' -> government China; a bare adjective -> other."""
    nxt = doc[e] if e < len(doc) else None
    if nxt is not None and nxt.lower_ in GOV_HEADS - COUNTRY_HEADS and nxt.is_title and not nxt.is_sent_start \
            and not _caps_context(doc, e):   # 'the Indonesian Navy': a body with a name of its own
        yield Mention(s, e + 1, "government", doc[s:e + 1].text, 3)
    elif nxt is not None and nxt.lower_ in GOV_HEADS and nxt.pos_ in ("NOUN", "PROPN"):
        yield Mention(s, e + 1, "government", canon, 3)
    elif doc[s:e].root.pos_ in ("NOUN", "PROPN") and doc[s:e].root.dep_ not in ("amod", "compound"):
        yield Mention(s, e, "group", doc[s:e].text, 2)     # 'the Chinese': a people, not the country
    else:   # a nationality word is the country as an attribute of what it modifies, not an entity
        yield Mention(s, e, DEMONYM, canon, 2)


GROUP_HEADS = {w.lower() for w in GROUP_ORG_WORDS} - {"church", "society", "foundation"}
ORG_TYPES = ("firm", "group", "other")


def context_rules(doc: Doc) -> Iterator[Mention]:
    """Government, media and official mentions recognised from their context."""
    for tok in doc:
        low = tok.lower_
        # "propaganda department", "ministry of ...", "the X authorities" (X a GPE/NORP)
        if low in ("department", "ministry", "bureau") and tok.pos_ in ("NOUN", "PROPN"):
            left = tok.i
            while left > 0 and doc[left - 1].dep_ in ("compound", "amod") and doc[left - 1].head.i == tok.i \
                    and doc[left - 1].pos_ in ("NOUN", "PROPN", "ADJ") and doc[left - 1].ent_type_ not in ("NORP", "GPE"):
                left -= 1
            right = tok.i + 1
            if right < len(doc) and doc[right].lower_ == "of":
                pobj = [c for c in doc[right].children if c.dep_ == "pobj"]
                if pobj:
                    right = max(pobj[0].i + 1, max(t.i for t in pobj[0].subtree if t.dep_ != "punct") + 1)
            if right - left > 1:
                yield Mention(left, right, "government", strip_name(doc[left:right].text), 3)
        # "his leftist Syriza party", "the Five Star movement": a name before a group noun
        if low in GROUP_HEADS and tok.is_lower and tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN" \
                and doc[tok.i - 1].dep_ == "compound" and doc[tok.i - 1].head.i == tok.i \
                and doc[tok.i - 1].ent_type_ not in ("GPE", "NORP", "LOC"):
            s = tok.i - 1
            while s > 0 and (doc[s - 1].pos_ == "PROPN" or doc[s - 1].is_title and not doc[s - 1].is_sent_start) \
                    and doc[s - 1].head.i in (tok.i, s):
                s -= 1
            yield Mention(s, tok.i, "group", strip_name(doc[s:tok.i].text), 3)
        # "the website Business Korea", "the newspaper X"
        if low in MEDIA_PRE and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
            s = e = tok.i + 1
            while e < len(doc) and doc[e].pos_ == "PROPN":
                e += 1
            yield Mention(s, e, "media", doc[s:e].text, 3)
        # "the Yonhap news agency", "X newspaper"
        if tok.pos_ == "PROPN" and (tok.i + 1 == len(doc) or doc[tok.i + 1].pos_ != "PROPN"):
            s = tok.i
            while s > 0 and doc[s - 1].pos_ == "PROPN":
                s -= 1
            nxt = tuple(t.lower_ for t in doc[tok.i + 1: tok.i + 3])
            if any(nxt[: len(p)] == p for p in MEDIA_POST if p != ("news",)) or tok.text == "News" and tok.i > s:
                yield Mention(s, tok.i + 1, "media", doc[s:tok.i + 1].text, 3)


def org_type(words: list[str]) -> str:
    """The project type of an ORG name, from its words."""
    if words[-1] in MEDIA_ORG_WORDS or "News" in words:
        return "media"
    if any(w in GROUP_ORG_WORDS for w in words) or words[0] in ("World", "International"):
        return "group"
    if any(w in GOV_ORG_WORDS for w in words):
        return "government"
    return "firm"


PLURAL_NUMBER = re.compile(r"\d+s")          # 'Model 3s', 'Boeing 737s': more than one of the product


def product_number(doc: Doc, ent) -> bool:
    """A product's name with its number in running text ("5,000 Model 3 cars", "Model 3s", "the
    Model 3, crucial to"): a capitalised word, one number, then a lowercase word (after a comma
    or the like); not a results table the model calls a product ("Brechin 1", "3 1 1 1 4")."""
    if ent[0].lower_ == "the":          # 'the Model 3 that began assembly'
        ent = ent[1:]
    if len(ent) < 2 or not ent[0].is_alpha or not ent[0].text[:1].isupper() or not ent[-1].text[:1].isdigit():
        return False
    if sum(any(c.isdigit() for c in t.text) for t in ent) != 1:
        return False
    k = ent.end + (ent.end < len(doc) and doc[ent.end].text in (",", ";", ":", ")"))    # 'the new Model 3, crucial to'
    return k < len(doc) and doc[k].is_alpha and doc[k].is_lower and "\n" not in ent[-1].whitespace_


def personal_relative(root: Token) -> bool:
    """A name with a relative clause on 'who' ('X, who is now home'): a person."""
    return any(c.dep_ == "relcl" and any(x.dep_ in ("nsubj", "nsubjpass") and x.lower_ == "who" for x in c.children)
               for c in root.children)


def given_name(ent: Span) -> bool:
    """A place name the model found after a capitalised word it left out, hung on it as a
    compound and unknown to the gazetteer, as the name is ('Piyum Moghadam'): a given name."""
    if ent.label_ != "GPE" or ent.start == 0 or len(ent) > 1:
        return False
    first = ent.doc[ent.start - 1]
    known = gazetteer_names()
    return first.dep_ == "compound" and first.head.i == ent.root.i and first.pos_ == "PROPN" and first.is_title \
        and not first.ent_type_ and first.text not in known and ent.text not in known


def ner_rule(doc: Doc) -> Iterator[Mention]:
    """spaCy's own entities mapped to project types, their spans repaired (kb.nlp.entities.spans)."""
    for ent in doc.ents:
        label = ent.label_
        if label in DROP_LABELS:
            continue
        given = given_name(ent)
        if label in ("GPE", "LOC", "ORG", "NORP") and (given or personal_relative(ent.root)):
            label = "PERSON"      # 'Piyum Moghadam, ...', 'Moghadam, who is now home': a person, not a place
            ent = doc[ent.start - 1:ent.end] if given else ent
        numbered = label == "PRODUCT" and product_number(doc, ent)
        for s, e in pieces(doc, ent.start, ent.end, numbered=numbered):
            if label == "PERSON":  # 'Injecting Clinton', 'Obama Says': an inflected verb is no part of a name
                while e - s > 1 and doc[s].tag_ == "VBG" and doc[s].is_sent_start:
                    s += 1
                while e - s > 1 and doc[e - 1].tag_ == "VBZ" and doc[e - 1].lower_ in ("says", "said"):
                    e -= 1
            if label == "PERSON":  # 'Professor Eastman', 'Mr. Toccafondi': the name is the surname
                while e - s > 1 and (doc[s].text in HONORIFICS or doc[s].text in TITLES):
                    s += 1
            if label == "PERSON":  # 'Wong Yeung-tat' when the model stops at the hyphen
                while infix_hyphen(doc, e) and doc[e + 1].is_alpha \
                        and doc[e + 1].pos_ not in ("ADJ", "ADV", "VERB", "ADP"):   # 'Warhol-like' is no name
                    e += 2
            if label != "PERSON":
                s, e = trim_tail(doc, s, e, label)
            if label in ("ORG", "PERSON", "NORP"):
                s, e = widen_name(doc, s, e, label)
            lead = country_lead(doc, s, e) if label == "ORG" else 0
            if lead:        # 'United Kingdom Home Office': the country, and its Home Office
                yield Mention(s, s + lead, "government", gazetteer_canon()[doc[s:s + lead].text], 1)
                s += lead
            span = doc[s:e]
            words = span.text.split()
            if label == "PERSON":
                typ = "person"
            elif label == "ORG":
                typ = org_type(words)
            elif label == "GPE":
                typ = "government" if span.root.dep_ in ACTOR_DEPS else "place"
            elif label in ("LOC", "FAC"):
                typ = "place"
            elif label == "NORP":    # "Republican", "African-American" as adjectives: attributes, like nationalities
                root = span.root
                typ = DEMONYM if root.dep_ in ("amod", "compound") or root.pos_ == "ADJ" \
                    else "group" if root.tag_ in ("NNS", "NNPS") else "other"
            else:
                typ = "other"
            if not any(c.isupper() or c.isdigit() for c in span.text):
                continue             # 'clinicians', 'koalas', 'max', 'n’t': the model's lowercase words name nothing
            if span.text[:1].islower():  # 'pro-Beijing': not a name
                typ = "other"
            if len(span) == 1 and (span[0].tag_ == "NNS" and span[0].is_sent_start and label in ("ORG", "PERSON")
                                   or span[0].tag_ in ("NNS", "NNPS") and s >= 2 and dateline_dash(doc, s - 1, s - 2, s)):
                continue             # 'Trains will run ...', 'MONTREAL - Thousands of ...': a plural noun
                                     # capitalised by its place, no name
            name = span.text[:-1] if numbered and PLURAL_NUMBER.fullmatch(span[-1].text) else span.text
            yield Mention(s, e, typ, "" if typ == DEMONYM else strip_name(name), 1)    # 'Model 3s': Model 3


PERSON_OFFICES = OFFICIAL_NOUNS - SPEAKER_ONLY - {"regulator", "representative", "official"}   # held by people only


def titled_officials(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Persons preceded by a title ('President Xi Jinping') or in apposition to an office; a
    name the model took for an organisation that follows an office held by people only ('its
    president, Jean-Claude Juncker')."""
    out = []
    for m in mentions:
        head = doc[m.start:m.end].root
        if m.type in ORG_TYPES and m.end - m.start > 1 and head.dep_ == "appos" and head.head.i < m.start \
                and head.head.lower_ in PERSON_OFFICES:
            m = m._replace(type="official")
        elif m.type == "person":
            prev = doc[m.start - 1] if m.start > 0 else None
            appos = [c for c in head.children if c.dep_ == "appos" and c.lower_ in OFFICIAL_NOUNS - SPEAKER_ONLY]
            up = head.dep_ == "appos" and head.head.lower_ in OFFICIAL_NOUNS - SPEAKER_ONLY
            titled = prev is not None and (prev.text in TITLES or prev.lower_ in OFFICIAL_NOUNS - SPEAKER_ONLY)
            if titled or appos or up:
                m = m._replace(type="official")
        out.append(m)
    return out


# ----------------------------------------------------------------------------- merging
def merge(doc: Doc, candidates: Iterable[Mention]) -> list[Mention]:
    """Non-overlapping mentions, preferring context rules, then gazetteer, then NER."""
    chosen: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(candidates, key=lambda m: (-m.priority, -(m.end - m.start), m.start)):
        span = set(range(m.start, m.end))
        if span & taken:
            continue
        chosen.append(m)
        taken |= span
    chosen.sort(key=lambda m: m.start)
    return chosen


def extract_mentions(doc: Doc, matcher: PhraseMatcher, info: dict) -> list[Mention]:
    """All typed mentions of a parsed doc."""
    gaz, ner = list(gazetteer_rule(doc, matcher, info)), list(ner_rule(doc))
    gaz_tokens = {i for g in gaz for i in range(g.start, g.end)}
    # a gazetteer name inside a longer NER name ('Bank of China') belongs to that name
    gaz = [g for g in gaz if not any(
        n.start <= g.start and g.end <= n.end and (n.end - n.start) > (g.end - g.start)
        and any(i not in gaz_tokens and not doc[i].is_punct and doc[i].tag_ not in ("POS", "CC")
                for i in range(n.start, n.end)) for n in ner)]
    mentions = merge(doc, list(context_rules(doc)) + list(initials_rule(doc)) + gaz + ner)
    mentions = split_coordination(doc, mentions, gazetteer_canon())
    countries = country_names()
    mentions = sports_teams(doc, mentions, countries)
    mentions = cut_run_in_surnames(doc, trim_headline_names(doc, titled_officials(doc, mentions)))
    mentions = propagate(doc, mentions, countries)
    demonyms = [m for m in mentions if m.type == DEMONYM]
    names = [m for m in mentions if m.type != DEMONYM]
    mentions = staff_of_apps(doc, link_names(doc, titles_of_people(doc, resolve_names(doc, names))))
    mentions = mention_senses(doc, sorted(mentions + demonyms, key=lambda m: m.start))
    return mentions


def staff_of_apps(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'a Line official', 'a WeChat spokeswoman': people who work for the firm that runs the app."""
    ops = operators()
    out = []
    for m in mentions:
        nxt = doc[m.end] if m.end < len(doc) else None
        if m.type == "app" and m.name in ops and nxt is not None and nxt.lower_ in STAFF_NOUNS \
                and doc[m.end - 1].head.i == nxt.i:
            m = m._replace(name=ops[m.name], type="firm")
        out.append(m)
    return out


def camel_variants(surface: str) -> list[str]:
    """Other spellings of a one-word brand with inner capitals: 'YouTube' -> 'Youtube', 'You Tube'."""
    if " " in surface or not surface[:1].isupper() or not any(c.isupper() for c in surface[1:]) \
            or not surface.isalpha():
        return []
    parts = re.findall(r"[A-Z][a-z]+", surface)
    out = [surface[0] + surface[1:].lower()]
    if "".join(parts) == surface and len(parts) > 1:
        out.append(" ".join(parts))
    return out


class EntityTagger:
    """The ``kb_entities`` pipeline component."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.info: dict[str, tuple[str, str, str, dict]] = {}
        for i, (surface, typ, canon, extra) in enumerate(gazetteer_entries(load_gazetteer())):
            key = f"GAZ{i}"
            self.info[key] = (surface, typ, canon, extra)
            forms = [surface]
            if not extra.get("ambiguous") and len(surface) > 3 and surface.upper() != surface:
                forms.append(surface.upper())  # headlines and tables in capitals
                forms += camel_variants(surface)
            self.matcher.add(key, [nlp.make_doc(f) for f in forms])

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[DATES_KEY] = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
        mentions = extract_mentions(doc, self.matcher, self.info)
        spans = [Span(doc, m.start, m.end, label=m.type, kb_id=m.name, span_id=m.sense)
                 for m in mentions if m.type != DEMONYM      # not a name-less word ('let’s': the ’s)
                 and (m.name or strip_name(doc[m.start:m.end].text))]
        doc.spans[SPAN_KEY] = spans
        doc.spans[DEMONYMS_KEY] = [Span(doc, m.start, m.end, label="country", kb_id=m.name)
                                   for m in mentions if m.type == DEMONYM]
        try:
            doc.ents = filter_spans(spans)
        except ValueError:
            pass
        return doc


@Language.factory("kb_entities", default_config={})
def make_entity_tagger(nlp: Language, name: str) -> EntityTagger:
    return EntityTagger(nlp, name)


def nationality_dicts(doc: Doc) -> list[dict]:
    """Nationality and affiliation words ("Chinese", "Republican") and the country each names
    (None when it names none): {text, start, end, country}."""
    return [{"text": s.text, "start": s.start_char, "end": s.end_char, "country": s.kb_id_ or None}
            for s in doc.spans.get(DEMONYMS_KEY, [])]


def mention_dicts(doc: Doc) -> list[dict]:
    """Contract form of the mentions: {text, start, end, type, name} (char offsets), and ``sense``
    where the context tells this thing apart from others of its name ("New York" the state;
    kb.nlp.entities.senses)."""
    return [{"text": s.text, "start": s.start_char, "end": s.end_char, "type": s.label_,
             "name": s.kb_id_ or strip_name(s.text), **({"sense": s.id_} if s.id_ else {})}
            for s in doc.spans.get(SPAN_KEY, [])]
