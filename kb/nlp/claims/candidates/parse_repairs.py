"""Repairs for reporting sentences the small parser gets wrong.

The cue rules of ``.cues`` read the content off the cue verb's complements. Some
common reporting shapes come out of ``en_core_web_sm`` with the cue hung in the wrong
place, so no complement carries the content. The repairs here read such shapes from the
word order around a cue the lexicon knows, using the parse only for the cue's own words:

- a parenthetical cue: 'The plan, he told reporters, was dead' where the cue was made
  the sentence root (the clause after it a conjunct) or a dependent of a noun.
- a paratactic cue hung on (or hosting) the subordinate clause that opens the sentence
  ('Though A, he said, B'): the content is the whole sentence.
- an infinitive of telling hung on the verb as an adverbial clause ('told his supporters
  at a rally to go ...').
- a headline verb tagged as a noun or name ('Sanders Vows To ...', 'Mayor questions ...'), and a
  line that ends with its cue ('Restrictions to be lifted, South Korean diplomat says').
- a place after a comma ending the subject's prepositional phrase parsed as a second subject
  ('A representative of the centre in Fort Worth, Texas told ...').
- a speaker split at its hyphen into several subjects ('The ex-partner testified').
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from spacy.tokens import Doc, Token

from ...spans import DASHES, LONG_DASHES, clamp, clean_span, infix_hyphen, paragraph, tokens_with
from .lexicon import Attribution, lexicon, speaker_nouns
from .quotes import quote_root

# Dependents of a cue that stay inside its parenthetical ('he told me on Friday').
OWN_DEPS = {"advmod", "npadvmod", "prep", "dobj", "dative", "prt", "agent", "aux", "neg", "punct"}
COMMAS = {","} | LONG_DASHES
HEADLINE_BREAKS = {",", ":"} | DASHES     # before the cue of 'Curbs to be lifted - diplomat says'
ADDRESSEES = {"reporter", "journalist", "audience", "crowd", "supporter", "listener", "viewer", "interviewer"}


def addressee(t: Token) -> bool:
    """An object that is who was spoken to ('he told me', 'she told reporters', 'told
    investors': a person or group noun of WordNet)."""
    return t.tag_ == "PRP" or t.ent_type_ in ("PERSON", "NORP", "ORG") or t.lemma_ in ADDRESSEES \
        or t.lemma_.lower() in speaker_nouns()


def _parenthetical_end(v: Token) -> int | None:
    """Index of the comma (or dash) that closes the cue's parenthetical, if the words
    between the cue and it are all the cue's own adjuncts."""
    sent = v.sent
    i = v.i + 1
    while i < sent.end:
        t = doc_t = v.doc[i]
        if doc_t.text in COMMAS:
            return i
        if t.is_space or t.is_quote:
            return None
        h = t
        while h.head.i != v.i and h.head.i != h.i and h.head.i > v.i:
            h = h.head
        if h.head.i != v.i or h.dep_ not in OWN_DEPS:
            return None
        i += 1
    return None


def parenthetical(v: Token, speaker: Token) -> tuple[int, int, int] | None:
    """'The difference, he told me, is that ...', 'These workers, Lee explained, were paid
    well': the cue and its speaker sit between commas inside the sentence they report.
    Returns (content start, content end, position of the closing comma) or None."""
    doc = v.doc
    if any(c.dep_ in ("ccomp", "xcomp", "oprd") or c.dep_ == "dobj" and not addressee(c) for c in v.children):
        return None                          # the cue has a complement of its own
    spk = [t.i for t in speaker.subtree if t.i != v.i] if speaker.i < v.i else []
    if speaker.i < v.i and (not spk or max(spk) > v.i):
        return None
    first = min(spk) if spk else v.i
    if any(not (doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].head.i == v.i)
           for k in range(max(spk) + 1 if spk else v.i, v.i)):
        return None                          # only auxiliaries between the speaker and the cue
    if first < 1 or doc[first - 1].text not in COMMAS:
        return None
    close = _parenthetical_end(v)
    if close is None:
        return None
    sent = v.sent
    ps, pe = paragraph(doc, v.i)
    lo, hi = max(sent.start, ps), min(sent.end, pe)
    left = [t for t in doc[lo:first - 1] if not (t.is_punct or t.is_space)]
    right = [t for t in doc[close + 1:hi] if not (t.is_punct or t.is_space)]
    if len(left) < 2 or left[0].pos_ in ("ADP", "ADV") or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in left):
        return None                          # 'In 2007, Mexico accepted ...': an opening adjunct, no content
    if len(right) < 2 or not any(t.pos_ in ("VERB", "AUX") for t in right):
        return None
    cs, ce = clean_span(doc, lo, hi)
    return (cs, ce, close) if ce > cs else None


