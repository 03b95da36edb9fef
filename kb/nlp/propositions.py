"""The proposition of each claim, for tracking claims across articles.

A claim's proposition is what it says will (or did) happen, whatever the wording:

* ``event`` and ``event_polarity``: the event class and its folded polarity
  (``kb.nlp.events``: "have not lifted the blockage" is a negative ``operate``, "missed
  its payment" a negative ``pay``);
* ``participants``: the entities (and the key nouns) of the event's own clause: its
  agent (role ``s``; a pronoun resolved), objects and their complements ("the restrictions
  on Line" -> Line; role ``o``), the place where it happens (``l``), not the parties to the
  report ("told the embassy that ...") nor those of a condition or a time clause ("if it
  fails to make a payment ..."); and the article's main actors it leaves implicit (``c``);
* ``quantities``: the figures of that clause, as ``{value, unit, text}`` (``kb.nlp.figures``:
  "5,000 Model 3 cars a week" -> 5000 per week); a content that is only a figure ("expects
  about 30,000 passengers a day") is a ``target``, matched by its figure;
* ``revision``: the claim sets a new date for the event ("won't be hit until June");
* a claim whose subject or goal only points back ("that target won't be hit until
  June", "that will not be achieved until 2018") takes the figures, participants and
  event of the claim before it in the same or the previous paragraph that has them.

``annotate`` runs as the last step of claim extraction (``kb.nlp.claims``) and adds these
fields to each claim dict.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from .claims.candidates.lexicon import verb_class
from .entities.lexicon import STAFF_NOUNS
from .events import OPERATE, REASON, TARGET, Event, event_of, explains, noun_info, verb_info, verb_lemma
from .figures import CURRENCY_WORDS, MONTHS, SCALES, TIME_NOUNS, in_time, quantities
from .spans import dateline_end, lemma, paragraph, sentences_back
from .timex import TimeExpr, claim_time, iso_value, resolve

CLAUSE_MARKS = {"if", "unless", "when", "whenever", "after", "before", "until", "till", "since", "once",
                "while", "because", "although", "though", "as", "whether"}
OWN_COUNTRY = {"country", "nation", "government", "state"}     # "his country": the speaker's government
POINTING = {"that", "this", "it", "these", "those"}
STOP_KEY = "~stop"          # the key noun of every stopping noun (kb.nlp.events)



def annotate(doc: Doc, claims: list[dict], res) -> list[dict]:
    """Add event, event_polarity, participants, quantities and revision to each claim (in place)."""
    props = []
    context = topics(res)
    for c in claims:
        span = doc.char_span(c["content_start"], c["content_end"], alignment_mode="expand")
        if span is not None and len(span):
            own_time(doc, span, c)
        p = proposition(doc, span, res, c) if span is not None and len(span) else None
        props.append(p)
        c.update(p["fields"] if p else {"event": None, "event_polarity": None, "participants": [],
                                        "quantities": [], "revision": False})
    _resolve_pointers(doc, claims, props)
    for c in claims:
        have = {(x.get("entity") or {}).get("name") for x in c["participants"]}
        c["participants"] += [dict(x) for x in context if x["entity"]["name"] not in have]
    return claims


def own_time(doc: Doc, span: Span, claim: dict) -> None:
    """The time expression of the content's own clause (kb.nlp.timex), replacing the first one
    found anywhere in the content: time_text, offsets, relation (by, until, ...) and tense."""
    cue = claim.get("cue_start")
    if claim.get("direct_quote") and cue is not None and span.start_char < cue < span.end_char:
        # '"X," Lagarde said at a press conference ... "Y"': the time of X, not of the telling
        part = doc.char_span(span.start_char, cue, alignment_mode="contract")
        span = part if part is not None and len(part) else span
    ev = event_of(span.root)
    pred = doc[ev.top] if ev is not None and span.start <= ev.top < span.end else span.root
    t = claim_time(doc, (span.start, span.end), pred) or expected_by(doc, span, claim)
    claim.update(time_text=t.text if t else None, time_start=t.start_char if t else None,
                 time_end=t.end_char if t else None, time_relation=t.relation if t else None,
                 time_tense=t.tense if t else None, time_frame=past_frame(pred) if t else None,
                 time_value=iso_value(resolve(t, None, t.tense)) if t else None)


EXPECTED_BY = {"by", "until", "before", "within"}


def expected_by(doc: Doc, span: Span, claim: dict) -> TimeExpr | None:
    """The deadline an expectation gives its object from outside it: "the authority expects about
    30,000 passengers a day by the end of October" (the cue's own "by ..." after the content)."""
    cue = doc.char_span(claim["cue_start"], claim["cue_end"], alignment_mode="expand") \
        if claim.get("cue_start") is not None else None
    if cue is None or not len(cue) or verb_class(cue[0].lemma_.lower()) != "future" or span.root.head.i != cue[0].i:
        return None
    for p in cue[0].children:
        if p.dep_ == "prep" and p.lower_ in EXPECTED_BY and p.i >= span.end:
            return claim_time(doc, (p.i, p.right_edge.i + 1), p)
    return None


