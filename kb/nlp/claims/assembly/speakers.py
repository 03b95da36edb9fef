"""Speakers as written and as resolved: the entity behind "she", "the diplomat", "one of them".

Mentions come from ``doc.spans["kb_entities"]`` (label = type, kb_id_ = canonical name).
A pronoun resolves to the nearest earlier speaker or mention of a fitting type; a definite
description ("the diplomat") to an earlier phrase with the same head noun; "one of them"
to the phrase "them" stands for. A statement or report resolves to whoever issued it ("a
statement issued by X", "X released a statement saying"); "there are reports that ..." has the
reports for speaker. Anonymous sources stay as written, with no entity.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import islice

from spacy.tokens import Doc, Token

from ...entities import SPAN_KEY
from ...spans import LONG_DASHES, clean_span, dateline_end, sentences_back, tokens_with, trimmed
from ..candidates.lexicon import Attribution, speaker_nouns, wordnet_lexicon
from ..candidates.quotes import in_quote, quote_spans

PRONOUNS_SING = {"he", "she", "him", "her"}
PRONOUNS_PLUR = {"they", "them"}
PRONOUNS = PRONOUNS_SING | PRONOUNS_PLUR | {"it", "we", "i", "you"}
SPOKESPEOPLE = ("for", "of", "at", "from")
PHRASE_BREAKS = {",", ";", ":", "("} | LONG_DASHES     # cut a noun phrase joined by a misparse
# earlier descriptions a definite one ("the diplomat") is compared with, nearest first: without a
# bound, a text repeating "the minister said that ..." cost quadratic time (49 s for 23 KB)
MAX_EARLIER = 40
# Speaker nouns that speak for someone named in a prepositional phrase, with the prepositions.
DOCUMENTS = {
    **dict.fromkeys(["statement", "report", "letter", "release", "memo", "communique", "announcement", "email",
                     "post", "tweet", "filing", "study", "survey", "poll", "document", "notice", "message"],
                    ("from", "by", "of")),
    **dict.fromkeys(["spokesman", "spokeswoman", "spokesperson", "representative", "official", "source",
                     "lawyer", "attorney", "adviser", "advisor", "aide"], SPOKESPEOPLE),
}
ISSUE_VERBS = {"release", "issue", "publish", "send", "put", "post", "file", "circulate", "sign", "write",
               "deliver", "read", "distribute", "submit", "present", "produce", "give", "make", "tweet"}
SPEAKER_TYPES = ("person", "official", "government", "firm", "group", "media")
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


MALE_TITLES = {"mr", "sir", "king", "prince", "lord", "duke", "baron", "count", "emperor", "pope"}
FEMALE_TITLES = {"mrs", "ms", "miss", "madam", "madame", "queen", "princess", "lady", "dame", "duchess",
                 "baroness", "countess", "empress"}
TITLE_WORDS = [w + p for w in MALE_TITLES | FEMALE_TITLES for p in ("", ".")]


def clashes(pronoun: str, phrase, ent: dict | None = None, other: str = "", titled: frozenset = frozenset()) -> bool:
    """A title in the phrase or the entity's name ("Mr Bolt" for "she"), or elsewhere in the
    article before the same surname (``titled``: "Mrs. Clinton" for "Hillary Clinton"), or an
    earlier pronoun of the other gender ("she" for "he"), says it is not the person the pronoun names."""
    if pronoun not in ("she", "her", "he", "him"):
        return False
    titles = {t.lower_.rstrip(".") for t in phrase} | {w.lower().rstrip(".") for w in (ent or {}).get("name", "").split()} \
        | titled
    if pronoun in ("she", "her"):
        return bool(titles & MALE_TITLES) or other in ("he", "him")
    if pronoun in ("he", "him"):
        return bool(titles & FEMALE_TITLES) or other in ("she", "her")
    return False


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


HEARSAY = {"report", "rumour", "rumor", "theory", "speculation", "claim", "allegation", "suggestion", "word",
           "talk", "comment", "account", "estimate", "prediction", "forecast", "indication", "sign", "suspicion",
           "hint", "whisper", "story", "assertion"}


def existential_source(cue: Token) -> tuple[int, int] | None:
    """ "There is an unofficial report that ...", "there are rumours that ...": a report with
    no author is its own source; the bounds of the noun phrase (without its clause)."""
    if cue.lemma_.lower() not in HEARSAY or cue.dep_ != "attr" or cue.head.lemma_ != "be" or not any(
            c.dep_ == "expl" and c.lower_ == "there" for c in cue.head.children):
        return None
    if any(c.dep_ == "prep" and c.lower_ in ("from", "by") for c in cue.children) or any(
            c.dep_ == "poss" for c in cue.children):
        return None                       # "a report from the ministry", "his claim": someone's
    return cue.left_edge.i, cue.i + 1


def past_dateline(doc: Doc, a: Attribution) -> Attribution:
    """A wire dateline opening the sentence: the words start after its dash ('BEIJING
    (Reuters) - China will lift the ban, a diplomat said': not 'BEIJING (Reuters) - China
    will ...'); parsed into the speaker ('LONDON (Reuters) - Prime Minister Theresa May said',
    'OTTAWA - Finance Minister Bill Morneau said'), the name after the dash speaks (the
    dateline's apposition)."""
    cs, ce = a.content
    if ce > cs:
        stop = dateline_end(doc, doc[cs].sent.start, doc[cs].sent.end)
        if stop is not None and cs <= stop < ce - 1:
            cs = clean_span(doc, stop + 1, ce)[0]      # 'WASHINGTON — “We will win,” the president said'
            if cs < ce:
                a = a._replace(content=(cs, ce))
    spk = a.speaker
    if spk is None:
        return a
    stop = dateline_end(spk.doc, spk.sent.start, spk.sent.end)
    if stop is None or a.cue[0] <= stop:
        return a
    if spk.i < stop:                     # its apposition, or a second subject of its verb
        spk = next((c for c in spk.children if c.dep_ == "appos" and c.i > stop), None) or next(
            (c for c in spk.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > stop), None)
        if spk is None:
            return a
        a = a._replace(speaker=spk, speaker_span=None)
    s, e = a.speaker_span or trimmed(spk)
    return a._replace(speaker_span=(max(s, stop + 1), e)) if s <= stop else a


def own_phrase(t: Token) -> tuple[int, int]:
    """Bounds of t's noun phrase, cut at a comma before it (a misparse joining a list)."""
    lo = t.left_edge.i
    for k in range(t.i - 1, lo - 1, -1):
        if t.doc[k].text in PHRASE_BREAKS:
            lo = k + 1
            break
    return lo, t.right_edge.i + 1


def introduces(t: Token) -> bool:
    """An indefinite phrase introducing someone: "a Korean diplomat", "three people"."""
    return any(c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "some", "another") or c.dep_ == "nummod"
               for c in t.children)