def split_host(v: Token) -> Token:
    """The clause a paratactic cue interrupts. The parser may hang 'he said' on the
    subordinate clause that ends just before it ('Though A was easy, he said, B would be
    hard': on 'was'); the cue then splits the main clause that lies on both sides of it."""
    host = v.head
    if host.dep_ not in ("advcl", "csubj", "nsubj") or host.head.i <= v.i \
            or host.right_edge.i > v.right_edge.i:
        return host
    return host.head


def opening_clause(v: Token, speaker: Token) -> set[int]:
    """Tokens of a subordinate clause that opens the sentence but was hung on the paratactic
    cue after it ('Although A was easy, the coach said, B would be hard': 'was' under
    'said'); they belong to the content the cue interrupts."""
    start = min(t.i for t in speaker.subtree) if speaker.i < v.i else v.i
    for c in v.children:
        if c.dep_ == "advcl" and c.right_edge.i < start and c.left_edge.i == v.left_edge.i \
                and any(m.dep_ == "mark" for m in c.children):
            return {t.i for t in c.subtree}
    return set()


def infinitive_adjunct(v: Token, lem: str, cls: str | None) -> list[Token]:
    """'told his supporters at a rally to go ...', 'advised all tourists to prepare ...': the
    infinitive of a verb of telling or demanding, hung on the verb as an adverbial clause."""
    if lem not in lexicon()["told_to"] and cls != "demand":
        return []
    return [c for c in v.children if c.dep_ == "advcl" and c.i > v.i and c.tag_ == "VB"
            and any(a.dep_ == "aux" and a.lower_ == "to" and a.i == c.left_edge.i for a in c.children)][:1]


# ----------------------------------------------------------------------------- headlines
HEADLINE_MAX = 25        # tokens of a line that can be a headline
NP_POS = ("PROPN", "NOUN", "ADJ", "NUM", "DET", "PART")
FINITE = ("VBZ", "VBD", "VBP", "MD")


def _title_case(toks) -> bool:
    words = [t for t in toks if t.is_alpha and len(t) > 3]
    return len(words) >= 2 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def _subordinate(v: Token) -> bool:
    """A verb that heads a subordinate clause ('When It Comes To', 'who says')."""
    return v.dep_ in ("relcl", "advcl", "ccomp", "acl") or any(
        c.dep_ == "mark" or c.dep_ == "advmod" and c.tag_ == "WRB" for c in v.children)


def headline_verbs(doc, forms: dict[str, str], preps: dict[str, list[str]]) -> list[tuple[Token, str, tuple[int, int]]]:
    """'Black Lawmakers Rip Donald Trump As A Fraud', 'Mayor questions the cost of ...': a
    headline whose cue verb the tagger read as a noun. `forms` maps a word form ('vows')
    to its cue lemma, `preps` a lemma to the prepositions it takes ('call for'). Yields
    (cue token, lemma, speaker span) for the first cue word after a noun phrase that opens
    the line (or follows its comma: 'Railing Against X, Sanders Vows To ...')."""
    out, done = [], set()
    for t in tokens_with(doc, "lower", forms):
        if t.pos_ in ("VERB", "AUX") or t.i == 0 or t.ent_iob_ == "I":
            continue                         # 'United States': a name goes on, no verb
        ps, pe = paragraph(doc, t.i)
        if ps in done:
            continue
        done.add(ps)
        if pe - ps > 4 * HEADLINE_MAX:       # a paragraph, not a headline (spaces aside)
            continue
        line = [x for x in doc[ps:pe] if not x.is_space]
        if not line or len(line) > HEADLINE_MAX:
            continue
        if ps > 0 and not _title_case(line):
            continue                         # a later line: a subhead only when title-cased
        start = line[0].i
        for x in doc[start:t.i]:
            if x.text == ",":
                start = x.i + 1
        spk = doc[start:t.i]
        if not all(x.pos_ in NP_POS or x.tag_ == "POS" for x in spk) or not any(x.pos_ in ("NOUN", "PROPN") for x in spk):
            continue
        if any(x.tag_ in FINITE and not _subordinate(x) for x in doc[ps:pe]):
            continue                         # the line has a verb of its own: t is a noun
        rest = [x for x in doc[t.i + 1:pe] if not (x.is_punct or x.is_space)]
        if len(rest) < 2 or spk[0].lower_ in ("a", "an") or rest[0].pos_ == "ADP" and rest[0].lower_ != "to" \
                and rest[0].lower_ not in preps.get(forms[t.lower_], []):
            continue                         # 'A Bold Plan For Parks': a noun phrase, no verb
        if t.lower_ == forms[t.lower_] and spk[-1].tag_ in ("NN", "NNP") and not spk[-1].lower_.endswith("s"):
            continue                         # 'New Water Plan For Towns': a bare form after a singular noun
        out.append((t, forms[t.lower_], (start, t.i)))
    return out


