"""Attribution cues in the dependency parse: who said (thought, promised, found) what.

The lexicon is ``kb/data/cues.json``: verb lemmas by class, the complements that carry
each class's content (frames: ccomp, quote, parataxis, xcomp, dobj), verbs with a
particle or preposition ("call for", "point to"), reporting nouns ("the claim that").
Rules yield ``Attribution`` tuples of token indices; ``kb.nlp.claims.assembly`` builds the claims.
Cues that are not verbs (according to, reporting nouns, colon and dash lines) live in
``.phrase_cues``; verbs the lexicon does not list but WordNet classes as expressing,
judging or recording ("voiced", "assessed", "chronicled") in ``.wordnet_cues``.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Token

from ...entities import SPAN_KEY
from ...spans import RELATIVE, clamp, clean_span, paragraph, subject_of, tokens_with
from .content_spans import OBJECT_PREPS, adjunct_tail, clause_span, colon_tail, object_span, own_conjunct, \
    right_complements, words_object
from .cue_objects import answer, answered, gerund_object, proposition_object
from .lexicon import INFINITIVE_CLAIMS, MODAL_PASSIVES, Attribution, is_cue_lemma, lexicon, no_finding, verb_class
from .parse_repairs import COMMAS, addressee, headline, headline_cues, infinitive_adjunct, list_before, \
    named_after_quote, nearest_subject, opening_clause, parenthetical, speaker_by_order, split_host
from .quotes import CONTENT_MARKS, adjacent_quote, following_quote, in_quote, opening_piece, quote_root

SELF = {"i", "we", "you", "me", "us"}
PASSIVE_CLASSES = ("stance", "evidence", "speech")    # "X was criticized for ...", "... was confirmed"


_LAST: list = [None, {}]      # the last doc's mention map: claim rules ask for it per verb


def mentions_by_token(doc: Doc) -> dict:
    """Token index -> entity mention span (computed once per doc)."""
    if _LAST[0] is not doc:
        _LAST[0], _LAST[1] = doc, {i: s for s in doc.spans.get(SPAN_KEY, []) for i in range(s.start, s.end)}
    return _LAST[1]


def find_via(v: Token) -> Token | None:
    """An outlet that relayed the words: '... by the Yonhap news agency', 'told the website X'."""
    doc = v.doc
    media = lexicon()["media_set"]
    ents = mentions_by_token(doc)
    skip = {x.i for c in v.children if c.dep_ in ("ccomp", "xcomp") for x in c.subtree}
    for t in v.subtree:
        if t.i in skip or t.dep_ not in ("pobj", "dobj", "dative"):
            continue
        if t.dep_ == "pobj" and t.head.lower_ not in ("by", "to", "with"):
            continue
        span = next((ents[i] for i in range(t.left_edge.i, t.right_edge.i + 1)
                     if i in ents and ents[i].label_ == "media"), None)
        if span is not None:
            return span.root
        if t.lower_ in media and t.dep_ != "pobj" or t.lower_ in media and t.head.lower_ == "to":
            return t
    return None


# ----------------------------------------------------------------------------- verb cues
def _cue_extent(v: Token) -> tuple[int, int]:
    """The cue words: the verb with its particle ('point out'); 'quoted as saying'."""
    s, e = v.i, v.i + 1
    prt = [c for c in v.children if c.dep_ == "prt"]
    if prt and prt[-1].i == v.i + 1:
        e = prt[-1].i + 1
    if v.lemma_ == "quote":
        saying = [t for t in v.subtree if t.lemma_ == "say" and t.head.lower_ == "as"]
        if saying:
            e = saying[0].i + 1
    return s, e


def verb_speaker(v: Token) -> tuple[Token | None, bool]:
    """(speaker head, passive-without-agent) of a cue verb."""
    agent = [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if agent:
        return agent[0], False
    if any(c.dep_ == "auxpass" for c in v.children) or v.tag_ == "VBN" and v.dep_ in ("acl", "amod"):
        return None, True
    if v.dep_ == "relcl":       # "Mr. Kamin, who said ...", "the agency, which reported ...": the
        rel = next((c for c in v.children     # speaker as written is the relative pronoun (resolved later)
                    if c.dep_ == "nsubj" and c.lower_ in RELATIVE), None)
        if rel is not None:
            return rel, False
    if v.dep_ == "conj" and v.head.dep_ == "ccomp" and is_cue_lemma(v.head.head.lemma_.lower()) \
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return subject_of(v.head.head), False      # 'X said it ... and warned ...' (misattached)
    subjs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    if len(subjs) > 1:          # '“..., One of the best,” Rep. X said': a quoted subject parsed as the verb's
        return nearest_subject(subjs, v), False       # unless a place closing a phrase: 'in Fort Worth, Texas'
    subj = subject_of(v)
    if subj is None and any(c.dep_ == "ccomp" and c.i < v.i for c in v.children):
        obj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i), None)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
            return obj, False          # '“How big is that wall?” asked the boy': inverted, parsed as an object
    if subj is None and v.tag_ in ("VBD", "VBZ") and v.i > 0:
        prev = v.doc[v.i - 1]      # 'In a meeting with the board Trump said ...', 'In a letter published
        if prev.pos_ in ("PROPN", "NOUN") and prev.dep_ not in ("compound", "amod", "poss") \
                and v in prev.ancestors and any(c.dep_ == "ccomp" for c in v.children):
            return prev, False     # Wednesday, CEO Elon Musk said ...' (the name hung on the adjunct)
    return (subj if subj is not None else speaker_by_order(v)), False


def command(v: Token) -> bool:
    """A verb in the base or present form with no subject nor auxiliary ('Go ahead', 'Thank you')."""
    return v.tag_ in ("VB", "VBP") and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux") for c in v.children)


def imperative(v: Token) -> bool:
    """A cue verb opening its sentence (or a transcript turn, after 'BLITZER:') as a command: a
    request or a formula ('Thank you', 'Tell me more'), no report."""
    doc = v.doc
    opens = all(t.is_punct or t.is_space for t in doc[v.sent.start:v.i]) or v.i > 0 and doc[v.i - 1].text == ":"
    return opens and command(v)


def second_statement(v: Token) -> bool:
    """A forward-looking report of its own in a later clause of a quotation ('"X is all
    speculation, because we're expecting the payment on June 30"'): a second claim."""
    return verb_class(v.lemma_.lower()) == "future" and v.dep_ in ("advcl", "conj") and v.head.i < v.i


def verb_cues(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Attribution]:
    """Cue verbs of the lexicon with their content complement, quote or clause."""
    lex = lexicon()
    for v in tokens_with(doc, "lemma", lex["cue_lemmas"]):
        if v.pos_ not in ("VERB", "AUX") or v.dep_ in ("amod", "compound"):
            continue
        lem = v.lemma_.lower()
        cls = lex["class_of"].get(lem)
        idiom = lex.get("idioms", {}).get(lem)       # 'as Rosenthal put it, ...'
        if cls is None and idiom and any(c.dep_ == "dobj" and c.lower_ == idiom for c in v.children):
            cls = "speech"
        preps = lex["verb_preps"].get(lem, [])
        if cls is None and not preps:
            continue
        if answered(v) or imperative(v):
            continue                       # 'Asked whether X, he replied, "No"': the answer is the claim
        speaker, passive = verb_speaker(v)
        if speaker is not None and in_quote(quotes, v.i) is None and (
                in_quote(quotes, speaker.i) is not None or speaker.i > v.i and speaker.dep_ != "nsubj"):
            speaker = named_after_quote(doc, v, quotes) or speaker    # a subject inside quotation marks, or
            # an object after the cue ('“Yes,” Brent Bozell III, ..., tells Breitbart News'): a misparse
        if passive and speaker is None:
            subj = [c for c in v.children if c.dep_ == "nsubjpass"]
            att = _passive(doc, v, subj[0] if subj else None, cls)
            if att is not None:
                yield att
            elif lem == "quote" and subj:
                speaker = subj[0]
            else:
                continue
        if cls is not None and (speaker is None or list_before(speaker)):
            head = headline(doc, v)        # 'Curbs to be lifted on Line and Kakao, diplomat says'
            if head is not None:
                yield head
                continue
        if speaker is None:
            continue
        if not_asserted(v, cls) or cls == "evidence" and no_finding(v):
            continue
        q = in_quote(quotes, v.i)
        if q is not None and speaker.lower_ in SELF and not second_statement(v):
            continue                       # "I think ..." inside a quote: the quote is the claim
        att = answer(doc, v, speaker) if cls == "speech" else None
        att = att or verb_content(doc, v, lem, cls, speaker, quotes)
        if att is None:
            att = _agent_passive(doc, v, lem, cls, speaker)
        if att is None and cls in ("speech", "hedge", "knowledge"):
            att = _tail_cue(doc, v, speaker)
        if att is None and cls == "speech":
            att = _next_paragraph(doc, v, speaker)
        if att is None and cls in ("speech", "hedge", "knowledge"):
            att = _parenthetical(doc, v, speaker)
        if att is not None and not occasion(doc, att, v):
            yield att
    yield from headline_cues(doc)


def occasion(doc: Doc, att: Attribution, v: Token) -> bool:
    """A content that is only an adverbial clause of the cue, opened by its subordinator ('But
    when Congress cut funding, Mexico said enough', 'said before he died', even when parsed as
    the cue's complement): when it was said, not what."""
    root = att.root if att.root is not None else root_in(doc, *att.content)
    if root.dep_ not in ("advcl", "ccomp") or root.head.i != v.i:
        return False
    sub = [c.i for c in root.children if c.i < root.i and (c.dep_ == "mark" and c.lower_ not in CONTENT_MARKS
                                                            or c.tag_ == "WRB" and root.dep_ == "advcl")]
    opens = bool(sub) and all(t.is_punct for t in root.doc[root.left_edge.i:min(sub)])   # not '“The only ones
    return opens and att.content[0] <= min(sub) + 1 and (        # ... more closely than the staff will be ...”'
        att.content[1] <= root.right_edge.i + 1 or att.content[1] <= v.i)


def _parenthetical(doc: Doc, v: Token, speaker: Token) -> Attribution | None:
    """'The plan, he told me, was dead' with the cue misparsed as the root or hung on a noun."""
    span = parenthetical(v, speaker)
    if span is None:
        return None
    cs, ce, close = span
    return Attribution(_cue_extent(v), speaker, (cs, ce), root_in(doc, close + 1, ce), False, find_via(v))


def _agent_passive(doc: Doc, v: Token, lem: str, cls: str | None, speaker: Token) -> Attribution | None:
    """'Clinton was endorsed by dozens of papers': the agent is the speaker, the subject the
    content (verbs whose object is their content)."""
    subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    if subj is None or speaker.dep_ != "pobj" or speaker.head.dep_ != "agent" \
            or subj.lower_ in ("it", "which", "that", "who", "what"):
        return None
    if "dobj" not in lexicon()["frames"].get(cls or "", []) and lem not in lexicon()["object_set"]:
        return None
    if any(c.dep_ in ("ccomp", "xcomp") for c in v.children):
        return None
    cs, ce = clean_span(doc, *clamp(doc, (subj.left_edge.i, subj.right_edge.i + 1), v.i))
    if ce <= cs:
        return None
    return Attribution(_cue_extent(v), speaker, (cs, ce), subj, False, find_via(v))


def verb_content(doc: Doc, v: Token, lem: str, cls: str | None, speaker: Token,
                  quotes: list[tuple[int, int]]) -> Attribution | None:
    lex = lexicon()
    frames = set(lex["frames"].get(cls, [])) if cls else set()
    if lem in lex["object_set"]:          # "she stressed the need to ...": the object is the content
        frames.add("dobj")
    if lem in lex["told_to"] or lem in INFINITIVE_CLAIMS:    # "he told his advisers to find a way"
        frames.add("xcomp")                                 # "X claims to have seen Y"
    cue_s, cue_e = _cue_extent(v)
    via = find_via(v)
    spk = {t.i for t in speaker.subtree} if speaker.i != v.head.i else {speaker.i}
    ps, pe = paragraph(doc, v.i)            # a clause across a paragraph break is a misparse
    before = bool(frames & {"parataxis", "quote"})    # content may come first: 'A, she said'; not 'A, they plan'
    comp = sorted((c for c in v.children if c.dep_ == "ccomp" and ps <= c.i < pe and (before or c.i > v.i)),
                  key=lambda c: c.i < v.i)
    if "quote" in frames or "ccomp" in frames:
        q = adjacent_quote(doc, v, quotes, speaker)
        if q is not None and comp and "ccomp" in frames:
            ks, ke = clause_span(doc, comp[0], set(range(cue_s, cue_e)) | spk)
            qs_, qe_ = clean_span(doc, *q)      # 'X ''is misguided,'' said Y': the quote's comma is no word
            if (ks < qs_ - 1 and ke >= qe_ or ks <= qs_ and ke > qe_ + 1) and doc[ks].sent == doc[qs_].sent:
                q = None                   # a quoted phrase inside a reported clause
        if q is not None and v.dep_ == "relcl" and q[0] > v.i and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.i < q[0] for c in quote_root(doc, *q).children):
            q = None                       # 'anybody who complains about X “is not having a good night”'
        obj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i), None)
        if q is not None and obj is not None and q[1] <= v.i and "dobj" in frames and in_quote(quotes, obj.i) is None:
            q = None                       # '“Lyin' Ted.” Trump called the senator a “nasty guy”'
        if q is not None and obj is not None and q[0] > v.i and "dobj" in frames:
            os_ = object_span(v, cue_e - 1)
            if os_ is not None and os_[0] < q[0] - 1 and (os_[1] >= q[1] or obj.right_edge.i < q[0]):
                q = None                   # 'described Clinton as “a lifetime politician”'; the object is the content
        if q is not None:
            cs, ce = q
            root = comp[0] if comp and cs <= comp[0].i < ce else quote_root(doc, cs, ce)
            ce = _resumed(doc, v, speaker, ce, quotes)
            cs = opening_piece(doc, quotes, cs, {v.i} | {t.i for t in speaker.subtree}) if cs > v.i else cs
            cs, ce = clean_span(doc, cs, ce)
            if ce > cs:
                return Attribution((cue_s, cue_e), speaker, (cs, ce), root, True, via)
    if comp and "ccomp" in frames:
        root = comp[0]
        cs, ce = clause_span(doc, root, set(range(cue_s, cue_e)) | spk)
        ce = min(ce, own_conjunct(root, cs))
        resumed = ce
        if "quote" in frames and ce <= v.i:    # 'A, Schiff said. "B"': the quote goes on with the clause
            resumed = _resumed(doc, v, speaker, ce, quotes)    # '... ''is misguided,'' he said. ''...'''
        for more in comp[1:]:              # 'found that A were made by B': one clause parsed as two
            if more.i > root.i > v.i and more.left_edge.i <= ce + 1:
                ce = max(ce, min(clause_span(doc, more, set(range(cue_s, cue_e)) | spk)[1], own_conjunct(more, cs)))
        cs, ce = clean_span(doc, cs, ce)
        if ce > cs and not cs <= speaker.i < ce:
            ce = clean_span(doc, cs, resumed)[1] if resumed > ce else ce
            ce = colon_tail(doc, cs, ce) if cs > v.i else ce
            return Attribution((cue_s, cue_e), speaker, (cs, ce), root, False, via)
    if not comp and (att := proposition_object(doc, v, cls, speaker, via, pe)) is not None:
        return att                          # 'expressed hope that ...', 'suggest the possibility that ...'
    if not comp and cls in ("speech", "hedge", "knowledge", "future"):
        root = _stray_clause(v, ps, pe)     # 'told a meeting of leaders that few people ...' (misattached)
        if root is not None:
            s0 = root.left_edge.i
            cs, ce = clean_span(doc, s0, min(root.right_edge.i + 1, own_conjunct(root, s0), pe))
            if ce > cs:
                return Attribution((cue_s, cue_e), speaker, (cs, ce), root, False, via)
    if "parataxis" in frames and v.dep_ == "advcl" and v.head.pos_ in ("VERB", "AUX") and not comp \
            and any(m.dep_ == "mark" and m.lower_ == "as" for m in v.children):
        cs, ce = paratactic_content(v)      # "As Trump noted, the gap is ...": the main clause
        cs, ce = clean_span(doc, cs, ce)
        if ce > cs:
            return Attribution((cue_s, cue_e), speaker, (cs, ce), v.head, False, via)
    if "parataxis" in frames and v.dep_ == "parataxis" and v.head.pos_ in ("VERB", "AUX"):
        host = split_host(v)                # 'Though A, he said, B': the clause A opens, not A
        cs, ce = paratactic_content(v, host, opening_clause(v, speaker))
        ce = _resumed(doc, v, speaker, min(ce, own_conjunct(host, v.i)), quotes)
        cs, ce = clean_span(doc, cs, ce)
        if ce > cs:
            return Attribution((cue_s, cue_e), speaker, (cs, ce), host, False, via)
    prep = next((c for c in v.children if c.dep_ in ("prep", "prt") and c.i > v.i
                 and c.lower_ in lex["verb_preps"].get(lem, [])), None)
    if prep is not None:
        span = right_complements(v, prep.i - 1)
        if span is not None:
            cs, ce = clean_span(doc, max(span[0], prep.i + 1), span[1])
            if ce > cs:
                return Attribution((cue_s, prep.i + 1), speaker, (cs, ce), root_in(doc, cs, ce), False, via)
    xcomp = [c for c in v.children if c.dep_ == "xcomp" and c.i > v.i] or infinitive_adjunct(v, lem, cls)
    if xcomp and "xcomp" in frames:
        root = xcomp[0]
        s = max(cue_e, min([root.left_edge.i] + [c.left_edge.i for c in v.children if c.dep_ == "dobj" and c.i > v.i]))
        cs, ce = clean_span(doc, *clamp(doc, (s, min(root.right_edge.i + 1, adjunct_tail(root))), root.i))
        if ce > cs:
            return Attribution((cue_s, cue_e), speaker, (cs, ce), root, False, via)
    if cls == "speech" and "dobj" not in frames:
        span = words_object(v, cue_e - 1)
        if span is not None and not span[0] <= speaker.i < span[1]:
            return Attribution((cue_s, cue_e), speaker, span, root_in(doc, *span), False, via)
    if "dobj" in frames and any(c.dep_ == "dobj" or gerund_object(v, c) for c in v.children):
        span = object_span(v, cue_e - 1)
        if span is not None and doc[span[0]].dep_ == "prep" and doc[span[0]].lower_ not in OBJECT_PREPS \
                and not any(c.dep_ == "dobj" and c.i > v.i for c in v.children):
            span = None                    # 'which the bank detailed in SEC filings': the object is 'which'
        if span is not None:
            cs, ce = clean_span(doc, *clamp(doc, span, v.i))
            if cls == "evidence" and ce - cs <= 2:
                return None                # 'found a way', 'show signs': a thing found, no finding
            if ce > cs and not cs <= speaker.i < ce:
                return Attribution((cue_s, cue_e), speaker, (cs, ce), root_in(doc, cs, ce), False, via)
    return None


