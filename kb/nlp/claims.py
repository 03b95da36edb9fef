"""Claims (attribution): who said what, found from cue words in the dependency parse.

Rules are pure functions over a parsed ``Doc`` that yield ``Attribution`` namedtuples
(token indices); the ``kb_claims`` component turns them into contract dicts stored in
``doc._.kb_claims`` and puts the cue spans in ``doc.spans["kb_cues"]``.
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Token

from .entities import SPAN_KEY

CUE_VERBS = {
    "say", "tell", "add", "claim", "state", "announce", "warn", "insist", "deny", "report",
    "explain", "note", "argue", "believe", "suggest", "promise", "write", "acknowledge",
    "admit", "confirm", "predict", "estimate", "recall", "reply", "respond", "declare",
    "assert", "contend", "maintain", "stress", "emphasize", "emphasise", "tweet", "testify",
    "complain", "concede", "caution", "indicate", "reveal", "think", "expect", "hope",
    "fear", "agree", "allege", "vow", "pledge", "threaten", "urge", "demand", "quote",
    "observe", "remark", "mention", "disclose", "signal", "forecast", "speculate", "suspect",
    "guess", "boast", "counter", "acknowledge", "predict", "reiterate", "underline",
    "point", "show", "find", "conclude", "charge", "accuse", "doubt", "warn",
    "propose", "recommend", "announce", "assure",
}
NEEDS_PRT = {"point": "out"}
XCOMP_CUES = {"promise", "vow", "pledge", "threaten", "urge", "demand", "expect", "hope"}
FUTURE_CUES = {"promise", "vow", "pledge", "predict", "forecast", "expect", "threaten"}
HEDGE_CUES = {"believe", "suggest", "think", "estimate", "speculate", "suspect", "guess",
              "hope", "fear", "worry", "doubt"}
DEMAND_CUES = {"urge", "demand", "recommend", "propose"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "’ll", "wo"}
POSSIBLE_AUX = {"may", "might", "could"}
DEMAND_AUX = {"must", "should", "ought"}
FUTURE_VERBS = {"plan", "intend", "aim", "prepare", "schedule", "expect", "set", "propose"}
HEDGE_VERBS = {"appear", "seem"}
HEDGE_ADV = {"likely", "probably", "apparently", "reportedly", "allegedly", "perhaps",
             "maybe", "possibly", "presumably", "supposedly", "seemingly"}
NEG_WORDS = {"not", "n't", "n’t", "never", "no", "neither", "nor"}
MEDIA_NOUNS = {"agency", "newspaper", "website", "broadcaster", "magazine", "channel",
               "outlet", "paper", "daily", "network", "television", "radio", "site", "wire"}
TRIM_DEPS = {"appos", "relcl", "acl", "advcl", "punct", "parataxis", "cc"}
PRONOUNS_SING = {"he", "she", "him", "her"}
PRONOUNS_PLUR = {"they", "them"}
OPEN_Q, CLOSE_Q = "“", "”"
FIX_LEMMA = {"'s": "be", "’s": "be", "'re": "be", "’re": "be", "'m": "be", "’m": "be",
             "'ve": "have", "’ve": "have", "'d": "would", "’d": "would"}
CLAIMS_KEY = "kb_cues"

if not Doc.has_extension("kb_claims"):
    Doc.set_extension("kb_claims", default=None)


class Attribution(NamedTuple):
    cue: tuple[int, int]            # token span of the cue words
    speaker: Token | None           # head of the speaker phrase
    content: tuple[int, int]        # token span of the content
    root: Token | None              # main verb of the content
    direct: bool                    # content is a direct quote
    via: Token | None               # head of an intermediary phrase
    speaker_span: tuple[int, int] | None = None   # explicit speaker tokens (headlines)


# ----------------------------------------------------------------------------- helpers
def quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token spans inside quotation marks (“...” or "..."), within a paragraph."""
    text, spans = doc.text, []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        p0, ptxt, i = para.start(), para.group(), 0
        for m in re.finditer(r"“[^“”]*(”|$)|\"[^\"]*(\"|$)", ptxt):
            s, e = p0 + m.start() + 1, p0 + m.end() - (1 if m.group(1) or m.group(2) else 0)
            sp = doc.char_span(s, e, alignment_mode="expand")
            if sp is not None and len(sp) > 0:
                spans.append((sp.start, sp.end))
            i += 1
    return spans


