"""Modality and polarity of a claim's content.

modality: asserted | future | possible | hedged | demanded | conditional, read from the
auxiliaries, adverbs and control verbs around the content's predicate ("would soon lift":
future; "appears to be": hedged; "must": demanded; "if ...": conditional) and from the
cue's class ("promised", "expects": future; "believes": hedged; "urged": demanded). When
the predicate says nothing, a deeper clause of the content may ("worried that prices will
rise"), as may a later sentence of the same quote, a verb of prediction ("have predicted a
victory"), a noun of plan or prospect ("plans to shut the port", "possible attacks", "discussed
the possibility of"), a passive of planning ("is scheduled for May"), "is due", or a time ahead
in a clause not in the past ("the trial opens next week", "the upcoming summit"), or
something still to happen ("have yet to receive", "more to come"). A passive of saying with no
one named is hearsay ("is reported to have fled": hedged, like "reportedly"); a content of
several sentences read from a later one keeps its first sentence's modality.
polarity: negative when the predicate itself is negated ("have not lifted").
A claim's time is read later, from the parse of its content clause (kb.nlp.timex).
"""
from __future__ import annotations

import calendar

from spacy.tokens import Token

from ..candidates.lexicon import aim_verbs, verb_class
from ..candidates.quotes import in_quote, quote_spans

FUTURE_AUX = {"will", "would", "shall", "'ll", "’ll", "wo"}
POSSIBLE_AUX = {"may", "might", "could", "can", "ca"}
DEMAND_AUX = {"must", "should", "ought"}
FUTURE_VERBS = {"plan", "intend", "aim", "prepare", "schedule", "expect", "set", "propose", "vow",
                "promise", "pledge", "threaten", "hope", "want", "seek", "try", "decide", "agree",
                "offer", "refuse", "pursue", "consider"}
HEDGE_VERBS = {"appear", "seem"}
HEDGE_ADV = {"likely", "probably", "apparently", "reportedly", "allegedly", "perhaps", "maybe",
             "possibly", "presumably", "supposedly", "seemingly", "unlikely"}
AHEAD_ADJ = {"set", "due", "poised", "about", "committed", "ready", "determined", "expected", "scheduled"}
PREDICT_VERBS = {"predict", "forecast", "project", "anticipate", "foresee", "expect", "envisage"}
AHEAD_NOUNS = {"plan", "proposal", "forecast", "prediction", "projection", "prospect", "target", "goal", "objective", "aim",
               "deadline", "intention", "outlook", "pledge", "promise", "threat", "schedule"}
AHEAD_ADJ_NOUN = {"future", "upcoming", "imminent", "impending", "planned", "proposed", "expected",
                  "forthcoming", "projected", "scheduled", "next"}
MAYBE_ADJ = {"possible", "potential", "likely", "probable", "prospective"}
MAYBE_NOUNS = {"possibility", "likelihood", "chance", "risk", "prospect"}
PLAN_PASSIVE = {"schedule", "plan", "slate", "timetable"}
AHEAD_STATE = {"due", "set", "poised", "slated", "scheduled"}
AHEAD_TIME = {"tomorrow", "upcoming", "forthcoming"}
AHEAD_TIME_NEXT = {"week", "month", "year", "weekend", "season", "spring", "summer", "autumn", "fall",
                   "winter", "term", "session"} | {d.lower() for d in calendar.day_name}
FUTURE_ADV = {"soon", "shortly", "tomorrow", "eventually", "someday"}
NEG_WORDS = {"not", "n't", "n’t", "never", "no", "neither", "nor"}
CONDITION_MARKS = {"if", "unless"}
CUE_MODALITY = {"future": "future", "hedge": "hedged", "demand": "demanded", "intent": "future"}
DATES_KEY = "kb_dates"       # the model's DATE and TIME spans, kept by kb.nlp.entities (absent: no dates)