def past_frame(pred: Token) -> str | None:
    """"past" when what looks ahead was said or planned in the past ("had pledged to restore ... by
    the end of August", "said it would pay by June 30"): its deadline may be behind the article's date."""
    t = pred
    for _ in range(5):
        if t.tag_ == "VBD" or any(c.dep_ == "aux" and c.lower_ == "had" for c in t.children):
            return "past"
        if t.dep_ not in ("xcomp", "ccomp", "conj") or t.head.i == t.i:
            break
        t = t.head
    return None


TOPIC_TYPES = ("government", "firm", "app", "group", "official", "person")


def topics(res, most: int = 3) -> list[dict]:
    """The article's main actors (named twice or more, the most named first): a claim's
    participants it does not name (role "c", context), since news leaves them implicit."""

    counts = Counter((m.kb_id_ or m.text, m.label_) for m in res.mentions if m.label_ in TOPIC_TYPES)
    top = counts.most_common(most)
    floor = 2 if sum(n >= 2 for _, n in top) >= 2 else 1      # a short article: who it names at all
    return [{"text": name, "entity": {"name": name, "type": etype}, "role": "c"}
            for (name, etype), n in top if n >= floor]


def _topic_of_question(doc: Doc, span: Span, claim: dict) -> bool:
    """"Asked about a pending payment, he said ...": an inquiry verb's noun-phrase content is the
    question's topic, which claims nothing (a question with a clause, "asked whether Greece
    would pay", still holds its proposition)."""

    if span.root.pos_ in ("VERB", "AUX") or claim.get("cue_start") is None:
        return False
    cue = doc.char_span(claim["cue_start"], claim["cue_end"], alignment_mode="expand")
    return cue is not None and any(t.pos_ == "VERB" and verb_info(verb_lemma(t)).get("q") for t in cue)


def _elided(doc: Doc, span: Span, ev: Event) -> Event | None:
    """The event a bare phase verb continues or stops ("We will continue", "They will resume"):
    the nearest event named before the content in its sentence, outside the telling."""

    t = doc[ev.token]
    if ev.name != OPERATE or not verb_info(verb_lemma(t)).get("p") or any(
            c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "attr", "acomp") for c in t.children):
        return None
    subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ != "PRON":
        return None                            # "the strike will continue": the strike's own stop
    sent = t.sent
    for v in reversed(doc[sent.start:span.start]):
        if v.pos_ != "VERB" or v.dep_ == "ROOT":
            continue
        other = event_of(v)
        if other is not None and other.name not in (OPERATE, REASON, TARGET) and not other.name.startswith("n:") \
                and not span.start <= other.top < span.end:
            return other
    return None


def _explaining_cue(doc: Doc, claim: dict) -> Token | None:
    """The cue's verb when it gives a reason ("attributed the delay to", "blamed it on", "linked the
    disruption to"): what the claim says is why something happened."""

    if claim.get("cue_start") is None:
        return None
    cue = doc.char_span(claim["cue_start"], claim["cue_end"], alignment_mode="expand")
    near = [t for c in cue or () for t in [c, *list(c.ancestors)[:2]]]   # "linked the disruption to reports that"
    return next((t for t in near if t.pos_ == "VERB" and (verb_info(verb_lemma(t)).get("k") or explains(t))), None)