def paragraph(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the paragraph (line) holding token i."""
    s = i
    while s > 0 and "\n" not in doc[s - 1].text:
        s -= 1
    e = i
    while e < len(doc) and "\n" not in doc[e].text:
        e += 1
    return s, e


def clamp(doc: Doc, span: tuple[int, int], anchor: int) -> tuple[int, int]:
    """Restrict a token span to the paragraph of the anchor token."""
    ps, pe = paragraph(doc, anchor)
    return max(span[0], ps), min(span[1], pe)


def trimmed(tok: Token, drop: set[str] = TRIM_DEPS) -> tuple[int, int]:
    """The contiguous part of tok's subtree around tok, without appositions, clauses etc."""
    removed: set[int] = set()
    for c in tok.children:
        if c.dep_ in drop and not (c.dep_ == "cc" and any(x.dep_ == "conj" for x in tok.children)):
            removed |= {t.i for t in c.subtree}
    keep = {t.i for t in tok.subtree} - removed
    s = e = tok.i
    while s - 1 in keep:
        s -= 1
    while e + 1 in keep:
        e += 1
    doc = tok.doc
    while s < e and (doc[s].is_punct or doc[s].dep_ in ("cc", "mark")):
        s += 1
    while e > s and (doc[e].is_punct or doc[e].dep_ == "cc"):
        e -= 1
    return s, e + 1


def clean_span(doc: Doc, s: int, e: int) -> tuple[int, int]:
    """Strip punctuation, quote marks, spaces and a leading 'that' from a token span."""
    while s < e and (doc[s].is_punct or doc[s].is_space or doc[s].dep_ == "mark" and doc[s].lower_ == "that"):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


def subject_of(v: Token) -> Token | None:
    """nsubj/nsubjpass of v, or of the verb it shares a subject with (conj, xcomp, advcl)."""
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subj:
            s = subj[0]
            if s.lower_ in ("who", "that", "which") and v.dep_ == "relcl":
                return v.head
            return s
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head is not v:
            v = v.head
        else:
            return None
    return None


def lemma(tok: Token) -> str:
    return FIX_LEMMA.get(tok.lower_, tok.lemma_.lower())


# ----------------------------------------------------------------------------- cue rules
def verb_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """Speech and cognition verbs with a complement clause or an adjacent direct quote."""
    for v in doc:
        lem = v.lemma_.lower()
        if lem not in CUE_VERBS or v.pos_ not in ("VERB", "AUX") or v.dep_ in ("amod", "compound"):
            continue
        if lem in NEEDS_PRT and not any(c.dep_ == "prt" and c.lower_ == NEEDS_PRT[lem] for c in v.children):
            continue
        cue_s, cue_e = v.i, v.i + 1
        prt = [c for c in v.children if c.dep_ == "prt"]
        if prt:
            cue_e = max(cue_e, prt[-1].i + 1)
        body = v
        if lem == "quote":  # "was quoted as saying"
            if not any(c.dep_ == "auxpass" for c in v.children):
                continue
            saying = [t for t in v.subtree if t.lemma_ == "say" and t.head.lower_ == "as"]
            if saying:
                cue_e = saying[0].i + 1
        speaker = subject_of(v)
        if speaker is None and v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
            speaker = v.head  # "a notice saying ...", "a statement saying ..."
        if speaker is None:
            head = headline(doc, v)
            if head is not None:
                yield head
            continue
        comp = [c for c in v.children if c.dep_ == "ccomp"]
        if not comp and lem in XCOMP_CUES:
            comp = [c for c in v.children if c.dep_ == "xcomp"]
        direct = False
        q = adjacent_quote(doc, v, quotes, speaker)
        if q is not None:
            cs, ce = q
            root = comp[0] if comp and cs <= comp[0].i < ce else quote_root(doc, cs, ce)
            direct = True
        elif comp:
            root = comp[0]
            cs, ce = clamp(doc, (root.left_edge.i, root.right_edge.i + 1), root.i)
        elif v.dep_ == "parataxis" and v.head.pos_ in ("VERB", "AUX") and speaker is not None:
            root = v.head
            cs, ce = paratactic_content(v)
        else:
            continue
        cs, ce = clean_span(doc, cs, ce)
        if ce <= cs or speaker is not None and cs <= speaker.i < ce and not direct:
            continue
        yield Attribution((cue_s, cue_e), speaker, (cs, ce), root, direct, find_via(body))


def adjacent_quote(doc: Doc, v: Token, quotes, speaker: Token | None) -> tuple[int, int] | None:
    """A direct quote right before ('“...,” she said') or after ('he said: “...”') the cue."""
    allowed = {v.i} | ({t.i for t in speaker.subtree} if speaker is not None else set())
    allowed |= {c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "npadvmod", "prt")}
    for qs, qe in quotes:
        if qs <= v.i < qe:
            continue
        if qe <= v.i:
            gap = range(qe, v.i)
        elif qs > v.i:
            gap = range(v.i + 1, qs)
        else:
            continue
        if len(gap) > 12 or any("\n" in doc[i].text for i in gap):
            continue
        if qs > v.i and any(c.dep_ == "ccomp" and not qs <= c.i < qe for c in v.children):
            continue
        if all(doc[i].is_punct or doc[i].is_space or i in allowed or doc[i].head.i in allowed
               and doc[i].dep_ in ("dative", "dobj", "prep", "pobj", "det", "npadvmod") for i in gap) \
                and qe - qs >= 3:
            return qs, qe
    return None