def future_verb(v: Token) -> bool:
    """A verb whose to-infinitive lies ahead: FUTURE_VERBS and, active, WordNet's verbs of
    effort or purpose ("is pushing to meet", "strives to reach"; not "is designed to")."""
    return v.lemma_ in FUTURE_VERBS or v.pos_ == "VERB" and v.lemma_.lower() in aim_verbs() and not any(
        c.dep_ == "auxpass" for c in v.children)


def chain(pred: Token, top: Token) -> list[Token]:
    """pred and its heads up to top (inclusive), at most a few steps."""
    out, t = [pred], pred
    while t.i != top.i and t.head.i != t.i and len(out) < 5 and t.dep_ in ("ccomp", "xcomp", "conj", "advcl"):
        t = t.head
        out.append(t)
    return out


def verb_group(v: Token) -> tuple[int, int]:
    """Span of the verb with its auxiliaries and negation ('would soon lift')."""
    parts = [v.i] + [c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < v.i]
    return min(parts), v.i + 1


def family(pred: Token) -> list[Token]:
    """Verbs sharing the content's main clause: conjoined verbs and clausal complements."""
    return [c for c in pred.children if c.dep_ in ("conj", "ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]


def modality(pred: Token, root: Token, cue_lemma: str, first: Token | None = None) -> str:
    """asserted | future | possible | hedged | demanded | conditional.

    Read from the predicate and the verbs above it up to the content root (a cue verb
    there, as in "I think ...", "we expect ...", lends its class); when that says
    nothing, from the verbs of the same clause ("... and will close", "says it will"), or, when
    the content's `first` token opens an earlier sentence than the root's, from that sentence.
    """
    mod = _modality(pred, root, cue_lemma)
    if mod == "asserted":
        for v in family(pred):
            if asked(v, pred):
                continue
            sub = _modality(v, v, "")
            if sub in ("future", "possible", "hedged"):
                return sub
    if mod == "asserted":
        mod = ahead_words(pred) or embedded(root) or later_in_quote(root) or told_ahead(pred) or mod
    if mod == "asserted" and first is not None:
        mod = opening_modality(first, root, cue_lemma) or mod
    return mod


def opening_modality(first: Token, root: Token, cue_lemma: str) -> str | None:
    """A content of several sentences read from a later one ("The plane most likely was hit.
    ... It broke apart"): the first sentence's modality, when it has one."""
    sent = first.sent
    if root.sent == sent or not sent.start <= first.i < sent.end:
        return None
    top = sent.root
    if not first.i <= top.i:
        return None
    if verb_class(top.lemma_.lower()) == "speech":
        return None                     # "I would say ...": a manner of speaking
    mod = _modality(top, top, cue_lemma)
    if mod == "future" and (top.tag_ == "VBD" or any(
            c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" or c.dep_ == "neg" or c.lower_ in ("nobody", "none")
            for c in top.children)):
        return None                     # "they tried to convict him", "did not want to": no forecast
    return mod if mod != "asserted" else None


def told_ahead(pred: Token) -> str | None:
    """A noun-phrase content of a verb that will say it: "he will talk about climate change",
    "the panel will announce its findings" (a statement still to be made)."""
    if pred.pos_ not in ("NOUN", "PROPN"):
        return None
    t = pred
    while t.dep_ in ("pobj", "prep", "dobj") and t.head.i != t.i and t.i - t.head.i < 8:
        t = t.head
        if t.pos_ == "VERB":
            if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX - {"would"} for c in t.children):
                return "future"
            return None
    return None


def settles(v: Token) -> bool:
    """A finite verb that says whether a goal was met ('hits its goal', 'has reached the target',
    'missed the deadline': the events lexicon's achievement and failing verbs), not one that
    sets it, nor an aim ('meeting the goal by June')."""
    from ...events import verb_info          # kb.nlp.events reads the claims' lexicon: not at import
    finite = v.tag_ in ("VBD", "VBZ", "VBP") or v.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_ == "have" for c in v.children)
    info = verb_info(v.lemma_.lower())
    return finite and (bool(info.get("a")) or info.get("i") == -1)


