"""Within one article, the names that denote one entity.

News writes a name in full once and then shortens it: "the Church of Scientology" ...
"the Church"; "University of Southern Indiana (USI)" ... "USI"; "Supreme Court of
Cassation" ... "the Supreme Court" ... "the Court". Spelling varies too ("New People
Party" / "New People's Party", "Organisation" / "Organization"). These rules run after the
mention rules of kb.nlp.entities.tagger, on the mentions of one document, and give each linked
mention the canonical name and type of the fuller one:

* ``name_key``: one key for spelling variants (case, spaces, hyphens, punctuation, a
  possessive, a leading article, British -isation); mentions with one key share the most
  frequent name. Each mention keeps the type its sentence gives it; the entity takes the
  type most of the article's mentions of it have (``entity_types``, used by kb.store).
* acronyms: an all-capitals word is the name whose significant words it abbreviates
  (``initials``), when exactly one name of the article does.
* short forms: a name that begins or ends exactly one longer name of a compatible type
  ("Church" -> "Church of Scientology", "Chrome" -> "Google Chrome"); names the gazetteer
  knows and people (kb.nlp.entities.document.resolve_names) are left alone, and a short form that
  two longer names share ("Korea": North Korea, South Korea) stays as it is. A multi-word name
  that ends exactly one longer one ("Lantern Festival" / "Taipei City Lantern Festival") or is it
  without its country ("State Department" / "US State Department") is that name; a generic body
  the gazetteer knows is the one the article specifies ("Supreme Court" / "Supreme Court of
  Cassation"); chains of shortenings end at the fullest name.
* defined abbreviations: "X (ABC)" makes ABC that name whatever its letters; "UNC Greensboro"
  abbreviates the head of "University of North Carolina at Greensboro".
* coordination (``split_coordination``): "North and South Korea" is two names.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from .lexicon import Mention, country_aliases

if TYPE_CHECKING:
    from spacy.tokens import Doc

MINOR = {"of", "the", "and", "for", "&", "de", "del", "des", "du", "la", "le", "in", "on", "at", "to", "a", "an"}
PEOPLE = {"person", "official"}
ORGS = {"firm", "app", "media", "group", "government"}
PLACES = {"place", "government"}
VARIANTS = ((re.compile(r"isation"), "ization"), (re.compile(r"[’'`]s\b"), "s"))
LEADING = re.compile(r"^(a|an|the)\s+", re.I)
LEGAL_FORM = re.compile(r",?\s+(?:inc|incorporated|corp|corporation|co|ltd|limited|llc|plc|ag|sa|nv|gmbh)\.?$", re.I)


def name_key(name: str) -> str:
    """One key for the spellings of a name: 'a World Health Organisation' and 'World Health
    Organization'; "New People's Party" and 'New People Party'; 'We Chat' and 'WeChat'; 'US
    State Department' and 'State Department' (a leading country before two words or more); 'Tesla
    Inc.' and 'Tesla'."""
    k = LEADING.sub("", name.strip())
    if len(k.split()) > 1:    # 'Tesla Inc.', 'Naver Corp': the firm (its legal form is no part of the key)
        k = LEGAL_FORM.sub("", k)
    words = k.split()
    for n in (2, 1):          # 'US State Department' is the State Department ('US Navy' keeps its country)
        if len(words) > n + 1 and " ".join(words[:n]) in country_aliases():
            words = words[n:]
            break
    k = " ".join(words).lower()
    words = k.split()
    if len(words) > 2:        # a middle initial: "Donald J. Trump" is "Donald Trump"
        k = " ".join([words[0]] + [w for w in words[1:-1] if not re.fullmatch(r"\w\.?", w)] + [words[-1]])
    for pat, rep in VARIANTS:
        k = pat.sub(rep, k)
    k = re.sub(r"\bpeoples\b", "people", k)
    return re.sub(r"[^0-9a-z\u00c0-\uffff]+", "", k)


def initials(words: list[str], minor: bool = False) -> str:
    """Capital initials of the significant words ('University of Southern Indiana' -> 'USI');
    with minor=True the small words count too."""
    return "".join(w[0].upper() for w in words if w[:1].isalpha() and (minor or w.lower() not in MINOR))


