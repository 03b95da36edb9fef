"""Claims (attribution): who said what, how, about whom, with what modality.

Rules propose, a model decides, assembly builds. The cue rules
(``kb.nlp.claims.candidates``: ``proposals``, with a model also the structural candidates)
yield ``Attribution`` tuples of token indices; ``candidates`` builds each into a contract
dict (``kb.nlp.claims.assembly.records.build``), the trained model keeps the attributions
among them (``kb.nlp.claims.model``), and ``assemble`` makes the article's claims of the
rest. This module registers the ``kb_claims`` component, which stores the claims in
``doc._.kb_claims`` and the cue spans in ``doc.spans["kb_cues"]``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .. import propositions
from . import model as claim_model
from .assembly.records import Context, assemble, build
from .assembly.speakers import Resolver
from .candidates.lexicon import Attribution
from .candidates.proposals import proposals
from .candidates.quotes import quote_spans

__all__ = ["CLAIMS_KEY", "assemble", "candidates", "claim_dicts", "extract_claims", "proposals"]

CLAIMS_KEY = "kb_cues"

if not Doc.has_extension("kb_claims"):
    Doc.set_extension("kb_claims", default=None)


def candidates(doc: Doc, structural: bool | None = None) -> tuple[list[dict], dict[int, str], Context]:
    """Candidate claims before the model decides: (claims, rule by id(claim), context).
    Structural candidates only when a model decides (or when asked for)."""
    text = doc.text                  # built from the tokens on every access: once here
    quotes = quote_spans(doc, text)
    if structural is None:
        m = claim_model.model()      # the model's own choice: a threshold above 1 never keeps one
        structural = m is not None and m.structural <= 1.0
    props = proposals(doc, quotes, text, structural)
    seen, res, claims, rules = set(), Resolver(doc, text), [], {}
    first: dict = {}           # content -> index of its claim
    for rule, a in props:
        if a.content in seen or a.cue in seen:
            k = first.get(a.content)     # "X is expected to ..., according to Y": Y's, not no one's
            if k is not None and a.speaker is not None and claims[k]["speaker"] is None and a.cue not in seen:
                seen.add(a.cue)
                claims[k] = build(doc, a, res)
                rules[id(claims[k])] = rule
            continue
        seen.update((a.content, a.cue))
        first[a.content] = len(claims)
        claims.append(build(doc, a, res))
        rules[id(claims[-1])] = rule
    rule_atts = [a for r, a in props if r not in claim_model.STRUCTURAL]    # structural ones take no forecast's place
    return yield_to_rules(claims, rules), rules, Context(rule_atts, res, quotes, text)


def yield_to_rules(claims: list[dict], rules: dict[int, str]) -> list[dict]:
    """Structural candidates whose content holds a rule's cue, or whose cue is one, give way to
    that rule's reading ('released a statement saying that ...': the statement's claim, not the
    release; 'warned in a report that ...': what was warned, not the report)."""
    cues = [c["cue_start"] for c in claims if rules[id(c)] not in claim_model.STRUCTURAL]
    return [c for c in claims if rules[id(c)] not in claim_model.STRUCTURAL
            or not any(c["content_start"] <= s < c["content_end"] or s == c["cue_start"] for s in cues)]


def extract_claims(doc: Doc) -> list[dict]:
    """All claims of a parsed doc, in text order: rules propose, the model decides."""
    claims, rules, ctx = candidates(doc)
    kept = claim_model.decide(doc, claims, rules, ctx.text)
    ctx = ctx._replace(atts=holding(doc, ctx.atts, kept))
    claims = assemble(doc, kept, ctx)
    return propositions.annotate(doc, claims, ctx.res)   # tracking: event, participants, quantities, time


def holding(doc: Doc, atts: list[Attribution], kept: list[dict]) -> list[Attribution]:
    """The rules' readings that keep the article's forecasts off their words: those the model
    kept, and rejected ones with a speaker (someone's words still); a rejected reading with no
    speaker holds nothing ("It is believed the bodies will be found": not a claim cued by
    "found", the impersonal forecast)."""
    cues = {c["cue_start"] for c in kept}
    return [a for a in atts if a.speaker is not None or doc[a.cue[0]].idx in cues]


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