def _stray_clause(v: Token, ps: int, pe: int) -> Token | None:
    """A finite clause after cue v that the parser hung elsewhere: 'that ...' under a noun of
    v's object ('told a group of leaders that X'), or a bare clause under v as an adverbial
    ('said after the convention he would ...')."""
    for t in v.subtree:
        if t.i <= v.i or not ps <= t.i < pe or t.pos_ not in ("VERB", "AUX"):
            continue
        subj = any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.lower_ not in ("that", "which", "who") for c in t.children)
        marks = [c for c in t.children if c.dep_ == "mark"]
        host = t.head
        own_obj = host.dep_ in ("dobj", "conj") and host.head.i == v.i or host.dep_ == "pobj" and host.head.head.i == v.i \
            and host.head.lower_ in lexicon()["verb_preps"].get(v.lemma_.lower(), [])
        addressee = v.lemma_.lower() in lexicon()["told_to"] or verb_class(v.lemma_.lower()) == "speech" and host.ent_type_ in ("PERSON", "NORP", "ORG")
        if t.dep_ in ("acl", "relcl") and subj and marks and marks[0].lower_ == "that" and marks[0].i == t.left_edge.i \
                and (not own_obj or addressee):
            return t
        if t.dep_ == "advcl" and t.head.i == v.i and subj and not marks \
                and not any(c.dep_ == "advmod" and c.tag_ == "WRB" for c in t.children):
            return t
    return None


