"""The article's own reports of events: candidates for following promises.

"Greece has now missed its payment to the IMF", "Tesla reached its milestone": sentences
in which the writer, citing no one, states that something happened (or did not). They are
not claims of anyone's, so they are not among the claims; kept beside them (``reports``), one
that bears on a followed promise becomes a claim of kind ``report`` in that promise's
thread (``kb.track``), with no speaker, so that a thread can be fulfilled or contradicted by
what the news reports.

A report is a sentence whose main verb is not forward-looking (no "will", "may", "plans
to": those are the article's own forecasts, already claims), not a question, not inside a
quote or a transcript turn ('HOLT: ...': the speaker's words), not the content of a claim, and
that names an event (``kb.nlp.events``) with at least one named
participant. ``kb.nlp.doc_to_dict(doc, reports=True)`` (what extraction for the store uses)
puts them in ``doc._.kb_reports`` in the shape of a claim (speaker and cue null, modality
asserted, with the proposition fields); the ``kb_reports`` component does the same in a
pipeline of your own. `kb analyze` does not show them.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from . import propositions
from .claims.assembly.modality import FUTURE_AUX, POSSIBLE_AUX, DEMAND_AUX, polarity, verb_group
from .claims.candidates.lexicon import verb_class
from .claims.candidates.phrase_cues import in_turn
from .claims.candidates.quotes import in_quote, quote_spans
from .events import event_of
from .spans import lemma, subject_of, trimmed

if not Doc.has_extension("kb_reports"):
    Doc.set_extension("kb_reports", default=None)

NOT_REPORTED = FUTURE_AUX | POSSIBLE_AUX | DEMAND_AUX | {"'d", "’d", "to"}
MIN_TOKENS = 5


def forward(v) -> bool:
    """The verb looks ahead: a modal or future auxiliary, or a verb of intending above it."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in NOT_REPORTED for c in v.children) or v.tag_ == "VB" \
        and not any(c.dep_ == "aux" for c in v.children)


def _report(doc: Doc, sent, verb, span, res) -> dict:
    """A report in the shape of a claim: no speaker, no cue, asserted."""
    subj = subject_of(verb)
    s0, s1 = trimmed(subj) if subj is not None else (0, 0)
    ps, pe = verb_group(verb)
    return {
        "kind": "report", "sentence": sent.text.strip(), "speaker": None, "speaker_start": None,
        "speaker_end": None, "speaker_entity": None, "speaker_refers_to": None, "cue": None,
        "cue_start": None, "cue_end": None, "content": span.text, "content_start": span.start_char,
        "content_end": span.end_char, "via": None,
        "subject": doc[s0:s1].text if subj is not None else None,
        "subject_entity": res.entity_at(subj) if subj is not None else None,
        "predicate": lemma(verb), "predicate_text": doc[ps:pe].text, "objects": [],
        "modality": "asserted", "polarity": polarity(verb), "direct_quote": False,
        "time_text": None, "time_value": None,
    }


def _asks(sent) -> bool:
    """A question reports nothing ('Well, how do we pay for that?')."""
    words = [t for t in sent if not (t.is_space or t.is_quote)]
    return bool(words) and words[-1].text == "?"


def extract_reports(doc: Doc, claims: list[dict], res) -> list[dict]:
    """Report candidates of a parsed doc, in text order (claims: its claims, to skip their contents)."""
    covered = [(c["content_start"], c["content_end"]) for c in claims] + \
        [(c["cue_start"], c["cue_end"]) for c in claims if c.get("cue_start") is not None]
    quotes = quote_spans(doc, doc.text)
    out = []
    for sent in doc.sents:
        root = sent.root
        if len(sent) < MIN_TOKENS or root.pos_ not in ("VERB", "AUX") or forward(root) \
                or in_quote(quotes, root.i) is not None or in_turn(doc, root.i) or _asks(sent):
            continue                     # a speaker's words (a quote, a transcript turn) or a question
        if any(s <= root.idx < e for s, e in covered) or verb_class(root.lemma_.lower()) is not None:
            continue                     # someone's claim ("Beijing had said that ..."), not a report of an event
        start, end = sent.start, sent.end
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        # the main clause, and a participle clause that reports a second event ("..., making it
        # formally in arrears"): a sentence holding two reports gives two
        parts = [(root, start, end)]
        for c in root.subtree:
            if c.dep_ == "advcl" and c.tag_ == "VBG" and not any(m.dep_ == "mark" for m in c.children) \
                    and c.left_edge.i > start:
                parts.append((c, c.left_edge.i, c.right_edge.i + 1))
                parts[0] = (root, start, min(parts[0][2], c.left_edge.i))
        for verb, s0, e0 in parts:
            while e0 > s0 and (doc[e0 - 1].is_punct or doc[e0 - 1].is_space):
                e0 -= 1
            if e0 - s0 < MIN_TOKENS - 2:
                continue
            ev = event_of(verb)
            if ev is None or ev.name.startswith("n:") and not any(c.dep_ == "prep" for c in verb.children):
                continue
            out.append(_report(doc, sent, verb, doc[s0:e0], res))
    props = propositions.annotate(doc, out, res)
    return [r for r in props if r.get("event") and any(p.get("entity") and p.get("role") != "c"
                                                       for p in r.get("participants", []))]


class ReportFinder:
    """The ``kb_reports`` pipeline component (after ``kb_claims``)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from .claims.assembly.speakers import Resolver
        from .claims.extract import extract_claims

        if doc._.kb_claims is None:
            doc._.kb_claims = extract_claims(doc)
        doc._.kb_reports = extract_reports(doc, doc._.kb_claims, Resolver(doc))
        return doc


@Language.factory("kb_reports", default_config={})
def make_report_finder(nlp: Language, name: str) -> ReportFinder:
    return ReportFinder(nlp, name)

