"""Speakers as written and as resolved: the entity behind "she", "the diplomat", "one of them".

Mentions come from ``doc.spans["kb_entities"]`` (label = type, kb_id_ = canonical name).
A pronoun resolves to the nearest earlier speaker or mention of a fitting type; a definite
description ("the diplomat") to an earlier phrase with the same head noun; "one of them"
to the phrase "them" stands for. Anonymous sources stay as written, with no entity.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from .entities import SPAN_KEY
from .spans import tokens_with, trimmed

PRONOUNS_SING = {"he", "she", "him", "her"}
PRONOUNS_PLUR = {"they", "them"}
PRONOUNS = PRONOUNS_SING | PRONOUNS_PLUR | {"it", "we", "i", "you"}
# Speaker nouns that speak for someone named in a prepositional phrase, with the prepositions.
DOCUMENTS = {
    **dict.fromkeys(["statement", "report", "letter", "release", "memo", "communique", "announcement", "email",
                     "post", "tweet", "filing", "study", "survey", "poll", "document", "notice", "message"],
                    ("from", "by", "of")),
    **dict.fromkeys(["spokesman", "spokeswoman", "spokesperson", "representative", "official", "source",
                     "lawyer", "attorney", "adviser", "advisor", "aide"], ("for", "of", "at", "from")),
}
PARTITIVES = {"one", "some", "many", "most", "several", "each", "all", "none", "few", "both", "either", "neither"}
_FIRM = ("firm",)
_GOV = ("government",)
_ORG = ("government", "firm", "group", "media")
_PERSON = ("person", "official")
KIND_OF_NOUN = {
    **dict.fromkeys(["company", "firm", "retailer", "carrier", "airline", "bank", "maker", "manufacturer",
                     "insurer", "lender", "automaker", "carmaker", "chain", "operator", "giant", "group"], _FIRM + ("group",)),
    **dict.fromkeys(["ministry", "department", "government", "administration", "agency", "authority",
                     "regime", "cabinet", "council", "commission", "service"], _GOV + ("group", "firm")),
    **dict.fromkeys(["organisation", "organization", "body", "party", "movement", "union", "charity",
                     "coalition", "alliance"], _ORG),
    **dict.fromkeys(["newspaper", "paper", "broadcaster", "network", "magazine", "daily", "tabloid"], ("media",)),
    **dict.fromkeys(["spokesman", "spokeswoman", "spokesperson", "minister", "president", "official",
                     "chairman", "chairwoman", "chief", "head", "director", "secretary", "leader",
                     "manager", "diplomat", "senator", "governor", "mayor", "premier", "ambassador",
                     "economist", "analyst", "professor", "researcher", "scientist", "commander",
                     "general", "prosecutor", "judge", "lawyer", "executive", "founder", "owner",
                     "king", "queen", "pope", "chancellor", "envoy", "author", "actor", "singer",
                     "player", "coach", "doctor", "officer", "man", "woman"], _PERSON),
}


def partitive(head: Token) -> Token | None:
    """The group of "one of them", "two of the officials", "some of the protesters"."""
    if head.lower_ not in PARTITIVES and head.pos_ != "NUM":
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for p in prep.children:
                if p.dep_ == "pobj" and (p.lower_ in PRONOUNS_PLUR | {"us", "those"} or p.tag_ in ("NNS", "NNPS")):
                    return p
    return None


def own_phrase(t: Token) -> tuple[int, int]:
    """Bounds of t's noun phrase, cut at a comma before it (a misparse joining a list)."""
    lo = t.left_edge.i
    for k in range(t.i - 1, lo - 1, -1):
        if t.doc[k].text in (",", ";", ":", "(", "—", "–"):
            lo = k + 1
            break
    return lo, t.right_edge.i + 1


def introduces(t: Token) -> bool:
    """An indefinite phrase introducing someone: "a Korean diplomat", "three people"."""
    return any(c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "some", "another") or c.dep_ == "nummod"
               for c in t.children)


def entity_dict(span) -> dict:
    """{name, type} of an entity mention span."""
    return {"name": span.kb_id_ or span.text, "type": span.label_}