def proposition(doc: Doc, span: Span, res, claim: dict) -> dict | None:
    """The proposition of one content span (with its internal parts for the pointer pass)."""
    if _topic_of_question(doc, span, claim):
        return None
    ev = next((e for e in (event_of(v) for v in clause_heads(span)) if e is not None), None)
    if ev is None:
        return _figure_only(doc, span, res, claim)
    why = _explaining_cue(doc, claim)
    if why is not None and ev.name != REASON:    # "linked the disruption to reports that ...": the reason
        ev = ev._replace(name=REASON, sign=1, revision=False, also=None, prospective=False)
    top = doc[ev.top]
    region = clause_tokens(top, span)
    if why is not None:                        # "cited the spread of propaganda through the apps as the reason
        region = list(span)                    # for the block": what is explained is a participant too
    ante = _elided(doc, span, ev)
    if ante is not None:                       # "Noting Greece had made payments, he added: 'We will continue'"
        ev = ev._replace(name=ante.name, sign=ev.sign * ante.sign)
        sent = doc[ante.top].sent
        region = region + clause_tokens(doc[ante.top], doc[sent.start:span.start])
    parts = participants(region, res, claim, agents(top))
    if ev.name == REASON and lemma(doc[ev.token]) == "take" and not any(p.get("noun") == STOP_KEY for p in parts):
        parts.append({"noun": STOP_KEY, "role": "o"})    # "took longer than expected": explains a delay
    quants = quantities(region, claim)
    fields = {"event": ev.name, "event_polarity": "negative" if ev.sign < 0 else "positive",
              "participants": parts, "quantities": quants, "revision": ev.revision, "prospective": ev.prospective,
              "realized": realized(top)}
    also = [ev.also] if ev.also else []
    heads = {ev.token, ev.top}
    for h in heads:                            # "to be bundled ... and paid on June 30", "in default - in arrears"
        for c in doc[h].children:
            if c.dep_ in ("conj", "ccomp", "parataxis", "advcl") and c.pos_ in ("VERB", "AUX") \
                    and span.start <= c.i < span.end and c.i not in heads \
                    and not any(m.dep_ == "mark" and m.lower_ in CLAUSE_MARKS for m in c.children) \
                    and not (c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)):
                other = event_of(c)
                if other is not None and other.name not in also and other.name != ev.name:
                    also.append(other.name)
    if also:
        fields["event_also"] = " ".join(also)
    return {"fields": fields, "event": ev, "pointing": pointing(doc, ev, top), "sent": doc[ev.token].sent.start}


def _figure_only(doc: Doc, span: Span, res, claim: dict) -> dict | None:
    """A content with figures and no verb ("expects about 30,000 passengers a day"): a target,
    matched by its figures and participants."""
    region = list(span)
    quants = [q for q in quantities(region, claim) if q["unit"].startswith(("money:", "rate:"))
              or q["unit"].startswith("count:") and q["value"] >= 1000]
    if not quants:                             # a target's figure: an amount, a rate, a count in thousands
        return None
    top = span.root
    ev = Event(TARGET, 1, top.i, top.i, False, top.i)
    parts = participants(region, res, claim)
    who = claim.get("speaker_entity")
    if who and who.get("name") and all((p.get("entity") or {}).get("name") != who["name"] for p in parts):
        parts.append({"text": claim.get("speaker") or who["name"], "entity": who, "role": "c"})   # its forecaster
    fields = {"event": TARGET, "event_polarity": "positive", "participants": parts,
              "quantities": quants, "revision": False, "prospective": False, "realized": False}
    return {"fields": fields, "event": ev, "pointing": False, "sent": top.sent.start}


NOT_YET = {"will", "would", "shall", "'ll", "’ll", "wo", "may", "might", "could", "can", "ca", "should", "must",
           "to", "'d", "’d"}


def realized(v: Token) -> bool:
    """The clause says its event happened or holds: a finite past or present verb ("has missed",
    "reached", "is in arrears", "was blocked"), not a modal, future or infinitive one."""
    if v.pos_ not in ("VERB", "AUX"):
        return False
    if v.tag_ == "VBG" and v.dep_ == "advcl" and v.head.i != v.i and not any(c.dep_ == "aux" for c in v.children):
        h = v.head                       # "..., making it formally in arrears": as the clause it hangs on,
        for _ in range(4):               # through the infinitives between ("makes Greece ... to fail to repay")
            if h.dep_ in ("xcomp", "ccomp", "advcl", "conj") and h.tag_ in ("VB", "VBG") and h.head.i != h.i:
                h = h.head
        return realized(h)
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in NOT_YET for a in auxes):
        return False
    return v.tag_ in ("VBD", "VBZ", "VBP") or any(a.tag_ in ("VBD", "VBZ", "VBP") for a in auxes)