def _resumed(doc: Doc, v: Token, speaker: Token, ce: int, quotes: list[tuple[int, int]]) -> int:
    """End of a content before its cue that resumes in a quote after it ('“A,” she said,
    “B”'; 'A, Schiff said. “B”'), unless that quote has a cue of its own."""
    if ce > v.i:
        return ce
    allowed = {v.i} | {t.i for t in speaker.subtree} | \
        {x.i for c in v.children if c.dep_ in ("advmod", "npadvmod", "prep", "advcl") and c.i > v.i for x in c.subtree} | \
        {x.i for c in list(v.children) + (list(v.head.children) if v.dep_ == "parataxis" else [])
         if c.dep_ == "cc" and c.i > v.i for x in [c] + [
            a for j in v.children if j.dep_ == "conj" for a in j.children if a.dep_ == "advmod"]
            if in_quote(quotes, x.i) is None}     # ', but “...”', ', and still “...”'
    nxt = following_quote(doc, quotes, max(allowed), allowed)
    return nxt[1] if nxt is not None and not _own_cue(doc, nxt) else ce


def _tail_cue(doc: Doc, v: Token, speaker: Token) -> Attribution | None:
    """'Language unclear on who is covered, experts say.', 'The rejection signals the end,
    said Geert Wilders, founder of ...': the cue closes the sentence after a comma (its speaker
    before or after it) and the parser did not hang the words before it on the verb."""
    sent = v.sent
    spk = {t.i for t in speaker.subtree}
    after = spk if speaker.i > v.i and v.i not in spk else set()     # an inverted speaker's words
    tail = [t for t in doc[v.i + 1:sent.end] if not (t.is_punct or t.is_space or t.i in after)]
    if tail and not all(_cue_adjunct(v, t) for t in tail) \
            or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return None
    i = v.i - 1
    while i > sent.start and (i in spk or doc[i].head.i == v.i and doc[i].dep_ in ("aux", "neg", "advmod")):
        i -= 1
    if doc[i].text not in COMMAS or not spk or min(spk) != (v.i + 1 if speaker.i > v.i else i + 1):
        return None
    cs, ce = clean_span(doc, *clamp(doc, (sent.start, i), v.i))
    if ce - cs < 3:
        return None
    return Attribution(_cue_extent(v), speaker, (cs, ce), root_in(doc, cs, ce), False, find_via(v))