def headline(doc: Doc, v: Token) -> Attribution | None:
    """'Restrictions to be lifted, South Korean diplomat says': a line ending with the cue."""
    ps, pe = paragraph(doc, v.i)
    rest = [t for t in doc[v.i + 1:pe] if not t.is_punct and not t.is_space]
    if rest or v.tag_ not in ("VBZ", "VBD"):
        return None
    commas = [t.i for t in doc[ps:v.i] if t.text in (",", ":", "-", "–", "—")]
    if not commas or v.i - commas[-1] < 2 or commas[-1] - ps < 3:
        return None
    cs, ce = clean_span(doc, ps, commas[-1])
    if ce <= cs:
        return None
    return Attribution((v.i, v.i + 1), doc[v.i - 1], (cs, ce), quote_root(doc, cs, ce), False, None,
                       (commas[-1] + 1, v.i))


def quote_root(doc: Doc, s: int, e: int) -> Token:
    """Main verb of the first sentence inside a quote."""
    sent = doc[s].sent
    roots = [t for t in doc[s:e] if t.head.i < s or t.head.i >= e or t.head == t]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")] or roots or [sent.root]
    return verbs[0]


def paratactic_content(v: Token) -> tuple[int, int]:
    """Content of 'X, analysts say, Y': the head clause without the cue clause."""
    head, cue_toks = v.head, {t.i for t in v.subtree}
    toks = [t.i for t in head.subtree if t.i not in cue_toks and not t.is_punct]
    left = [i for i in toks if i < v.left_edge.i]
    right = [i for i in toks if i > v.right_edge.i]
    if len(left) <= 2 and right:
        toks = right
    elif len(right) <= 2 and left:
        toks = left
    return min(toks), max(toks) + 1


def according_to(doc: Doc) -> Iterator[Attribution]:
    """'..., according to X': X is the speaker, the clause it modifies the content."""
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
            continue
        pobj = [c for c in doc[t.i + 1].children if c.dep_ == "pobj"]
        if not pobj:
            continue
        head = t.head
        while head.dep_ in ("prep", "pobj") and head.head is not head:
            head = head.head
        phrase = {x.i for x in t.subtree} | {t.i, t.i + 1}
        if head.pos_ not in ("VERB", "AUX"):
            head = t.sent.root
        sent = t.sent
        toks = [x.i for x in head.subtree if x.i not in phrase]
        left = [i for i in toks if i < t.i]
        right = [i for i in toks if i > max(phrase)]
        part = left if len(left) >= len(right) else right
        if not part:
            continue
        cs, ce = clamp(doc, (max(min(part), sent.start), min(max(part) + 1, sent.end)), t.i)
        cs, ce = clean_span(doc, cs, ce)
        if ce > cs:
            yield Attribution((t.i, t.i + 2), pobj[0], (cs, ce), head, False, None)