class Resolver:
    """Entities and antecedents of one doc: mentions by token, earlier speakers."""

    def __init__(self, doc: Doc, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.mentions = list(doc.spans.get(SPAN_KEY, []))
        self.by_token = {i: s for s in self.mentions for i in range(s.start, s.end)}
        self.speakers: list[tuple[int, Token, dict | None]] = []   # (token index, head, entity)

    def entity_at(self, head: Token, bounds: tuple[int, int] | None = None) -> dict | None:
        """The mention at the phrase head, or one attached to it as compound/possessive/conj."""
        lo, hi = bounds or (head.left_edge.i, head.right_edge.i + 1)
        kids = [c for c in head.children if c.dep_ in ("compound", "poss", "nmod", "conj") and lo <= c.i < hi]
        preps = DOCUMENTS.get(head.lemma_.lower(), ())   # "a statement from the ministry": the ministry
        kids += [p for c in head.children if c.dep_ == "prep" and c.lower_ in preps
                 for p in c.children if p.dep_ == "pobj" and lo <= p.i < hi]
        hosts = [head] + [p for c in head.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        appos = [c for h in hosts for c in h.children if c.dep_ == "appos" and lo <= c.i < hi]
        # "the economist (at Capital Economics), Neil Shearing": the name in apposition
        for t in [head] + (appos + kids if head.pos_ == "NOUN" else kids + appos):
            span = self.by_token.get(t.i)
            if span is not None and span.label_ != "other":
                return {"name": span.kb_id_ or span.text, "type": span.label_}
        return None

    def antecedent(self, head: Token) -> tuple[Token | None, dict | None]:
        """Pronouns and definite descriptions ('the diplomat') -> an earlier phrase."""
        low = head.lower_
        before = head.i
        if low in ("who", "that", "which") and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
            ante = head.head.head            # "the architect who said ...": the noun the clause modifies
            chain, t = [ante], ante          # "Jane Zhang, an analyst at Canalys, who ...": "who" is a person
            while t.dep_ in ("pobj", "prep", "appos") and t.head.i != t.i and len(chain) < 6:
                t = t.head
                chain.append(t)
            if low == "who":
                for t in chain:
                    ent = self.entity_at(t)
                    if ent is not None and ent["type"] in ("person", "official"):
                        return t, ent
            return ante, self.entity_at(ante) or self.antecedent(ante)[1]
        if low in PRONOUNS_SING or low in PRONOUNS_PLUR or low in ("it", "we"):
            persons = [(s.start, s) for s in self.mentions if s.start < before and (
                s.label_ in ("person", "official") if low in PRONOUNS_SING
                else s.label_ in ("group", "firm", "government", "media") if low in PRONOUNS_PLUR | {"we"}
                else s.label_ in ("government", "firm", "media", "app", "group"))]
            plural = low in PRONOUNS_PLUR | {"we"}
            spk = [(i, h, e) for i, h, e in self.speakers if i < before and h.lower_ not in PRONOUNS_SING | PRONOUNS_PLUR
                   and (h.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in h.children)) == plural
                   and (low != "it")]
            best_m = persons[-1] if persons else None
            best_s = spk[-1] if spk else None
            if best_s and (not best_m or best_s[0] >= best_m[0]):
                return best_s[1], best_s[2]
            if best_m:
                s = best_m[1]
                return s.root, {"name": s.kb_id_ or s.text, "type": s.label_}
            return None, None
        part = partitive(head)
        if part is not None:             # "one of them", "two of the officials": the group
            ent = self.entity_at(part)
            return (part, ent) if ent is not None else self.antecedent(part)
        det = [c for c in head.children if c.dep_ == "det"]
        if det and det[0].lower_ in ("the", "this", "that", "these", "those") and head.pos_ == "NOUN":
            for t in reversed(tokens_with(self.doc, "orth_lemma", [head.lemma_])):
                if t.i < head.i and t.lemma_ == head.lemma_ and t.pos_ == "NOUN":
                    ent = self.entity_at(t, own_phrase(t))
                    if ent is not None or introduces(t) or head.lemma_.lower() not in KIND_OF_NOUN:
                        return t, ent      # "a Korean diplomat ... the diplomat": anonymous, linked
            return self.by_kind(head)
        return None, None

    def refers_to(self, head: Token | None) -> tuple[int, int] | None:
        """Token bounds of the earlier phrase a pronoun, description or "one of them" stands for."""
        if head is None or head.pos_ == "PROPN" or self.entity_at(head) is not None:
            return None
        ante, _ = self.antecedent(head)
        if ante is None or ante.i >= head.i:
            return None
        return trimmed(ante)

    def by_kind(self, head: Token) -> tuple[Token | None, dict | None]:
        """'the company', 'the ministry', 'the spokesman': the nearest earlier mention of the
        type the noun names, in the same or the two sentences before."""
        kinds = KIND_OF_NOUN.get(head.lemma_.lower())
        if kinds is None or head.tag_ in ("NNS", "NNPS"):
            return None, None
        start = head.sent.start
        for _ in range(2):
            if start > 0:
                start = self.doc[start - 1].sent.start
        for s in reversed(self.mentions):
            if start <= s.start and s.end <= head.i and s.label_ in kinds \
                    and not head.left_edge.i <= s.start <= head.right_edge.i:
                return s.root, {"name": s.kb_id_ or s.text, "type": s.label_}
        return None, None

    def resolve(self, head: Token | None, bounds: tuple[int, int] | None = None) -> dict | None:
        """The entity of the phrase at ``head`` (within ``bounds``), else of its antecedent."""
        if head is None:
            return None
        ent = self.entity_at(head, bounds)
        if ent is None:
            _, ent = self.antecedent(head)
        return ent