def compatible(short: str, long: str) -> bool:
    """Whether a mention typed `short` can be a shortening of a name typed `long`."""
    if short == long or "other" in (short, long):
        return True
    if short in PEOPLE or long in PEOPLE:
        return short in PEOPLE and long in PEOPLE
    return (short in ORGS and long in ORGS) or (short in PLACES and long in PLACES)


def _acronym(text: str) -> str | None:
    letters = text.replace(".", "")
    return letters if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() else None


def _core(words: list[str]) -> list[str]:
    """A name without leading lowercase or demonym-like modifiers: 'Italian Supreme Court of
    Cassation' keeps 'Supreme Court of Cassation' as a second core."""
    i = 0
    while i < len(words) - 1 and (words[i][:1].islower() or words[i].endswith(("ian", "ese", "ish"))):
        i += 1
    for n in (2, 1):          # 'US State Department', 'United Kingdom Home Office'
        if len(words) - i > n + 1 and " ".join(words[i:i + n]) in country_aliases():
            return words[i + n:]
    return words[i:]


def link_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The mentions with short forms, acronyms and variants resolved to their fuller names."""
    if len(mentions) < 2:
        return mentions
    out = _unify_variants(mentions)
    full: dict[str, tuple[str, list[str]]] = {}          # canonical name -> (type, words)
    for m in out:
        words = doc[m.start:m.end].text.split()
        if len(words) > 1 and m.name not in full:
            full[m.name] = (m.type, m.name.split() if len(m.name.split()) > 1 else words)
    if not full:
        return out
    defined = _defined_acronyms(doc, out)
    heads = {m.name for m in out if m.end - m.start > 1 and m.name == doc[m.start:m.end].text
             and title_case(doc[m.start].sent)}      # names run into a title-case headline
    linked = []
    for m in out:
        acro = _acronym(doc[m.start:m.end].text)
        target = defined.get(acro) if acro in defined and m.name != defined[acro] else _target(doc, m, full, heads)
        linked.append(m if target is None else m._replace(name=target))
    moved: dict[str, set[str]] = {}          # a chain: "Court" -> "Supreme Court" -> "... of Cassation"
    for before, after in zip(out, linked):
        moved.setdefault(before.name, set()).add(after.name)
    chain = {a: b.pop() for a, b in moved.items() if len(b) == 1 and a not in b}
    linked = [m._replace(name=chain[m.name]) if m.name in chain else m for m in linked]
    return _unify_variants(linked)


def split_coordination(doc: Doc, mentions: list[Mention], known: dict[str, str]) -> list[Mention]:
    """'North and South Korea' is two names sharing their last word: "North Korea", "South
    Korea", when both are names the gazetteer (`known`: name -> canonical name) or the article
    knows ("Food and Drug Administration" stays one name); in 'the State and Homeland Security
    Departments' "State" is the State Department when that is a known name."""
    names = dict(known)
    for m in mentions:
        names.setdefault(doc[m.start:m.end].text, m.name)
        names.setdefault(m.name, m.name)
    starts = {m.start: m for m in mentions}
    out = []
    for m in mentions:
        nxt = starts.get(m.end + 1)
        last = nxt.end - 1 if nxt is not None and nxt.end - nxt.start > 1 else None
        if nxt is not None and nxt.end < len(doc) and doc[nxt.end].is_title:
            last = nxt.end          # 'Homeland Security Departments' with the head outside the name
        if m.end < len(doc) and doc[m.end].lower_ == "and" and last is not None \
                and doc[last].tag_ in ("NNS", "NNPS") and doc[m.start:m.end].text == m.name:
            head = doc[last].lemma_
            if head == doc[last].text:          # a proper plural keeps its form as lemma: 'Departments'
                head = re.sub(r"ies$", "y", head) if head.endswith("ies") else head[:-1]
            whole = f"{m.name} {head[:1].upper()}{head[1:]}"
            if whole in names:
                m = m._replace(name=names[whole])
        toks = [t for t in doc[m.start:m.end]]
        cc = [i for i, t in enumerate(toks) if t.lower_ in ("and", "&")]
        if len(cc) == 1 and m.type not in PEOPLE:
            i = cc[0]
            left, right = toks[:i], toks[i + 1:]
            if left and len(right) > len(left) and all(t.is_title or t.is_upper for t in left + right) \
                    and not any(t.tag_ == "POS" for t in right):
                tail = " ".join(t.text for t in right[len(left):])
                first = " ".join(t.text for t in left) + " " + tail
                second = " ".join(t.text for t in right)
                if first in names and second in names:
                    out.append(m._replace(end=m.start + i, name=names[first]))
                    out.append(m._replace(start=m.start + i + 1, name=names[second]))
                    continue
        out.append(m)
    return out