def ahead_words(pred: Token) -> str | None:
    """A predicate that itself looks ahead: a verb of prediction ("analysts have predicted a
    victory", "snow is expected Sunday") or a noun of plan or prospect ("plans to shut down
    the city", "possible terror attacks", "imminent bankruptcy")."""
    if pred.pos_ in ("VERB", "AUX"):
        lem = pred.lemma_.lower()
        if lem in PREDICT_VERBS:
            return "future"
        if lem in PLAN_PASSIVE and (any(c.dep_ == "auxpass" for c in pred.children)
                                    or pred.dep_ == "acl" and pred.tag_ == "VBN"):
            return "future"                            # "the vote is scheduled for May", "a fair scheduled for May"
        if lem == "be" and any(c.dep_ == "acomp" and c.lower_ in AHEAD_STATE for c in pred.children):
            return "future"                            # "the report is due on Friday"
        objs = [c for c in pred.children if c.dep_ in ("dobj", "nsubjpass") or c.dep_ == "attr" and any(
            a.dep_ in ("acl", "relcl") and any(x.dep_ == "aux" and x.lower_ == "to" for x in a.children)
            for a in c.children)]                      # "it has been our intention to implement ..."
        if any(o.lemma_.lower() in AHEAD_NOUNS for o in objs) and not settles(pred):
            return "future"                            # "unveiled plans to ...", "discussed a proposal"
        if any(o.lemma_.lower() in MAYBE_NOUNS for o in objs):
            return "possible"                          # "discussed the possibility of ..."
        if still_to(pred):
            return "future"
        return "future" if ahead_in_time(pred) else None
    if pred.pos_ not in ("NOUN", "PROPN"):
        return None
    if pred.lemma_.lower() in AHEAD_NOUNS or by_date(pred):
        return "future"
    if pred.lemma_.lower() in MAYBE_NOUNS:
        return "possible"
    mods = {c.lower_ for c in pred.children if c.dep_ in ("amod", "compound")}
    if mods & AHEAD_ADJ_NOUN:
        return "future"
    if mods & MAYBE_ADJ:
        return "possible"
    return None


def by_date(noun: Token) -> bool:
    """A noun phrase with a deadline: "trumpeted a production level of 5,000 a week by December
    2017" (a target): "by" with a date the model tags (``doc.spans["kb_dates"]``), in the
    phrase or right after it on its verb."""
    dates = {i for s in noun.doc.spans.get(DATES_KEY, []) for i in range(s.start, s.end)}
    if not dates:
        return False
    after = [c for c in noun.head.children if c.i > noun.i] if noun.dep_ in ("dobj", "attr") else []
    return any(t.dep_ == "prep" and t.lower_ == "by" and any(p.dep_ == "pobj" and p.i in dates for p in t.children)
               for t in list(noun.subtree) + after)


def still_to(pred: Token) -> bool:
    """Something still to happen, in the clause's own words: "police have yet to receive a
    complaint", "the verdict is yet to come", "there is more to come", "in the months to come"."""
    for c in pred.children:
        if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux") and any(
                y.lower_ == "yet" for y in list(pred.children) + list(c.children) if y.dep_ == "advmod"):
            return True
    for c in pred.children:
        if c.dep_ in ("attr", "nsubj", "dobj", "prep"):
            for t in c.subtree:
                if t.lemma_ == "come" and t.dep_ in ("acl", "relcl") and t.i > t.head.i and any(
                        a.lower_ == "to" and a.dep_ == "aux" for a in t.children) and all(
                        a.dep_ in ("aux", "advmod") for a in t.children):   # not "time to come to the aid"
                    return True
    return False