def clause_heads(span: Span, most: int = 6) -> list[Token]:
    """Where the content's event may be, in order: its root, then the verbs of its other
    clauses ("that X was close to a deal and that Athens would pay"; "The Chinese side was
    more specific. They said the services would return to normal")."""
    out, seen = [], set()
    todo = [span.root] + [s.root for s in span.sents if span.start <= s.root.i < span.end]
    while todo and len(out) < most:
        t = todo.pop(0)
        if t.i in seen:
            continue
        seen.add(t.i)
        out.append(t)
        todo += [c for c in t.children if c.dep_ in ("conj", "ccomp", "parataxis", "xcomp") and c.pos_ in ("VERB", "AUX")
                 and span.start <= c.i < span.end]        # xcomp: a parse that makes "will 'quite likely' meet" an adjective's
    # a broken parse ("Tesla Inc. will 'quite likely' meet ..." with "Inc." as the root): its verbs in order
    out += [t for t in span if t.pos_ == "VERB" and t.i not in seen][:max(0, most - len(out))]
    return out


def clause_tokens(top: Token, span: Span) -> list[Token]:
    """Tokens of the event's own clause inside the content: the subtree of its verb (and its
    subject when shared with a verb above), less condition, time and reason clauses."""
    skip: set[int] = set()
    for t in top.subtree:
        if t.i in skip:
            continue
        if t.dep_ in ("advcl", "parataxis") and t.i != top.i and (
                t.dep_ == "parataxis" or any(m.dep_ in ("mark", "advmod") and m.lower_ in CLAUSE_MARKS for m in t.children)):
            skip.update(x.i for x in t.subtree)
        elif t.dep_ == "prep" and t.lower_ in ("after", "before", "since", "until", "despite") and t.head.i == top.i:
            skip.update(x.i for x in t.subtree)
    toks = [t for t in top.subtree if t.i not in skip and span.start <= t.i < span.end]
    subj = next((c for c in top.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and top.dep_ in ("xcomp", "conj", "ccomp") and top.head.i != top.i:
        head_subj = next((c for c in top.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if head_subj is not None and span.start <= head_subj.i < span.end:
            toks = list(head_subj.subtree) + toks
    return toks


LOCATIVE = {"in", "inside", "across", "throughout", "within", "on"}


def where(t: Token) -> bool:
    """A place or country named as where it happens ("disrupted on the mainland", "blocked in
    China"), not what it happens to: role "l", compared like the article's context."""
    span = t.doc.spans.get("kb_entities")
    label = next((s.label_ for s in span or () if s.start <= t.i < s.end), None) if span is not None else None
    return t.dep_ == "pobj" and t.head.lower_ in LOCATIVE and t.head.head.pos_ in ("VERB", "AUX") \
        and label in ("place", "government")


def agents(top: Token) -> set[int]:
    """Token indexes of the event's agent: the subject of an active verb (shared through
    xcomp/conj), the "by" phrase of a passive one."""
    v = top
    for _ in range(4):
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            return {t.i for t in subj.subtree}
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        if agent is not None:
            return {t.i for t in agent.subtree}
        if any(c.dep_ == "nsubjpass" for c in v.children):
            return set()
        if v.dep_ in ("xcomp", "conj") and v.head.i != v.i:
            v = v.head
        else:
            break
    return set()


def participants(region: list[Token], res, claim: dict, agent: set[int] = frozenset()) -> list[dict]:
    """Entities of the clause ({text, entity, role}), then key nouns ({noun, role}): pronouns
    resolved; role "s" for the agent, "o" for the rest."""
    out, seen, names = [], set(), set()
    ids = {t.i for t in region}
    for t in region:
        span = res.by_token.get(t.i)
        if span is not None and span.label_ != "other" and span.start not in seen \
                and all(i in ids for i in range(span.start, span.end)) and not dateline(span):
            seen.add(span.start)
            ent = {"name": span.kb_id_ or span.text, "type": span.label_}
            if ent["name"] not in names:
                names.add(ent["name"])
                role = "s" if span.root.i in agent else "l" if where(span.root) else "o"
                out.append({"text": span.text, "entity": ent, "role": role})
        elif span is None and (t.pos_ == "PRON" and t.lower_ in ("it", "its", "they", "their", "them", "we", "our", "us",
                                                              "he", "his", "she", "her")
                               or t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "poss")
                               and any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in t.children)):
            ent = _refers(t, res, claim)
            if ent and ent.get("name") and ent["name"] not in names:
                names.add(ent["name"])
                out.append({"text": t.text, "entity": {"name": ent["name"], "type": ent.get("type")},
                            "role": "s" if t.i in agent else "o"})
    subj = claim.get("subject_entity")
    if subj and subj.get("name") and subj["name"] not in names and not agent & ids:
        names.add(subj["name"])          # "expects to make ...": the subject of the cue makes
        out.append({"text": claim.get("subject") or subj["name"], "entity": subj, "role": "s"})
    nouns: dict[str, str] = {}
    stops: dict[int, int | None] = {}
    for t in region:
        if t.i in res.by_token or t.is_stop or not t.is_alpha:
            continue
        sent = t.sent.start
        if sent not in stops:
            stops[sent] = dateline_end(t.doc, sent, t.sent.end)
        if stops[sent] is not None and t.i < stops[sent]:
            continue                          # "WASHINGTON (dpa-AFX) -": the wire's words, not the claim's
        low = lemma(t)
        if low in TIME_NOUNS or low in MONTHS or low in CURRENCY_WORDS or low in SCALES or in_time(t):
            continue
        if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "compound", "appos"):
            if noun_info(low).get("x"):      # a ban, a block, the restrictions, the disruption: one stop
                low = STOP_KEY
            nouns.setdefault(low, "s" if t.i in agent else "o")
        elif t.pos_ == "PROPN" and t.text[:1].isupper():
            nouns.setdefault(t.lower_, "s" if t.i in agent else "o")
    out += [{"noun": n, "role": r} for n, r in nouns.items()]
    return out


DEFINITE = {"the", "this", "that", "these", "those", "his", "her", "its", "their", "our"}
ORGS = ("firm", "government", "media", "group")


def dateline(span: Span) -> bool:
    """A wire report's dateline ("OTTAWA -", "WASHINGTON (dpa-AFX) -", "MONTREAL, May 14 (DPS) -"):
    a capitalised place opening its sentence before a dash, and the agency in its brackets: not
    participants."""
    stop = dateline_end(span.doc, span.sent.start, span.sent.end)
    return stop is not None and span.start < stop


def _speaker_org(res, claim: dict) -> dict | None:
    """The organisation named in the speaker's own words ("Laurentide chief executive Richard
    Thibodeau", "IMF spokesman Gerry Rice"): the "we" of that speaker's quote."""
    start, end = claim.get("speaker_start"), claim.get("speaker_end")
    if start is None or end is None:
        return None
    orgs = [m for m in res.mentions if m.label_ in ORGS]
    for m in orgs:
        if m.start_char >= start and m.end_char <= end:
            return {"name": m.kb_id_ or m.text, "type": m.label_}
    span = orgs[0].doc.char_span(start, end, alignment_mode="expand") if orgs else None
    for t in span or ():                 # "Laurentide chief executive ...": the short name of a firm named in the article
        if t.text[:1].isupper() and t.is_alpha and t.i not in res.by_token:
            for m in orgs:
                if t.text in (m.text, (m.kb_id_ or m.text).split()[0]):
                    return {"name": m.kb_id_ or m.text, "type": m.label_}
    return _org_that_spoke(res, span) if span is not None else None


def _org_that_spoke(res, span) -> dict | None:
    """'The airline said it was a short disruption. "We will be back ...," spokeswoman Julie
    Fortin said': someone who speaks for an organisation (a spokeswoman, an executive, an
    official) and names none speaks for the organisation that spoke last before, in the same
    paragraph or the one before. A passenger's "we" is the passengers'."""
    if not any(t.lower_ in STAFF_NOUNS for t in span):
        return None
    doc = span.doc
    start = paragraph(doc, span.start)[0]
    lo = paragraph(doc, start - 1)[0] if start > 0 else 0
    best = None
    for i, head, ent in res.speakers:
        if lo <= i < span.start and head.pos_ != "PRON" and ent and ent.get("type") in ORGS \
                and (best is None or i > best[0]):
            best = (i, ent)
    return best[1] if best else None


def _refers(t: Token, res, claim: dict) -> dict | None:
    """What a pronoun or a definite description in the clause stands for (best effort)."""
    low = t.lower_
    if low in ("we", "our", "us") and claim.get("direct_quote"):
        return _speaker_org(res, claim) or claim.get("speaker_entity")
    if t.dep_ in ("nsubj", "nsubjpass") and claim.get("subject_entity") and (claim.get("subject") or "").lower() == low \
            and not (low in ("it", "its") and claim["subject_entity"].get("type") in ("person", "official")):
        return claim["subject_entity"]
    if t.pos_ == "NOUN" and lemma(t) in OWN_COUNTRY and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in t.children):
        return _nearest(res, t, ("government",))          # "his country would not make the deadline"
    try:
        ent = res.resolve(t)
    except Exception:                                     # resolution is best effort
        return None
    if ent and low in ("it", "its") and ent.get("type") in ("person", "official"):
        return None
    return ent