def find_via(v: Token) -> Token | None:
    """An outlet that relayed the words: '... by the Yonhap news agency', 'told the website X'."""
    doc = v.doc
    ents = {i: s for s in doc.spans.get(SPAN_KEY, []) for i in range(s.start, s.end)}
    skip = {x.i for c in v.children if c.dep_ in ("ccomp", "xcomp") for x in c.subtree}
    for t in v.subtree:
        if t.i in skip:
            continue
        if t.dep_ in ("pobj", "dobj", "dative") and t.head.lower_ not in ("according",):
            if t.dep_ == "pobj" and t.head.lower_ not in ("by", "to", "with"):
                continue
            span = next((ents[i] for i in range(t.left_edge.i, t.right_edge.i + 1)
                         if i in ents and ents[i].label_ == "media"), None)
            if span is not None or t.lower_ in MEDIA_NOUNS:
                return span.root if span is not None else t
    return None


# ----------------------------------------------------------------------------- resolution
class Resolver:
    """Entities and antecedents of one doc: mentions by token, earlier speakers."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.mentions = list(doc.spans.get(SPAN_KEY, []))
        self.by_token = {i: s for s in self.mentions for i in range(s.start, s.end)}
        self.speakers: list[tuple[int, Token, dict | None]] = []   # (token index, head, entity)

    def entity_at(self, head: Token, bounds: tuple[int, int] | None = None) -> dict | None:
        """The mention at the phrase head, or one attached to it as compound/possessive/conj."""
        lo, hi = bounds or (head.left_edge.i, head.right_edge.i + 1)
        for t in [head] + [c for c in head.children if c.dep_ in ("compound", "poss", "nmod", "conj")
                           and lo <= c.i < hi]:
            span = self.by_token.get(t.i)
            if span is not None and span.label_ != "other":
                return {"name": span.kb_id_ or span.text, "type": span.label_}
        return None

    def antecedent(self, head: Token) -> tuple[Token | None, dict | None]:
        """Pronouns and definite descriptions ('the diplomat') -> an earlier phrase."""
        low = head.lower_
        before = head.i
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
        det = [c for c in head.children if c.dep_ == "det"]
        if det and det[0].lower_ in ("the", "this", "that") and head.pos_ == "NOUN":
            for t in reversed(self.doc[: head.i]):
                if t.lemma_ == head.lemma_ and t.pos_ == "NOUN":
                    return t, self.entity_at(t)
        return None, None

    def resolve(self, head: Token | None) -> dict | None:
        if head is None:
            return None
        ent = self.entity_at(head)
        if ent is None:
            _, ent = self.antecedent(head)
        return ent


# ----------------------------------------------------------------------------- fields
def predicate_of(root: Token) -> Token:
    """The content's main verb; through nested speech ('told X that it would lift')."""
    seen = 0
    while seen < 3 and root.lemma_ in CUE_VERBS:
        comp = [c for c in root.children if c.dep_ == "ccomp"]
        if not comp:
            break
        root, seen = comp[0], seen + 1
    return root


def reporting_subject(pred: Token) -> Token | None:
    """'X told Y that it would ...': the subject X of the speech verb above pred."""
    t = pred
    for _ in range(3):
        if t.dep_ != "ccomp" or t.head is t:
            return None
        t = t.head
        if t.lemma_ in CUE_VERBS:
            subj = subject_of(t)
            if subj is not None and subj.lower_ not in PRONOUNS_SING | PRONOUNS_PLUR | {"it", "we", "i"}:
                return subj
    return None


def verb_group(v: Token) -> tuple[int, int]:
    """Span of the verb with its auxiliaries and negation ('would soon lift')."""
    parts = [v.i] + [c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < v.i]
    return min(parts), v.i + 1


def chain(pred: Token, top: Token) -> list[Token]:
    """pred and its heads up to top (inclusive), at most a few steps."""
    out, t = [pred], pred
    while t is not top and t.head is not t and len(out) < 5 and t.dep_ in ("ccomp", "xcomp", "conj", "advcl"):
        t = t.head
        out.append(t)
        if t is top:
            break
    return out


