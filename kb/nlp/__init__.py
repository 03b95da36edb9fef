"""The NLP layer of kb: typed entities, claims (who said what) and relations.

    >>> from kb.nlp import analyze
    >>> result = analyze("Jane Zhang said WeChat would grow.")
    >>> sorted(result)
    ['claims', 'entities', 'relations', 'text']

Every offset refers to the text as given. spaCy is imported lazily, on first use.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

__all__ = ["analyze", "analyze_many", "load_nlp", "doc_to_dict", "ModelNotFound"]


def __getattr__(name: str):
    if name == "ModelNotFound":
        from .model import ModelNotFound

        return ModelNotFound
    raise AttributeError(name)


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """The project pipeline, loaded once per process (per model name)."""
    from .model import load_model

    return load_model(name)


def doc_to_dict(doc, reports: bool = False) -> dict:
    """The contract form of one analysed doc; with ``reports``, also the article's own reports of
    events (kb.nlp.reports), which the store keeps for claim tracking."""
    from .claims.extract import claim_dicts
    from .entities import mention_dicts, nationality_dicts
    from .relations import relation_dicts

    out = {"text": doc.text, "entities": mention_dicts(doc), "claims": claim_dicts(doc),
           "relations": relation_dicts(doc), "nationalities": nationality_dicts(doc)}
    if reports:
        from .reports import extract_reports
        from .claims.assembly.speakers import Resolver

        if doc._.kb_reports is None:
            doc._.kb_reports = extract_reports(doc, out["claims"], Resolver(doc))
        out["reports"] = list(doc._.kb_reports)
    return out


def analyze(text: str, model: str | None = None) -> dict:
    """Analyse one text: ``{"text", "entities", "claims", "relations"}``.

    A long text is analysed in pieces (kb.nlp.budget.pieces), offsets kept; no time budget.
    Raises ``AnalysisError`` (one line) when the pipeline fails on the text.
    """
    from .budget import NO_BUDGET, analyze_stream

    for _, result in analyze_stream([(0, text or "")], load_nlp(model), budget=NO_BUDGET):
        if isinstance(result, Exception):
            raise result
        return result
    raise AssertionError("analyze_stream yielded nothing")


def analyze_many(texts: Iterable[str], batch_size: int = 32, model: str | None = None, n_process: int = 1,
                 reports: bool = False, budget=None) -> Iterator[dict]:
    """Analyse many texts in one pass; yields one result per text, in input order.

    Long texts are analysed in pieces and each text is held to ``budget`` (default: from the
    environment, kb.nlp.budget.Budget.from_env); a text over it, or one the pipeline fails on,
    yields an empty result with an ``error`` (one line) and the others go on.
    ``n_process`` > 1 parses in that many worker processes with spaCy's ``nlp.pipe`` (worth
    it for hundreds of articles on a machine with idle cores), without pieces or budgets.
    """
    from .budget import Budget, analyze_stream

    nlp = load_nlp(model)
    if n_process > 1:   # custom Doc attributes do not cross processes: claims are re-derived here
        from .claims.extract import extract_claims
        for doc in nlp.pipe((t or "" for t in texts), batch_size=batch_size, n_process=n_process):
            if doc._.kb_claims is None:
                doc._.kb_claims = extract_claims(doc)
            yield doc_to_dict(doc, reports)
        return
    for key, result in analyze_stream(((t, t) for t in texts), nlp, budget=budget or Budget.from_env(),
                                      batch_size=batch_size, reports=reports):
        if isinstance(result, Exception):
            yield {"text": key or "", "entities": [], "claims": [], "relations": [], "nationalities": [],
                   "error": str(result)}
        else:
            yield result