def can_speak(head: Token, ent: dict | None, person: bool) -> bool:
    """An earlier speaker "he"/"she" (person) or "they"/"we" can stand for: not itself a
    pronoun (unless resolved already); a person/group entity, a name, or a person/group
    noun ("the data" cannot)."""
    if head.pos_ == "PRON" or head.tag_ in ("PRP", "PRP$", "WP", "WDT") or head.lower_ in PRONOUNS:
        return ent is not None and ent["type"] in (("person", "official") if person else SPEAKER_TYPES)
    low = head.lemma_.lower()
    noun = low in KIND_OF_NOUN and (not person or KIND_OF_NOUN[low] == _PERSON) \
        or DOCUMENTS.get(low) == SPOKESPEOPLE or not person and low in speaker_nouns()
    if ent is not None:     # "a spokesman for the firm": the firm, through a person noun
        return ent["type"] in (("person", "official") if person else SPEAKER_TYPES) or noun
    return head.pos_ == "PROPN" or noun


@lru_cache(maxsize=1)
def _kin_map() -> dict[str, tuple[str, ...]]:
    """Person/group noun -> the nouns it can name again (WordNet synonyms, hypernyms and the
    nouns it is a hypernym of: "envoy" <-> "diplomat", "official"), symmetric."""
    pairs: dict[str, set[str]] = {}
    for noun, kin in wordnet_lexicon().get("speaker_kin", {}).items():
        for k in kin.split():
            pairs.setdefault(noun, set()).add(k)
            pairs.setdefault(k, set()).add(noun)
    return {n: tuple(sorted(k)) for n, k in pairs.items()}