def modality(pred: Token, root: Token, cue_lemma: str) -> str:
    """asserted | future | possible | hedged | demanded | conditional."""
    verbs = chain(pred, root)
    kids = [c for v in verbs for c in v.children]
    aux = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
    if any(c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children if m.dep_ == "mark")
           for c in kids):
        return "conditional"
    have_to = any(v.lemma_ in ("have", "need") and any(c.dep_ == "xcomp" for c in v.children) for v in verbs) \
        or any(v.dep_ == "xcomp" and v.head.lemma_ in ("have", "need") and v.head.tag_ != "VBN" for v in verbs)
    if aux & DEMAND_AUX or cue_lemma in DEMAND_CUES or have_to:
        return "demanded"
    going = any(v.lower_ == "going" and any(c.dep_ == "xcomp" for c in v.children) for v in verbs) or \
        any(v.head.lower_ == "going" for v in verbs)
    if aux & FUTURE_AUX or going or any(c.lower_ == "soon" for c in kids) \
            or any(v.lemma_ in FUTURE_VERBS and any(c.dep_ == "xcomp" for c in v.children) for v in verbs) \
            or cue_lemma in FUTURE_CUES:
        return "future"
    if aux & POSSIBLE_AUX or any(c.lower_ == "possibly" for c in kids):
        return "possible"
    if any(v.lemma_ in HEDGE_VERBS for v in verbs) or any(c.lower_ in HEDGE_ADV for c in kids) \
            or cue_lemma in HEDGE_CUES:
        return "hedged"
    return "asserted"


def polarity(pred: Token) -> str:
    """negative when the predicate itself is negated."""
    heads = [pred] + ([pred.head] if pred.dep_ == "xcomp" else [])
    neg = any(c.dep_ == "neg" or c.lower_ in NEG_WORDS and c.dep_ in ("advmod", "det") for h in heads for c in h.children)
    return "negative" if neg else "positive"