@lru_cache(maxsize=1)
def _cue_forms() -> dict[str, str]:
    """Word forms of the cue lemmas a headline uses ('vow', 'vows', 'pushes') -> lemma."""
    forms: dict[str, str] = {}
    for lem in lexicon()["class_of"]:
        for f in (lem, lem + "s", lem + "es"):
            forms.setdefault(f, lem)
    return forms


def headline_cues(doc: Doc) -> Iterator[Attribution]:
    """'Sanders Vows To Eliminate Tax Breaks', 'Trump questions the fairness of ...': a
    headline whose cue verb the tagger read as a noun; the words after it are the content."""
    preps = lexicon()["verb_preps"]
    for t, lem, (ss, se) in headline_verbs(doc, _cue_forms(), preps):
        cue_e = t.i + 1
        if cue_e < len(doc) and doc[cue_e].lower_ in preps.get(lem, []):
            cue_e += 1                          # 'calls for'
        cs, ce = clean_span(doc, *clamp(doc, (cue_e, paragraph(doc, t.i)[1]), t.i))
        if ce - cs >= 2:
            yield Attribution((t.i, cue_e), doc[se - 1], (cs, ce), quote_root(doc, cs, ce), False, None, (ss, se))


def list_before(speaker: Token) -> bool:
    """The parsed speaker starts with a comma-joined list: the line's content ran into it."""
    doc = speaker.doc
    return any(t.text == "," and t.head.i != speaker.i for t in doc[speaker.left_edge.i:speaker.i])


def headline(doc: Doc, v: Token) -> Attribution | None:
    """'Restrictions to be lifted, South Korean diplomat says': a line ending with the cue."""
    ps, pe = paragraph(doc, v.i)
    rest = [t for t in doc[v.i + 1:pe] if not t.is_punct and not t.is_space]
    if rest or v.tag_ not in ("VBZ", "VBD"):
        return None
    commas = [t.i for t in doc[ps:v.i] if t.text in HEADLINE_BREAKS]
    if not commas or v.i - commas[-1] < 2 or commas[-1] - ps < 3:
        return None
    cs, ce = clean_span(doc, ps, commas[-1])
    if ce <= cs:
        return None
    return Attribution((v.i, v.i + 1), doc[v.i - 1], (cs, ce), quote_root(doc, cs, ce), False, None,
                       (commas[-1] + 1, v.i))


PLACES = ("place", "government")       # entity types of a place name ('Texas', 'Canada')
CLIMB = ("pobj", "prep", "conj", "appos", "compound", "acl")


def place_owner(subj: Token, v: Token) -> Token | None:
    """'A representative with the centre in Fort Worth, Texas told ...': a place name after a
    comma that ends a prepositional phrase continues that phrase's place; the subject is
    the head of the phrase ('representative'), when it is another subject of the verb."""
    doc = subj.doc
    lo = subj.left_edge.i
    if lo < 2 or doc[lo - 1].text != "," or subj.i > v.i or subj.ent_type_ not in PLACES \
            or any(t.pos_ != "PROPN" for t in doc[lo:subj.right_edge.i + 1] if t.dep_ != "det"):
        return None
    t = doc[lo - 2]
    if not t.ent_type_ or t.i >= lo - 1:
        return None
    for _ in range(12):
        if t.dep_ not in CLIMB or t.head.i == t.i or t.dep_ == "acl" and t.head.pos_ not in ("NOUN", "PROPN"):
            break
        t = t.head
    if t.i != subj.i and t.head.i == v.i and t.dep_ in ("nsubj", "nsubjpass") and t.i < lo \
            and t.pos_ in ("NOUN", "PROPN", "PRON"):
        return t
    return None