def ahead_in_time(pred: Token) -> bool:
    """A predicate not in the past tense whose clause names a time ahead: "the trial opens
    next week", "talks resume tomorrow", "agenda for the upcoming summit"."""
    if pred.tag_ in ("VBD",) or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" or c.lemma_ == "have" and c.dep_ == "aux"
                                    for c in pred.children):
        return False
    stack = [pred]
    while stack:                  # the clause's own words, not those of a relative clause
        t = stack.pop()
        stack += [c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl", "ccomp")]
        low = t.lower_
        if low in AHEAD_TIME or low == "next" and t.head.lower_ in AHEAD_TIME_NEXT \
                or low == "coming" and t.dep_ == "amod" and t.head.lower_ in AHEAD_TIME_NEXT | {"days", "weeks", "months", "years"}:
            return True
    return False


def later_in_quote(root: Token) -> str | None:
    """A quote of several sentences whose first says nothing modal takes the modality of the
    first later sentence that does ("We are ready. The plant will close in May.")."""
    doc = root.doc
    quotes = quote_spans(doc)          # computed once per doc (.candidates.quotes keeps the last)
    q = in_quote(quotes, root.i)
    if q is None:
        return None
    parts = [(root.sent.end, q[1], 0)]
    q2 = joined_quote(doc, quotes, q)
    if q2 is not None:          # "“We are ready,” he added. “The plant will close.”"
        parts.append((q[1], q2[1], q2[0]))
    for start, end, inside in parts:
        for t in doc[start:end]:
            if t.is_sent_start and inside <= t.sent.root.i < end:
                r = t.sent.root
                sub = _modality(r, r, "")
                sub = sub if sub != "asserted" else embedded(r)
                if sub in ("future", "possible", "hedged", "conditional"):
                    return sub
    return None


def joined_quote(doc, quotes: list[tuple[int, int]], q: tuple[int, int]) -> tuple[int, int] | None:
    """The quote that resumes the same statement after a short cue in the same paragraph
    ('“X,” he added. “Y”'), not one that has its own cue after it ('“Y,” she replied')."""
    q2 = next(((s, e) for s, e in quotes if s >= q[1]), None)
    if q2 is None or q2[0] - q[1] > 30 or any("\n" in t.text_with_ws for t in doc[q[1]:q2[0]]):
        return None
    if any(t.is_sent_start for t in doc[q[1] + 1:q2[0] - 1]):
        return None                     # the gap is one sentence: the cue's
    if not any(t.pos_ == "VERB" and verb_class(t.lemma_.lower()) for t in doc[q[1]:q2[0]]):
        return None
    if any(t.pos_ == "VERB" and verb_class(t.lemma_.lower()) for t in doc[q2[1]:min(q2[1] + 5, len(doc))]):
        return None
    return q2


def embedded(root: Token) -> str | None:
    """future | possible when a clause inside the content carries a modal auxiliary
    ("are concerned that the policy will increase tensions", "a scandal that will be
    promoted", "worried that illnesses could spread"); None otherwise. Bare "can" (ability)
    does not count."""
    sent = root.sent
    for t in root.subtree:
        if t.dep_ == "aux" and t.sent == sent and t.head.pos_ in ("VERB", "AUX") and not asked(t.head, root):
            if t.lower_ in FUTURE_AUX:
                return "future"
            if t.lower_ in POSSIBLE_AUX - {"can", "ca"}:
                return "possible"
        if t.lower_ == "going" and t.sent == sent and t.i != root.i and not asked(t, root) and any(
                c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in t.children):
            return "future"                 # "determined that it is going to be phased out"
    return None


QUESTION_WORDS = {"when", "why", "whether", "if", "how", "where", "what", "who"}


def asked(v: Token, root: Token) -> bool:
    """v sits in an indirect question below root ("did not know when they would work again"):
    its modal is asked about, not claimed."""
    while v.i != root.i and v.head.i != v.i:
        if v.dep_ in ("ccomp", "advcl", "xcomp", "conj") and v.left_edge.lower_ in QUESTION_WORDS \
                and v.left_edge.dep_ in ("advmod", "mark", "nsubj", "dobj"):
            return True
        v = v.head
    return False


def _modality(pred: Token, root: Token, cue_lemma: str) -> str:
    verbs = chain(pred, root)
    if not cue_lemma or verb_class(cue_lemma) in (None, "speech", "stance", "knowledge", "evidence"):
        cue_lemma = next((v.lemma_.lower() for v in verbs if verb_class(v.lemma_.lower()) in
                          ("future", "hedge", "demand", "intent")
                          and any(c.dep_ in ("ccomp", "xcomp") for c in v.children)), cue_lemma)
    kids = [c for v in verbs for c in v.children]
    aux = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
    if any(c.dep_ == "advcl" and any(m.lower_ in CONDITION_MARKS for m in c.children if m.dep_ == "mark")
           for c in kids):
        return "conditional"
    cue_mod = "hedged" if cue_lemma in HEDGE_VERBS else CUE_MODALITY.get(verb_class(cue_lemma) or "", "")
    have_to = any(v.lemma_ in ("have", "need") and any(c.dep_ == "xcomp" for c in v.children)
                  and not any(c.lower_ == "yet" for c in v.children) for v in verbs) \
        or any(v.dep_ == "xcomp" and v.head.lemma_ in ("have", "need") and v.head.tag_ != "VBN" for v in verbs)
    if aux & DEMAND_AUX or cue_mod == "demanded":
        return "demanded"
    if have_to:     # "will have to focus", "is expected to have to": a forecast of a need
        ahead = aux & FUTURE_AUX or any(future_verb(v) and any(c.dep_ == "xcomp" for c in v.children)
                                        for v in verbs + [pred.head])
        return "future" if ahead else "demanded"
    going = any(v.lower_ == "going" and any(c.dep_ == "xcomp" for c in v.children) for v in verbs) or \
        any(v.head.lower_ == "going" for v in verbs)
    to_inf = pred.dep_ == "xcomp" and any(c.lower_ == "to" and c.dep_ == "aux" for c in pred.children)
    be_to = any(v.lemma_ == "be" and any(c.dep_ == "xcomp" and c.i > v.i and any(
        a.lower_ == "to" for a in c.children if a.dep_ == "aux") for c in v.children) for v in verbs)
    ahead_adj = {c.lower_ for c in kids if c.dep_ == "acomp" and any(x.dep_ == "xcomp" for x in c.children)}
    headline_inf = pred.dep_ in ("ROOT", "ccomp") and pred.tag_ in ("VB", "VBN") and \
        any(c.lower_ == "to" and c.dep_ == "aux" for c in pred.children) and \
        any(c.dep_ in ("nsubj", "nsubjpass") for c in pred.children)    # "Curbs to be lifted"
    if aux & FUTURE_AUX or going or any(c.lower_ in FUTURE_ADV for c in kids) \
            or any(future_verb(v) and any(c.dep_ == "xcomp" for c in v.children) for v in verbs) \
            or cue_mod == "future" or to_inf and future_verb(pred.head) or headline_inf \
            or be_to or ahead_adj & AHEAD_ADJ:
        return "future"
    if aux & POSSIBLE_AUX or any(c.lower_ == "possibly" for c in kids):
        return "possible"
    if any(v.lemma_ in HEDGE_VERBS for v in verbs) or any(c.lower_ in HEDGE_ADV for c in kids) \
            or ahead_adj & HEDGE_ADV or any(hearsay(v) for v in verbs) \
            or cue_mod == "hedged":
        return "hedged"
    return "asserted"


REPORTATIVE = {"say", "report", "rumour", "rumor", "claim", "allege", "purport", "reckon"}


def hearsay(v: Token) -> bool:
    """ "The house is reported to be uninhabitable", "he is said to have fled": a passive of
    saying with no one named, whose to-infinitive the article does not vouch for."""
    h = v.head
    return v.dep_ == "xcomp" and h.lemma_.lower() in REPORTATIVE and any(
        a.lower_ == "to" for a in v.children if a.dep_ == "aux") and any(
        c.dep_ == "auxpass" for c in h.children) and not any(c.dep_ == "agent" for c in h.children)


def polarity(pred: Token) -> str:
    """negative when the predicate itself is negated."""
    heads = [pred] + ([pred.head] if pred.dep_ == "xcomp" else [])
    neg = any(c.dep_ == "neg" or c.lower_ in NEG_WORDS and c.dep_ in ("advmod", "det")
              for h in heads for c in h.children)
    return "negative" if neg else "positive"