def objects_of(pred: Token, res: Resolver, content: tuple[int, int] = (0, 0),
               subject: tuple[int, int] = (0, 0)) -> list[dict]:
    """Objects of the predicate (and of xcomp/conj verbs), plus the other entities of the content."""
    doc, out, seen = pred.doc, [], set()
    verbs = [pred] + [c for c in pred.children if c.dep_ in ("xcomp", "conj") and c.pos_ in ("VERB", "AUX")]
    heads = []
    for v in verbs:
        for c in v.children:
            if c.dep_ in ("dobj", "attr", "oprd", "dative", "acomp"):
                heads.append(c)
            elif c.dep_ in ("prep", "agent"):
                heads += [p for p in c.children if p.dep_ == "pobj"]
        heads += [g for h in list(heads) for g in h.conjuncts if g not in heads]
    for h in heads:
        s, e = trimmed(h)
        if (s, e) not in seen and e > s:
            seen.add((s, e))
            out.append({"text": doc[s:e].text, "entity": res.entity_at(h)})
        for t in h.subtree:
            span = res.by_token.get(t.i)
            if span is not None and span.label_ != "other" and (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                out.append({"text": span.text, "entity": {"name": span.kb_id_ or span.text, "type": span.label_}})
    for span in res.mentions:
        if content[0] <= span.start and span.end <= content[1] and span.label_ != "other" \
                and not subject[0] <= span.start < subject[1] and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            out.append({"text": span.text, "entity": {"name": span.kb_id_ or span.text, "type": span.label_}})
    return out


def build(doc: Doc, a: Attribution, res: Resolver) -> dict:
    """Contract dict of one attribution."""
    cs, ce = a.content
    cue = doc[a.cue[0]:a.cue[1]]
    cue_lemma = doc[a.cue[0]].lemma_.lower()
    if a.speaker is not None:
        ss, se = a.speaker_span or trimmed(a.speaker)
        spk_span = doc[ss:se]
        spk_ent = res.entity_at(a.speaker, (ss, se)) or res.resolve(a.speaker)
        res.speakers.append((a.speaker.i, a.speaker, spk_ent))
    else:
        spk_span, spk_ent = None, None
    root = a.root if a.root is not None else doc[cs:ce].root
    pred = predicate_of(root)
    subj = subject_of(pred)
    if subj is not None:
        s0, s1 = trimmed(subj)
        subj_text, subj_bounds = doc[s0:s1].text, (s0, s1)
        subj_ent = res.entity_at(subj)
        if subj_ent is None and a.direct and subj.lower_ in ("we", "i"):
            subj_ent = spk_ent
        if subj_ent is None and subj.lower_ in ("it", "they", "he", "she", "we"):
            outer = reporting_subject(pred)
            subj_ent = res.resolve(outer) if outer is not None and outer is not subj else None
        if subj_ent is None and subj.lower_ not in ("we", "i", "you", "it"):
            subj_ent = res.resolve(subj)
    else:
        subj_text, subj_ent, subj_bounds = None, None, (0, 0)
    ps, pe = verb_group(pred)
    via = a.via
    via_name = None
    if via is not None:
        span = res.by_token.get(via.i)
        via_name = span.kb_id_ if span is not None and span.label_ == "media" else doc[slice(*trimmed(via))].text
    lo, hi = min(cs, a.cue[0]), max(ce, a.cue[1])
    sentence = doc[doc[lo].sent.start: doc[hi - 1].sent.end].text.strip()
    return {
        "sentence": sentence,
        "speaker": spk_span.text if spk_span is not None else None,
        "speaker_start": spk_span.start_char if spk_span is not None else None,
        "speaker_end": spk_span.end_char if spk_span is not None else None,
        "speaker_entity": spk_ent,
        "cue": cue.text, "cue_start": cue.start_char, "cue_end": cue.end_char,
        "content": doc[cs:ce].text, "content_start": doc[cs].idx,
        "content_end": doc[ce - 1].idx + len(doc[ce - 1].text),
        "via": via_name,
        "subject": subj_text, "subject_entity": subj_ent,
        "predicate": lemma(pred), "predicate_text": doc[ps:pe].text,
        "objects": objects_of(pred, res, (cs, ce), subj_bounds),
        "modality": modality(pred, root, cue_lemma),
        "polarity": polarity(pred),
        "direct_quote": bool(a.direct),
    }


def continuations(doc: Doc, claims: list[dict], quotes: list[tuple[int, int]], res: Resolver) -> list[dict]:
    """A quote paragraph without a cue after an attributed quote continues that speaker."""
    out = []
    covered = [(c["content_start"], c["content_end"]) for c in claims]
    by_end = sorted(claims, key=lambda c: c["content_end"])
    for qs, qe in quotes:
        s, e = doc[qs].idx, doc[qe - 1].idx + len(doc[qe - 1].text)
        if any(a < e and s < b for a, b in covered):
            continue
        before = doc.text[: doc[qs].idx - 1].rstrip(" \t")
        if not before.endswith("\n") and before:   # the quote must open a paragraph
            continue
        prev = [c for c in by_end if c["content_end"] <= s and c["direct_quote"]]
        if not prev:
            continue
        p = prev[-1]
        between = doc.text[p["content_end"]:s]
        if between.count("\n\n") > 1 or len(between) > 400:
            continue
        cs, ce = clean_span(doc, qs, qe)
        if ce <= cs:
            continue
        root = quote_root(doc, cs, ce)
        a = Attribution((0, 0), None, (cs, ce), root, True, None)
        c = build(doc, a, res)
        for k in ("speaker", "speaker_start", "speaker_end", "speaker_entity", "cue", "cue_start", "cue_end", "via"):
            c[k] = p[k]
        c["modality"] = modality(predicate_of(root), root, doc.text[p["cue_start"]:p["cue_end"]].split()[0].lower())
        c["sentence"] = doc[doc[cs].sent.start: doc[ce - 1].sent.end].text.strip()
        out.append(c)
        covered.append((c["content_start"], c["content_end"]))
    return out


def extract_claims(doc: Doc) -> list[dict]:
    """All claims of a parsed doc, in text order."""
    quotes = quote_spans(doc)
    atts = list(verb_cues(doc, quotes)) + list(according_to(doc))
    atts.sort(key=lambda a: a.cue[0])
    seen, res, claims = set(), Resolver(doc), []
    for a in atts:
        key = (a.cue, a.content)
        if key in seen:
            continue
        seen.add(key)
        claims.append(build(doc, a, res))
    claims += continuations(doc, claims, quotes, res)
    claims.sort(key=lambda c: (c["content_start"], c["cue_start"]))
    return claims


class ClaimFinder:
    """The ``kb_claims`` pipeline component."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        claims = extract_claims(doc)
        doc._.kb_claims = claims
        doc.spans[CLAIMS_KEY] = [s for s in (doc.char_span(c["cue_start"], c["cue_end"]) for c in claims)
                                 if s is not None]
        return doc


@Language.factory("kb_claims", default_config={})
def make_claim_finder(nlp: Language, name: str) -> ClaimFinder:
    return ClaimFinder(nlp, name)


def claim_dicts(doc: Doc) -> list[dict]:
    """The claims of an analysed doc (contract form)."""
    return list(doc._.kb_claims or [])