def _cue_adjunct(v: Token, t: Token) -> bool:
    """t belongs to cue v's own words after it: an adverbial ('said Tuesday', 'said in a
    statement') or whom it was told to ('told investors on Tuesday'), not a clause nor the
    complement of a verb of thought ('I believe in the good sense of ...')."""
    top = t
    while top.head.i != v.i and top.head.i != top.i:
        top = top.head
    if top.head.i != v.i or top.i < v.i:
        return False
    told = v.lemma_.lower() in lexicon()["told_to"] or verb_class(v.lemma_.lower()) == "speech"
    return top.dep_ in ("npadvmod", "advmod") or told and (top.dep_ in ("prep", "agent") or top.dep_ in (
        "dobj", "dative") and addressee(top))


def _next_paragraph(doc: Doc, v: Token, speaker: Token) -> Attribution | None:
    """'The governor added:' closing a paragraph: the next paragraph is what was said."""
    ps, pe = paragraph(doc, v.i)
    rest = [t for t in doc[v.i + 1:pe] if not t.is_space]
    if not rest or rest[-1].text != ":" or any(not t.is_punct and t.head.i != v.i for t in rest[:-1]):
        return None
    i = pe
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i >= len(doc):
        return None
    cs, ce = clean_span(doc, *paragraph(doc, i))
    if ce - cs < 3:
        return None
    return Attribution(_cue_extent(v), speaker, (cs, ce), quote_root(doc, cs, ce), False, find_via(v))