def _defined_acronyms(doc: Doc, mentions: list[Mention]) -> dict[str, str]:
    """Abbreviations an article defines in brackets after a name: 'the Union of Rationalist
    Atheists and Agnostics (UAAR)' -> {'UAAR': that name}, whatever the letters."""
    ends = {m.end: m for m in mentions}
    out: dict[str, str] = {}
    for m in mentions:
        acro = _acronym(doc[m.start:m.end].text)
        prev = ends.get(m.start - 1)
        if acro and prev is not None and m.end < len(doc) and doc[m.start - 1].text == "(" \
                and doc[m.end].text == ")" and prev.type not in PEOPLE and prev.end - prev.start > 1:
            out.setdefault(acro, prev.name)
    return out


def title_case(sent) -> bool:
    """A headline in title case: all of its words (stop words aside) are capitalised
    ("Obama Sees 'Personal Insult'", not "Anna Kowalski met Jane Zhang")."""
    words = [t for t in sent if t.is_alpha and not t.is_stop]
    return len(words) >= 3 and all(t.is_title or t.is_upper for t in words)


def trim_headline_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """In a title-case headline the NER runs names into the words beside them ("Rip Donald
    Trump", "Crooked Hillary Clinton"): a person there is cut to the longest full name the
    article's ordinary sentences give a person."""
    heads = {m.start: title_case(doc[m.start].sent) for m in mentions if m.type in PEOPLE and m.end - m.start > 1}
    if not any(heads.values()):
        return mentions
    known = {tuple(t.text for t in doc[m.start:m.end]) for m in mentions      # full names only:
             if m.type in PEOPLE and m.end - m.start > 1 and not title_case(doc[m.start].sent)}  # "Olaf Ludwig" stays
    out = []
    for m in mentions:
        toks = [t.text for t in doc[m.start:m.end]]
        if heads.get(m.start) and tuple(toks) not in known:
            best = max(((i, j) for i in range(len(toks)) for j in range(i + 1, len(toks) + 1)
                        if (i, j) != (0, len(toks)) and tuple(toks[i:j]) in known),
                       key=lambda ij: ij[1] - ij[0], default=None)
            if best is not None:
                text = " ".join(toks[best[0]:best[1]])
                m = m._replace(start=m.start + best[0], end=m.start + best[1], name=text)
        out.append(m)
    return out


