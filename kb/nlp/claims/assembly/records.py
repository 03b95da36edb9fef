"""Claim records: one contract dict per accepted attribution, and the article's claims.

``build`` turns an ``Attribution`` (token indices, from ``kb.nlp.claims.candidates``) into a
contract dict: the speaker resolved (``.speakers``), the content's predicate, subject,
objects and relayed claimant, modality and polarity (``.modality``; the time is
kb.nlp.propositions'). ``assemble`` turns
the candidates the model kept into the article's claims: nested reports folded, quote
paragraphs that continue an attributed quote added, embedded reports dropped, and the
article's own forward-looking statements (``.forecasts``, speaker null) added.
"""
from __future__ import annotations

import bisect
from typing import NamedTuple

from spacy.tokens import Doc, Token

from ...spans import TRIM_DEPS, clamp, clean_span, closed_marks, lemma, paragraph, span_end_char, subject_of, trimmed
from ..candidates.cue_objects import answer_token
from ..candidates.cues import second_statement, verb_speaker
from ..candidates.lexicon import Attribution, is_cue_lemma, verb_class
from ..candidates.parse_repairs import hyphen_word
from ..candidates.quotes import in_quote, opens_paragraph, quote_root
from . import QUOTE_GAP
from .forecasts import forecasts
from .modality import modality, polarity, verb_group
from .speakers import PRONOUNS, Resolver, entity_dict, existential_source, own_phrase, past_dateline

SPEECH_LIKE = ("speech", "knowledge", "evidence", "future")   # nested reports kept on their own
BARE_HEADS = {"those", "anyone", "everyone", "anybody", "everybody", "someone", "somebody", "whoever", "all"}
SAME_SHARE = 0.6     # an inner report covering this share of an outer content is the same statement
SELF_TELLERS = {"i", "me", "myself"}    # an inner report by the speaker: not relayed


class Context(NamedTuple):
    """What assembly needs besides the claims: the rules' proposals, the resolver, the quotes."""
    atts: list[Attribution]
    res: Resolver
    quotes: list[tuple[int, int]]
    text: str


def relay_chain(root: Token) -> tuple[list[Token], Token]:
    """(the reporting verbs a content passes through, the clause under the last of them):
    'has told the embassy that it would lift' -> ([told], lift)."""
    passed: list[Token] = []
    while len(passed) < 3 and verb_class(root.lemma_.lower()) in ("speech", "future"):
        comp = [c for c in root.children if c.dep_ == "ccomp"]
        if not comp:
            break
        passed.append(root)
        root = comp[0]
    return passed, root


def predicate_of(root: Token) -> Token:
    """The content's main verb; through nested speech ('told X that it would lift')."""
    root = relay_chain(root)[1]
    return misparsed_clause(root) or root