def _nearest(res, t: Token, kinds: tuple[str, ...]) -> dict | None:
    """The nearest mention of these kinds before t, in its sentence or the two before."""
    start = sentences_back(t)
    for m in reversed(res.mentions):
        if start <= m.start < t.i and m.label_ in kinds:
            return {"name": m.kb_id_ or m.text, "type": m.label_}
    return None


def pointing(doc: Doc, ev: Event, top: Token) -> bool:
    """The claim only points back: its subject or goal is "that", "it", "that target", "the goal"."""
    anchor = doc[ev.anchor] if ev.anchor is not None else None
    if anchor is not None and ev.name == TARGET:
        det = [c for c in anchor.children if c.dep_ in ("det", "poss")]
        if not any(c.like_num for c in anchor.subtree) and det:
            return True
    subj = next((c for c in top.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ not in POINTING or subj.pos_ not in ("PRON", "DET"):
        return False
    if subj.lower_ == "it":           # "it will delay a payment": it is Greece; "it will be achieved": the goal
        return subj.dep_ == "nsubjpass" and _achieving(top)
    return ev.name == TARGET or _achieving(top)        # "that will not be achieved until 2018"


def _achieving(v: Token) -> bool:

    return bool(verb_info(lemma(v)).get("a"))


def _resolve_pointers(doc: Doc, claims: list[dict], props: list[dict | None]) -> None:
    """A pointing claim takes the figures, participants and event of the nearest claim before it
    (in its own or the previous paragraph) that has figures or a goal."""
    for k, (c, p) in enumerate(zip(claims, props)):
        if p is None or not p["pointing"] or c["quantities"]:
            continue
        for j in range(k - 1, max(-1, k - 6), -1):
            q, prev = props[j], claims[j]
            if q is None or not (prev["quantities"] or q["event"].name == TARGET):
                continue
            if q["sent"] < p["sent"] and _paragraphs_apart(doc, q["sent"], p["sent"]) > 1:
                break
            c["quantities"] = [dict(x) for x in prev["quantities"]]
            have = {(x.get("entity") or {}).get("name") or x.get("noun") for x in c["participants"]}
            c["participants"] += [x for x in prev["participants"]
                                  if ((x.get("entity") or {}).get("name") or x.get("noun")) not in have]
            if c["event"] in (TARGET, None) or p["event"].name.startswith("n:") or _achieving(doc[p["event"].top]):
                c["event"] = prev["event"]
            c["points_back"] = j
            break


def _paragraphs_apart(doc: Doc, a: int, b: int) -> int:
    """Paragraph breaks (blank lines) between token a and token b."""
    return doc[a:b].text.count("\n\n")


def summary(claims: Iterable[dict]) -> list[tuple]:
    """(event, polarity, participant names, figures) per claim: for debugging and tests."""
    return [(c.get("event"), c.get("event_polarity"),
             [(p.get("entity") or {}).get("name") or p.get("noun") for p in c.get("participants", [])],
             [(q["value"], q["unit"]) for q in c.get("quantities", [])]) for c in claims]