def _target(doc: Doc, m: Mention, full: dict[str, tuple[str, list[str]]],
            heads: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The one fuller name a mention shortens or abbreviates, or None (a person's name is no
    short form of a headline it was run into: `heads`)."""
    text = doc[m.start:m.end].text
    words = text.split()
    head = _acronym(words[0]) if len(words) > 1 and m.type not in PEOPLE else None
    if head is not None:        # 'UNC Greensboro': 'University of North Carolina at Greensboro'
        rest, hits = words[1:], set()
        for name, (_t, w) in full.items():
            lead = w[:-len(rest)] if len(w) > len(rest) + 1 and w[-len(rest):] == rest else []
            while lead and lead[-1].lower() in MINOR | {","}:
                lead = lead[:-1]
            if lead and head in (initials(lead), initials(lead, True)):
                hits.add(name)
        if len(hits) == 1:
            return hits.pop()
    gov_body = m.priority > 1 and m.name == text and m.type == "government"
    if gov_body and _specified(text.split(), m.type, full):
        return _specified(text.split(), m.type, full)
    if m.priority > 1 and m.name == text and m.type == "place":      # 'Washington' -> 'Washington D.C.'
        n = text.split()
        hits = {k for k, (t, w) in full.items() if t == "place" and len(w) > len(n) and w[:len(n)] == n
                and all("." in x or x.isupper() for x in w[len(n):])}
        return hits.pop() if len(hits) == 1 else None
    if gov_body or m.name in full and len(m.name.split()) > 1:   # a full name, unless another is it with its country
        n = m.name.split()
        tail = m.priority == 1 and m.type not in PEOPLE and all(x[:1].isupper() for x in n)
        hits = {k for k, (t, w) in full.items() if len(w) > len(n) and (_core(w) == n or tail and w[-len(n):] == n
                                                                          and compatible(m.type, t))}
        return hits.pop() if len(hits) == 1 else None
    acro = _acronym(text)
    if acro is not None and not (m.priority > 1 and m.name != text):    # the gazetteer named it
        hits = {n for n, (_t, w) in full.items() if len(w) > 1 and acro in (initials(w), initials(w, True))}
        return hits.pop() if len(hits) == 1 else None
    if m.priority > 1 or m.type in PEOPLE and (len(words) > 1 or " " in m.name) \
            or doc[m.end - 1].pos_ != "PROPN":          # "Islamic" is no short form of "Islamic State"
        return None
    hits = set()
    for name, (typ, w) in full.items():      # a lone word the NER took for a person may shorten a product
        if len(w) <= len(words) or not (compatible(m.type, typ) or m.type in PEOPLE and typ not in PEOPLE) \
                or m.type in PEOPLE and (typ in PEOPLE or name in heads):   # people: resolve_names decides
            continue
        for core in (w, _core(w)):
            if len(core) > len(words) and (core[:len(words)] == words or core[-len(words):] == words):
                hits.add(name)
    # a chain of shortenings is one name: "Court" < "Supreme Court" < "Supreme Court of Cassation"
    hits = {h for h in hits if not any(o != h and _shortens(h, o, full) for o in hits)}
    return hits.pop() if len(hits) == 1 else None


def _specified(words: list[str], typ: str, full: dict[str, tuple[str, list[str]]]) -> str | None:
    """A generic body's name the article specifies once: 'Supreme Court' after 'the (Italian)
    Supreme Court of Cassation' ('the United States' is no short form of 'the United States
    Department of State': the name must go on with 'of' or 'for')."""
    n = len(words)
    hits = {name for name, (t, w) in full.items() if t == typ and any(
        len(c) > n + 1 and c[:n] == words and c[n] in ("of", "for") for c in (w, _core(w)))}
    return hits.pop() if len(hits) == 1 else None


def _shortens(short: str, long: str, full: dict[str, tuple[str, list[str]]]) -> bool:
    s, lw = full[short][1], full[long][1]
    return any(len(c) > len(s) and (c[:len(s)] == s or c[-len(s):] == s) for c in (lw, _core(lw)))


def _unify_variants(mentions: list[Mention]) -> list[Mention]:
    """Mentions whose names share a name_key take the most frequent name. Each keeps its own
    type (what the sentence says it is); the entity's one type is chosen by `entity_types`."""
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        k = name_key(m.name)
        if k:
            groups.setdefault(k, []).append(i)
    out = list(mentions)
    for idx in groups.values():
        names = Counter(mentions[i].name for i in idx)
        if len(names) == 1:
            continue
        name = max(names, key=lambda n: (not n[:1].islower(), not (n.isupper() and len(n) > 4), names[n], len(n)))
        for i in idx:
            out[i] = out[i]._replace(name=name)
    return out


def entity_types(mentions: list[dict]) -> dict[str, str]:
    """One type per canonical name of an article's mentions ({name, type} dicts): the type most
    of its mentions have ('other' only when nothing else); an official over a person."""
    seen: dict[str, Counter] = {}
    for m in mentions:
        seen.setdefault(m["name"], Counter())[m["type"]] += 1
    return {name: _pick_type(types) for name, types in seen.items()}


def named_in(name: str, types: dict[str, str]) -> str | None:
    """The one name among an article's entity names (``types``: name -> type) that ``name``
    stands for when it is none of them: the same name_key, else a person whose surname it
    ends with ('Lagarde', 'Greek FM Varoufakis' in a headline analysed on its own; 'Christine
    Lagarde', 'Yanis Varoufakis' in the text; not 'Attorneys for Beblawi'). None when no name or
    more than one fits."""
    words = name.split()
    if not words:
        return None
    key = name_key(name)
    hits = {n for n in types if name_key(n) == key}
    if not hits and all(w[:1].isupper() for w in words):
        hits = {n for n, t in types.items() if t in PEOPLE and len(n.split()) > 1 and n.split()[-1] == words[-1]}
    return hits.pop() if len(hits) == 1 else None


def _pick_type(types: Counter) -> str:
    named = Counter({t: n for t, n in types.items() if t != "other"})
    if not named:
        return "other"
    if "official" in named and set(named) <= PEOPLE:
        return "official"
    return max(named, key=lambda t: (named[t], t != "place"))