def claimant_of(root: Token, speaker: Token | None, spk_ent: dict | None, res: Resolver,
                direct: bool) -> tuple[tuple[int, int] | None, dict | None]:
    """Whose claim a relayed content is: the one who says it in the innermost report the
    content passes through ('The government has told the embassy that it would lift ...,
    according to a diplomat': the government). None when nothing is relayed or the inner
    teller is the speaker ('I told them that ...', 'he said he had told them ...').
    Returns (token bounds of the claimant as written, its entity)."""
    passed = relay_chain(root)[0]
    if not passed:
        return None, None
    v = passed[-1]
    if any(c.dep_ == "auxpass" for c in v.children):       # 'we were told by the ministry that'
        who = next((p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
    else:
        who = subject_of(v)
    if who is None or who.tag_ in ("WP", "WDT", "EX") or speaker is not None and who.i == speaker.i:
        return None, None
    low = who.lower_
    if low in SELF_TELLERS or direct and low in ("we", "us"):
        return None, None
    ent = res.resolve(who, None, (0, 0))
    if low in PRONOUNS:
        ante, _ = res.antecedent(who)
        if ante is None or speaker is not None and ante.i == speaker.i or ent is not None and ent == spk_ent:
            return None, None                   # 'X said he had told them ...': X's own
    bounds = within_paragraph(root.doc, *trimmed(who), who.i)
    return bounds, ent


def misparsed_clause(pred: Token) -> Token | None:
    """'X has become Y means users would switch': a noun ('means', 'shows') that governs a
    finite clause is a verb the tagger missed; the clause under it carries the claim."""
    for n in pred.children:
        if n.pos_ != "NOUN" or n.dep_ not in ("attr", "dobj", "acomp", "oprd"):
            continue
        comp = next((c for c in n.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")
                     and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)), None)
        if comp is not None:
            return comp
    return None


def reporting_subject(pred: Token) -> Token | None:
    """'X told Y that it would ...': the subject X of the speech verb above pred."""
    t = pred
    for _ in range(3):
        if t.dep_ != "ccomp" or t.head.i == t.i:
            return None
        t = t.head
        if is_cue_lemma(t.lemma_.lower()):
            subj = subject_of(t)
            if subj is not None and subj.lower_ not in PRONOUNS:
                return subj
    return None


def objects_of(pred: Token, res: Resolver, content: tuple[int, int] = (0, 0),
               skip: tuple[tuple[int, int], ...] = ()) -> list[dict]:
    """Objects of the predicate (and of xcomp/conj verbs), plus the other entities of the content
    but those in ``skip`` (the subject; the speaker and cue a broken quote holds)."""
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
                out.append({"text": span.text, "entity": entity_dict(span)})
    for span in res.mentions:
        if content[0] <= span.start and span.end <= content[1] and span.label_ != "other" \
                and not any(a <= span.start < b for a, b in skip) and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            out.append({"text": span.text, "entity": entity_dict(span)})
    return out


def expletive(it: Token) -> bool:
    """'it' that stands for no thing: "it is expected that ...", "it is likely to rain"."""
    h = it.head
    if it.dep_ == "expl" or any(c.dep_ in ("ccomp", "csubj") and c.i > h.i for c in h.children):
        return True
    return h.lemma_ in ("be", "seem", "appear", "remain", "become", "take") and \
        any(c.dep_ in ("acomp", "attr", "xcomp") for c in h.children)


def answered_polarity(cue: Token, content: tuple[int, int], own: str) -> str:
    """The polarity of a yes/no answer's claim (its content the question's clause): the
    question's own, turned by a "no" that stands outside the content."""
    word = answer_token(cue)
    if word is None or word.lower_ not in ("no", "nope") or content[0] <= word.i < content[1]:
        return own
    return "positive" if own == "negative" else "negative"


def within_paragraph(doc: Doc, start: int, end: int, head: int) -> tuple[int, int]:
    """Token bounds [start, end) cut to the paragraph (line) that holds token `head`."""
    return clamp(doc, (start, end), head)


def possessive(t) -> bool:
    """The 's of an owner ('The mayor's criticism'), not of a name ('McDonald's', 'Macy's said')."""
    return t.tag_ == "POS" and t.head.dep_ == "poss" and t.ent_iob_ != "I"


def speaker_bounds(doc: Doc, a: Attribution) -> tuple[int, int]:
    """Token bounds of the speaker as written: its phrase within the paragraph, a word split at
    its hyphen whole ('The co-founder'), without a trailing space or owner's 's ('The mayor's
    criticism'), with the name after a dangling preposition ('sources close to | Real say')."""
    ss, se = within_paragraph(doc, *(a.speaker_span or hyphen_word(doc, *trimmed(a.speaker))), a.speaker.i)
    while se - ss > 1 and (doc[se - 1].is_space or possessive(doc[se - 1])):
        se -= 1
    while se < a.cue[0] and doc[se - 1].dep_ == "prep" and (doc[se].pos_ == "PROPN" or doc[se].is_title) \
            and not any(c.dep_ == "pobj" for c in doc[se - 1].children):
        se += 1
    return ss, se


def quoted_words(doc: Doc, text: str, content: tuple[int, int], said: tuple[int, int] | None) -> str:
    """The content's words. A direct quote broken by its own cue sentence ('"X," she said in an
    e-mail. "Y"'; ``said``: the speaker and cue between the pieces) reads 'X … Y': those words
    are the report's, not the claim's (the offsets still span both pieces)."""
    cs, ce = content
    whole = text[doc[cs].idx: span_end_char(doc, ce)]
    if said is None or not cs < said[0] < said[1] < ce:
        return whole
    close = next((k for k in range(said[0] - 1, cs, -1) if doc[k].is_quote), None)
    reopen = next((k for k in range(said[1], ce - 1) if doc[k].is_quote), None)
    if close is None or reopen is None:
        return whole
    first = text[doc[cs].idx: doc[close].idx].rstrip(" ,")
    return f"{first}{QUOTE_GAP}{text[doc[reopen + 1].idx: span_end_char(doc, ce)]}" if first else whole


def build(doc: Doc, a: Attribution, res: Resolver) -> dict:
    """Contract dict of one attribution."""
    cue = doc[a.cue[0]:a.cue[1]]
    cue_lemma = doc[a.cue[0]].lemma_.lower()
    src = existential_source(doc[a.cue[0]]) if a.speaker is None else None
    if src is not None:              # "there are reports that ...": the reports
        a = a._replace(speaker=doc[a.cue[0]], speaker_span=src)
    a = past_dateline(doc, a)
    cs, ce = a.content
    if a.speaker is not None:
        ss, se = speaker_bounds(doc, a)
        spk_span = doc[ss:se]
        # the name may stand in apposition after the speaker span ("The head of the delegation,
        # Azzam al-Ahmad, said"); a list before a comma is not the speaker ("Line and Kakao, diplomat says")
        lo, hi = own_phrase(a.speaker)
        spk_ent = res.resolve(a.speaker, within_paragraph(doc, min(lo, ss), max(hi, se), a.speaker.i), a.content)
        ref = res.refers_to(a.speaker, a.content)
        res.speakers.append((a.speaker.i, a.speaker, spk_ent))
    else:
        spk_span, spk_ent, ref = None, None, None
    root = a.root if a.root is not None else doc[cs:ce].root
    pred = predicate_of(root)
    subj = subject_of(pred)
    if subj is not None:
        keep = subj.lower_ in BARE_HEADS        # "those seized", "anyone who signed": the clause is the subject
        s0, s1 = within_paragraph(doc, *trimmed(subj, TRIM_DEPS - {"acl", "relcl"} if keep else TRIM_DEPS), subj.i)
        subj_text, subj_bounds = doc[s0:s1].text, (s0, s1)
        subj_ent = res.entity_at(subj)
        if subj_ent is None and a.direct and subj.lower_ in ("we", "i"):
            subj_ent = spk_ent
        if subj_ent is None and subj.lower_ in ("it", "they", "he", "she", "we"):
            outer = reporting_subject(pred)
            subj_ent = res.resolve(outer) if outer is not None and outer.i != subj.i else None
        if subj_ent is None and subj.lower_ not in ("we", "i", "you", "it") or \
                subj_ent is None and subj.lower_ == "it" and not expletive(subj):
            subj_ent = res.resolve(subj)
    else:
        subj_text, subj_ent, subj_bounds = None, None, (0, 0)
    ps, pe = verb_group(pred)
    cl_bounds, cl_ent = claimant_of(root, a.speaker, spk_ent, res, a.direct)
    via = a.via
    via_name = None
    if via is not None:
        span = res.by_token.get(via.i)
        via_name = span.kb_id_ if span is not None and span.label_ == "media" else doc[slice(*trimmed(via))].text
    lo, hi = min(cs, a.cue[0]), max(ce, a.cue[1])
    text = res.text
    sentence = text[doc[lo].sent.start_char: doc[hi - 1].sent.end_char].strip()
    said = (min(a.cue[0], ss), max(a.cue[1], se)) if a.speaker is not None else a.cue
    ce = closed_marks(doc, cs, ce)          # 'was “true”', not 'was “true'; '(R-TX)'
    content = quoted_words(doc, text, (cs, ce), said if a.direct and a.speaker is not None else None)
    return {
        "sentence": sentence,
        "speaker": spk_span.text if spk_span is not None else None,
        "speaker_start": spk_span.start_char if spk_span is not None else None,
        "speaker_end": spk_span.end_char if spk_span is not None else None,
        "speaker_entity": spk_ent,
        "speaker_refers_to": doc[slice(*ref)].text if ref else None,
        "claimant": doc[slice(*cl_bounds)].text if cl_bounds else None,
        "claimant_entity": cl_ent,
        "cue": cue.text, "cue_start": cue.start_char, "cue_end": cue.end_char,
        "content": content, "content_start": doc[cs].idx, "content_end": span_end_char(doc, ce),
        "via": via_name,
        "subject": subj_text, "subject_entity": subj_ent,
        "predicate": lemma(pred), "predicate_text": doc[ps:pe].text,
        "objects": objects_of(pred, res, (cs, ce), (subj_bounds, said)),
        "modality": modality(pred, root, cue_lemma, doc[cs]),
        "polarity": answered_polarity(doc[a.cue[0]], a.content, polarity(pred)),
        "direct_quote": bool(a.direct),
        "time_text": None, "time_value": None,       # the content clause's own: kb.nlp.propositions.own_time
    }


def continuations(doc: Doc, claims: list[dict], quotes: list[tuple[int, int]], res: Resolver,
                  text: str | None = None) -> list[dict]:
    """A quote paragraph without a cue after an attributed quote (or a reported clause that
    quotes: 'said “our constraint has been ...” at the plant') continues that speaker."""
    out = []
    covered = [(c["content_start"], c["content_end"]) for c in claims if c["direct_quote"]]
    by_end = sorted(claims, key=lambda c: c["content_end"])
    text = doc.text if text is None else text
    chars = [(doc[qs].idx, span_end_char(doc, qe)) for qs, qe in quotes   # quoted clauses, not labels
             if any(t.pos_ in ("VERB", "AUX") for t in doc[qs:qe]) and qe - qs >= 5]
    quoting = [c for c in by_end if c["direct_quote"] or c["speaker"] is not None and any(
        c["content_start"] <= a and b <= c["content_end"] for a, b in chars)]
    for qs, qe in quotes:
        s, e = doc[qs].idx, doc[qe - 1].idx + len(doc[qe - 1].text)
        if any(a < e and s < b for a, b in covered):
            continue
        if not opens_paragraph(doc, qs, text) or own_cue(doc, claims, qs, qe):
            continue
        prev = [c for c in quoting if c["content_end"] <= s]
        if not prev:
            continue
        p = prev[-1]
        between = text[p["content_end"]:s]
        if between.count("\n\n") > 1 or len(between) > 400:
            continue
        cs, ce = clean_span(doc, qs, qe)
        if ce <= cs:
            continue
        root = quote_root(doc, cs, ce)
        own = named_speaker(doc, qs, qe)
        if own is not None:            # '“No,” he said.': a quote too short for the cue rules, its own speaker's
            c = build(doc, Attribution((own[0].i, own[0].i + 1), own[1], (cs, ce), root, True, None), res)
        else:
            c = build(doc, Attribution((0, 0), None, (cs, ce), root, True, None), res)
            for k in ("speaker", "speaker_start", "speaker_end", "speaker_entity", "speaker_refers_to",
                      "cue", "cue_start", "cue_end", "via"):
                c[k] = p[k]
            c["modality"] = modality(predicate_of(root), root, text[p["cue_start"]:p["cue_end"]].split()[0].lower())
        c["sentence"] = doc[doc[cs].sent.start: doc[ce - 1].sent.end].text.strip()
        out.append(c)
        covered.append((c["content_start"], c["content_end"]))
        bisect.insort(quoting, c, key=lambda x: x["content_end"])   # the next paragraph may continue it
    return out


def named_speaker(doc: Doc, qs: int, qe: int) -> tuple[Token, Token] | None:
    """(speech verb, its speaker) outside the quote [qs, qe) in the quote's sentence ('“No,”
    he said.'): that sentence names its speaker, who need not be the previous quote's."""
    for t in doc[qs].sent:
        if not qs <= t.i < qe and t.pos_ == "VERB" and verb_class(t.lemma_.lower()) == "speech":
            subj = verb_speaker(t)[0]
            if subj is not None and not qs <= subj.i < qe:
                return t, subj          # the cue is the verb: the speaker found by word order hangs elsewhere
    return None


def own_cue(doc: Doc, claims: list[dict], qs: int, qe: int) -> bool:
    """A claim with a speaker whose content takes in the quote [qs, qe) and whose cue stands
    outside it in the same paragraph ('“...” for criminal behavior, she said'): the quote is
    attributed already."""
    ps, pe = paragraph(doc, qs)
    lo, hi, p0, p1 = doc[qs].idx, span_end_char(doc, qe), doc[ps].idx, span_end_char(doc, max(pe, ps + 1))
    return any(c["speaker"] and c["content_start"] < hi and lo < c["content_end"] and p0 <= c["cue_start"] < p1
               and not lo <= c["cue_start"] < hi for c in claims)


def fold_nested(doc: Doc, claims: list[dict]) -> list[dict]:
    """'X said (that) Y told Z that W': one claim, X's, whose content is the whole report.

    An indirect claim that fills another claim's content from its own speaker to the end
    is the same statement seen twice; the outer claim is kept (its speaker is the one on
    record; predicate, subject and modality already reach through the inner cue).
    """
    out = []
    for c in claims:
        start = c["speaker_start"] if c["speaker_start"] is not None else c["cue_start"]
        end = c["content_end"]
        outer = next((o for o in claims if o is not c and not c["direct_quote"] and o["speaker"]
                      and o["content_start"] <= start and end <= o["content_end"]
                      and o["content_end"] - o["content_start"] > end - c["content_start"]
                      and end - start >= SAME_SHARE * (o["content_end"] - o["content_start"])), None)
        if outer is None and c["speaker"] is None:      # "X, analysts say, appears to": theirs
            outer = next((o for o in claims if o is not c and o["speaker"]
                          and o["content_start"] <= c["cue_start"] < o["content_end"]), None)
        if outer is None:
            out.append(c)
    return out


def drop_embedded(doc: Doc, claims: list[dict], quotes: list[tuple[int, int]]) -> list[dict]:
    """A report inside another claim's content is part of that statement, not one of its own,
    when it sits inside a quotation ('"... people who attack my wife"') or is an attitude
    rather than speech ('she said he wants to ...': one claim, hers)."""
    spans = [(c["content_start"], c["content_end"]) for c in claims]
    out = []
    for c, own in zip(claims, spans):
        cs = c["cue_start"]
        if any((s, e) != own and s <= cs < e for s, e in spans):
            tok = doc.char_span(cs, c["cue_end"], alignment_mode="expand")
            if tok is not None and (in_quote(quotes, tok.start) is not None and not second_statement(tok[0])
                                    or verb_class(tok[0].lemma_.lower()) not in SPEECH_LIKE):
                continue
        out.append(c)
    return out


def turn_speakers(claims: list[dict]) -> None:
    """'HOLT: Good evening. I expect us to cover all the issues tonight.': the 'I' of a report
    inside a transcript turn (or a 'Name: ...' headline) is the turn's speaker."""
    turns = [c for c in claims if c["cue"] == ":" and c["speaker"]]
    for c in claims:
        if (c["speaker"] or "").lower() not in SELF_TELLERS or c["speaker_refers_to"]:
            continue
        t = next((t for t in turns if t is not c and t["content_start"] <= c["cue_start"] < t["content_end"]), None)
        if t is not None:
            c["speaker_refers_to"] = t["speaker"]
            c["speaker_entity"] = c["speaker_entity"] or t["speaker_entity"]


def assemble(doc: Doc, claims: list[dict], ctx: Context) -> list[dict]:
    """The accepted candidates as the article's claims: nested reports folded, quote
    paragraphs that continue a speaker added, embedded reports dropped, forecasts added."""
    claims = fold_nested(doc, claims)
    claims += continuations(doc, claims, ctx.quotes, ctx.res, ctx.text)
    claims = drop_embedded(doc, claims, ctx.quotes)
    turn_speakers(claims)
    taken = [(a.content[0], a.content[1]) for a in ctx.atts] + [(a.cue[0], a.cue[1]) for a in ctx.atts]
    for a in forecasts(doc, taken, ctx.quotes):
        claims.append(build(doc, a, ctx.res))
    claims.sort(key=lambda c: (c["content_start"], c["cue_start"]))
    return claims