def not_asserted(v: Token, cls: str | None) -> bool:
    """'If users feel that ...' (a hypothesis), 'they did not know why ...', 'to determine
    how ...' (an open question, no claim)."""
    if v.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in v.children):
        return True
    open_q = any(c.dep_ == "neg" for c in v.children) or v.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in v.children)     # 'to determine how ...'
    if cls in ("knowledge", "hedge") and open_q:
        comp = [c for c in v.children if c.dep_ == "ccomp"]
        return bool(comp) and comp[0].left_edge.tag_ in ("WRB", "WP", "IN") and comp[0].left_edge.lower_ != "that"
    return False


def _own_cue(doc: Doc, q: tuple[int, int]) -> bool:
    """A speech verb right after quote q, in its paragraph: the quote has its own attribution."""
    pe = paragraph(doc, q[1] - 1)[1]
    for t in doc[q[1]:min(pe, q[1] + 15)]:
        if t.is_quote and t.i > q[1] + 1:
            return False
        if t.pos_ == "VERB" and verb_class(t.lemma_.lower()) == "speech":
            return True
    return False


def root_in(doc: Doc, cs: int, ce: int) -> Token:
    """The highest token of a span (a verb if there is one at the top)."""
    tops = [t for t in doc[cs:ce] if not cs <= t.head.i < ce or t.head == t]
    return next((t for t in tops if t.pos_ in ("VERB", "AUX")), tops[0] if tops else doc[cs])