def named_after_quote(doc: Doc, v: Token, quotes: list[tuple[int, int]]) -> Token | None:
    """The speaker written between a quote and its cue ('“...,” Flynn, a top surrogate, said on
    “Fox and Friends.”') when the parser took words inside a quotation for the cue's subject: the
    head of the words after the quote's closing mark, a name or noun, with no verb of its own."""
    ends = [qe for qs, qe in quotes if qe < v.i]
    if not ends:
        return None
    words = [t for t in doc[max(ends) + 1:v.i] if not (t.is_punct or t.is_space)]
    if not 1 <= len(words) <= 12 or any(t.pos_ in ("VERB", "AUX") for t in words) or "\n" in doc[max(ends):v.i].text:
        return None
    head = doc[words[0].i:words[-1].i + 1].root
    return head if head.pos_ in ("PROPN", "NOUN", "PRON") else None


# ----------------------------------------------------------------------------- speakers by word order
NOMINAL = ("PROPN", "NOUN", "ADJ", "NUM", "DET", "PART")      # words of a name or noun phrase
FINITE_CUE = ("VBD", "VBZ", "VBP")


def _phrase_head(doc: Doc, start: int, stop: int) -> tuple[Token, int] | None:
    """(head, end) of the noun phrase opening at start: the last noun of its run of nominal words."""
    i, head, of = start, None, False
    while i < stop and (doc[i].pos_ in NOMINAL or doc[i].dep_ == "poss" or doc[i].lower_ == "of" and head) and (
            not doc[i].is_punct or doc[i].pos_ == "PROPN"):         # 'Col. Steven H. Warren', 'her adviser'
        of = of or doc[i].lower_ == "of"                            # 'chief of staff': the chief
        if doc[i].pos_ in ("PROPN", "NOUN") and not of:
            head = doc[i]
        i += 1
    return (head, i) if head is not None and head.ent_type_ not in ("DATE", "TIME") else None


def speaker_by_order(v: Token) -> Token | None:
    """The speaker of a finite cue the parser gave no subject, read from word order: after it
    when the reported words come first ('..., said Geert Wilders, founder of ...'), or the noun
    phrase opening the clause before a comma-set insertion ('Mr. Slinker, whose start-up ...
    uses big data, said ...'; 'Alarmed by X, Senator Harry Reid, the minority leader, said')."""
    doc, sent = v.doc, v.sent
    if v.tag_ not in FINITE_CUE or v.i - 1 <= sent.start:
        return None
    before = doc[v.i - 1]
    if (before.text in COMMAS or before.is_quote) and v.lemma_.lower() not in lexicon()["told_to"]:
        np = _phrase_head(doc, v.i + 1, sent.end)     # inverted: the words first, then the cue
        if np is not None and (np[1] == sent.end or doc[np[1]].is_punct):
            return np[0]                              # not 'said Mr. Trump was ...': a clause's subject
    k = v.i - 1
    while k > sent.start and doc[k].dep_ in ("advmod", "neg") and doc[k].head.i == v.i:
        k -= 1                                        # '..., also said'
    if doc[k].text not in COMMAS:
        return None
    for i in range(sent.start, k):
        prev = doc[i - 1] if i > sent.start else None
        if prev is not None and prev.text not in COMMAS and not prev.is_quote:
            continue                                  # a phrase that opens the clause
        np = _phrase_head(doc, i, k)
        if np is not None and np[1] < k and doc[np[1]].text in COMMAS:
            return np[0]
    return None


def nearest_subject(subjs: list[Token], v: Token) -> Token:
    """Of two subjects the parser gave verb v, the nearer one ('"..., One of the best," Rep. X
    said'), unless that one is a place continuing the other's phrase; of a word the parser split
    at its hyphen into subjects ('The ex - partner testified', 'The co - founder said'), its head."""
    near = min(subjs, key=lambda c: abs(c.i - v.i))
    near = v.doc[hyphen_word(v.doc, near.i, near.i + 1)[1] - 1]
    return place_owner(near, v) or near


NP_MODS = ("det", "poss", "amod", "compound", "nummod")


def hyphen_word(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Bounds [s, e) widened over the words joined to them by a hyphen ('vice-president',
    'co-founder'), with the words that modify its first part ('The ex-partner')."""
    s0 = s
    if e - s == 1 and infix_hyphen(doc, s):          # the hyphen itself ('The co - founder said')
        s, e = s - 1, e + 1
    while s >= 2 and infix_hyphen(doc, s - 1):
        s -= 2
    while e < len(doc) - 1 and infix_hyphen(doc, e):
        e += 2
    while s < s0 and s > 0:                     # the words before its first part: 'His former ex-'
        mod = doc[s - 1].head if doc[s - 1].dep_ == "case" else doc[s - 1]     # "Trump's ex-"
        if mod.dep_ not in NP_MODS or not s <= mod.head.i < e:
            break
        s = min(s - 1, mod.left_edge.i)
    return s, e