def kin_nouns(lemma: str) -> tuple[str, ...]:
    """The WordNet kin of a person/group noun (one tuple object per noun, so lookups by
    ``tokens_with`` stay cached)."""
    return _kin_map().get(lemma.lower(), ())


def proper_name(head: Token) -> str:
    """'Balsican', 'Mr Young': the proper-noun head with its proper-noun compounds."""
    toks = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [head]
    return head.doc[toks[0].i:head.i + 1].text


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
        self.ref_of: dict[int, tuple[int, int] | None] = {}        # pronoun index -> phrase it stands for
        self.titles: dict[str, frozenset] = {}     # surname -> the titles the article gives it ("Mrs. Clinton")
        for t in tokens_with(doc, "lower", TITLE_WORDS):
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            nxt = doc[t.i + 2] if nxt is not None and nxt.text == "." and t.i + 2 < len(doc) else nxt
            if nxt is not None and nxt.pos_ == "PROPN":
                name = nxt.head if nxt.dep_ == "compound" and nxt.head.pos_ == "PROPN" else nxt
                self.titles[name.lower_] = self.titles.get(name.lower_, frozenset()) | {t.lower_.rstrip(".")}

    def titled(self, name: str) -> frozenset:
        """The titles the article gives the surname of ``name`` ("Mrs." for "Hillary Clinton"),
        none when they differ in gender (Mr. and Mrs. Clinton)."""
        words = name.split()
        got = self.titles.get(words[-1].lower(), frozenset()) if words else frozenset()
        return got if not (got & MALE_TITLES and got & FEMALE_TITLES) else frozenset()

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
        far = {c.i for h in hosts[1:] for c in h.children if c.dep_ == "appos"}
        for t in [head] + (appos + kids if head.pos_ == "NOUN" else kids + appos):
            span = self.by_token.get(t.i)
            if span is not None and span.label_ != "other" \
                    and (t.i not in far or span.label_ in ("person", "official")):   # not "..., England"
                return {"name": span.kb_id_ or span.text, "type": span.label_}
        for a in appos:                  # "The secretary ..., Gen. Sigfrido Pared Perez": a name the
            if a.pos_ != "PROPN":         # NER cut in pieces; its person part
                continue
            span = next((self.by_token[x.i] for x in a.subtree if x.i in self.by_token
                         and self.by_token[x.i].label_ in ("person", "official")), None)
            if span is not None:
                return {"name": span.kb_id_ or span.text, "type": span.label_}
        return None

    def antecedent(self, head: Token, skip: tuple[int, int] = (0, 0)) -> tuple[Token | None, dict | None]:
        """Pronouns and definite descriptions ('the diplomat') -> an earlier phrase; a pronoun
        skips speakers and mentions inside ``skip`` (the words its own claim reports)."""
        low = head.lower_
        before = head.i
        if low in ("who", "that", "which") and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
            ante = head.head.head            # "the architect who said ...": the noun the clause modifies
            chain, t = [ante], ante          # "Jane Zhang, an analyst at Canalys, who ...": "who" is a person
            while t.dep_ in ("pobj", "prep", "appos") and t.head.i != t.i and len(chain) < 6:
                t = t.head
                chain.append(t)
            for t in chain:                  # "Citizens for Tax Justice, a group that says ...": the name
                ent = self.entity_at(t)
                if ent is not None and (low != "who" or ent["type"] in ("person", "official")):
                    return t, ent
            return ante, self.resolve(ante)  # "a report that showed ...": who issued it
        if low in PRONOUNS_SING or low in PRONOUNS_PLUR or low in ("it", "we"):
            kinds = (("person", "official") if low in PRONOUNS_SING
                     else ("group", "firm", "government", "media") if low in PRONOUNS_PLUR | {"we"}
                     else ("government", "firm", "media", "app", "group"))
            plural = low in PRONOUNS_PLUR | {"we"}
            # the latest fitting mention and the latest fitting speaker (searched backwards:
            # the checks cost, and only the last one found counts)
            quoted = self.quoted_apart(head)
            best_m = next(((s.start, s) for s in reversed(self.mentions) if s.start < before
                           and s.label_ in kinds and not skip[0] <= s.start < skip[1] and not quoted(s.start)
                           and not clashes(low, self.doc[max(0, s.start - 2):s.end],
                                           titled=self.titled(s.kb_id_ or s.text))), None)
            best_s = None if low == "it" else next(
                ((i, h, e) for i, h, e in reversed(self.speakers) if i < before and not skip[0] <= i < skip[1]
                 and (h.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in h.children)) == plural
                 and can_speak(h, e, low in PRONOUNS_SING)
                 and not clashes(low, self.doc[max(0, h.left_edge.i - 1):h.i + 1], e, h.lower_,
                                 self.titled(e["name"] if e else h.text))), None)
            if best_s and (not best_m or best_s[0] >= best_m[0]):
                ent = best_s[2]
                if ent is None and low in PRONOUNS_SING:
                    ent = self.missed_name(best_s[1])
                return best_s[1], ent
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
            earlier = (t for t in reversed(tokens_with(self.doc, "orth_lemma", [head.lemma_]))
                       if t.i < head.i and t.lemma_ == head.lemma_ and t.pos_ == "NOUN")
            for t in islice(earlier, MAX_EARLIER):    # the nearest few: not every one of a long text
                ent = self._description_entity(t, head)
                if ent is not None or introduces(t) or head.lemma_.lower() not in KIND_OF_NOUN:
                    return t, ent          # "a Korean diplomat ... the diplomat": anonymous, linked
            kin = self.kin_antecedent(head)
            return kin if kin[0] is not None else self.by_kind(head)
        return None, None

    def quoted_apart(self, head: Token):
        """token index -> inside a quotation that does not hold ``head``. A name someone quoted
        is no antecedent of a pronoun outside that quote ('“... than working Crooked Hillary
        Clinton.” He notes ...': he is not Clinton)."""
        quotes = quote_spans(self.doc, self.text)
        own = in_quote(quotes, head.i)
        return lambda i: (q := in_quote(quotes, i)) is not None and q != own

    def _description_entity(self, t: Token, head: Token) -> dict | None:
        """The entity of an earlier description t that ``head`` names again."""
        ent = None
        if t.dep_ == "compound" and t.head.pos_ == "PROPN":   # "electronics retailer Circuit City"
            ent = self.entity_at(t.head, own_phrase(t.head))
            if ent is not None and ent["type"] not in KIND_OF_NOUN.get(head.lemma_.lower(), ()):
                ent = None       # "provincial police Superintendent X": not the police
        if ent is None and t.dep_ == "appos":      # "Kim, a South Korean diplomat": Kim
            ent = self.entity_at(t.head, (t.head.left_edge.i, t.head.i + 1))
            ent = ent if ent is not None and ent["type"] in SPEAKER_TYPES else None
        return ent or self.entity_at(t, own_phrase(t))

    def kin_antecedent(self, head: Token) -> tuple[Token | None, dict | None]:
        """'A Korean diplomat said ... the envoy said': the nearest earlier description whose
        noun is a WordNet synonym, hypernym or hyponym of head's, when it introduced someone
        ('a', a number) or names an entity, and agrees in number."""
        kin = kin_nouns(head.lemma_)
        if not kin:
            return None, None
        plural = head.tag_ in ("NNS", "NNPS")
        earlier = (t for t in reversed(tokens_with(self.doc, "lemma", kin)) if t.i < head.i and t.pos_ == "NOUN"
                   and (t.tag_ in ("NNS", "NNPS")) == plural and t.lemma_.lower() in kin)
        for t in islice(earlier, MAX_EARLIER):        # the nearest few: not every one of a long text
            ent = self._description_entity(t, head)
            if ent is not None or introduces(t):
                return t, ent
        return None, None

    def missed_name(self, head: Token) -> dict | None:
        """A person's name the NER missed ("Balsican said ... he added"): the proper-noun head
        of an earlier speaker, when it is capitalised, not a title ("the President") and not
        the text of a mention of another known type ("other" is no type)."""
        name = proper_name(head)
        if head.pos_ != "PROPN" or head.lemma_.lower() in KIND_OF_NOUN or \
                not all(w[:1].isupper() for w in name.split()):
            return None
        if any(m.text == name and m.label_ not in ("person", "official", "other") for m in self.mentions):
            return None
        return {"name": name, "type": "person"}

    def refers_to(self, head: Token | None, skip: tuple[int, int] = (0, 0)) -> tuple[int, int] | None:
        """Token bounds of the earlier phrase a pronoun, description or "one of them" stands for."""
        if head is None or head.pos_ == "PROPN" or self.entity_at(head) is not None:
            return None
        ante, _ = self.antecedent(head, skip)
        if ante is None or ante.i >= head.i:
            return None
        if ante.lower_ in PRONOUNS or ante.tag_ == "WP":     # "Lynch said ... She said ... she added": back to the name
            if ante.i not in self.ref_of:
                self.ref_of[ante.i] = self.refers_to(ante)
            bounds = self.ref_of[ante.i]
        else:
            bounds = trimmed(ante)
        self.ref_of[head.i] = bounds
        return bounds

    def by_kind(self, head: Token) -> tuple[Token | None, dict | None]:
        """'the company', 'the ministry', 'the spokesman': the nearest earlier mention of the
        type the noun names first, in the same or the two sentences before; else the entity of
        that type named most often before; else the nearest of its other types."""
        kinds = KIND_OF_NOUN.get(head.lemma_.lower())
        if kinds is None or head.tag_ in ("NNS", "NNPS"):
            return None, None
        start = sentences_back(head)
        earlier = [s for s in self.mentions if s.end <= head.i and s.label_ in kinds
                   and not head.left_edge.i <= s.start <= head.right_edge.i]
        near = [s for s in earlier if start <= s.start]
        first = [s for s in near if s.label_ == kinds[0]]
        if not first:                   # "the airline" beside the union that struck it: the firm named before
            named = [(s, entity_dict(s)["name"]) for s in earlier if s.label_ == kinds[0]]
            counts = Counter(name for _, name in named)
            first = [s for s, name in named if counts[name] == max(counts.values())]
        pick = (first or near)[-1] if first or near else None
        return (pick.root, entity_dict(pick)) if pick is not None else (None, None)

    def resolve(self, head: Token | None, bounds: tuple[int, int] | None = None,
                skip: tuple[int, int] = (0, 0)) -> dict | None:
        """The entity of the phrase at ``head`` (within ``bounds``), else of its antecedent."""
        if head is None:
            return None
        ent = self.entity_at(head, bounds)
        if ent is None and head.lemma_.lower() in DOCUMENTS:
            ent = self.issuer(head)
        if ent is None:
            _, ent = self.antecedent(head, skip)
        return ent

    def issuer(self, doc_noun: Token) -> dict | None:
        """Who put out a statement or report: "a statement issued by the hospital", "X released a
        statement saying ...", "the ministry published a report showing ...": that entity."""
        if any(c.dep_ == "prep" and c.lower_ in ("from", "by") for c in doc_noun.children):
            return None                   # "released a letter from his doctor": the doctor's
        for c in doc_noun.children:       # "a statement issued by X", not "emails obtained by X"
            if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in ISSUE_VERBS:
                for p in (p for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"):
                    return self.resolve(p)
        v = doc_noun.head
        if doc_noun.dep_ == "dobj" and v.lemma_.lower() in ISSUE_VERBS:
            subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lemma_.lower() not in DOCUMENTS:
                return self.resolve(subj)
        return None