def _passive(doc: Doc, v: Token, subj: Token | None, cls: str | None) -> Attribution | None:
    """'Trump is expected to win', 'X is believed to ...': an attribution with no source."""
    if subj is None or v.lemma_.lower() in MODAL_PASSIVES:
        return None
    xcomp = [c for c in v.children if c.dep_ == "xcomp" and c.i > v.i]
    if not xcomp or cls not in ("future", "hedge", "knowledge", "speech"):
        return _passive_judgment(doc, v, subj, cls)
    cs, ce = clean_span(doc, *clamp(doc, (subj.left_edge.i, xcomp[0].right_edge.i + 1), v.i))
    if ce <= cs:
        return None
    return Attribution(_cue_extent(v), None, (cs, ce), xcomp[0], False, None)


def _passive_judgment(doc: Doc, v: Token, subj: Token, cls: str | None) -> Attribution | None:
    """'He has been criticized for ...', 'X was accused of ...': a stance with no source;
    the content is what is judged and what it is judged for."""
    if cls not in PASSIVE_CLASSES or subj.lower_ in ("it", "which", "that", "who") or v.dep_ == "relcl" \
            or v.lemma_ == "quote":          # 'was quoted as saying': the speaker is the subject
        return None
    span = object_span(v, v.i)
    end = span[1] if span is not None else v.i + 1
    cs, ce = clean_span(doc, *clamp(doc, (subj.left_edge.i, end), v.i))
    if ce - cs < 2:
        return None
    return Attribution(_cue_extent(v), None, (cs, ce), v, False, None)


def paratactic_content(v: Token, head: Token | None = None, theirs: set[int] = frozenset()) -> tuple[int, int]:
    """Content of 'X, analysts say, Y': the head clause without the cue clause (`theirs`:
    tokens under the cue that belong to the content)."""
    head, cue_toks = head if head is not None else v.head, {t.i for t in v.subtree} - theirs
    toks = [t.i for t in head.subtree if t.i not in cue_toks and not t.is_punct] + sorted(theirs)
    left = [i for i in toks if i < min(cue_toks)]
    right = [i for i in toks if i > max(cue_toks)]
    subj = {t.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl") and c.tag_ not in ("WP", "WDT")
            for t in c.subtree}                # 'what, analysts say, appears ...': "what" is no content
    if len(left) <= 2 and right and not subj & set(left):    # 'But, he said, ...'; not 'The museum, he said, ...'
        toks = right
    elif len(right) <= 2 and left:
        toks = left
    if not toks:
        return v.i, v.i
    s, e = clamp(v.doc, (min(toks), max(toks) + 1), v.i)
    return s, e

