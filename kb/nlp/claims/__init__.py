"""Claims (attribution): who said what. Rules propose, a model decides, assembly builds.

Imports go one way, down this list:

- ``candidates``: where a claim is born. The cue lexicons (``lexicon``), quotes, content
  spans, parse repairs, the cue rules (verbs, phrases, WordNet verbs, stances, portrayals)
  and the structural candidates; ``candidates.proposals`` runs them all.
- ``model``: where it is decided. Features of a built candidate and the trained scorer
  (``kb/data/claim_model.json``; ``make train``).
- ``assembly``: how it is written down. Speaker resolution (``speakers``), modality,
  polarity and time (``modality``), the claim records and the article's claims
  (``records``), the article's own forward-looking statements (``forecasts``).
- ``extract``: the three in order, and the ``kb_claims`` pipeline component.

Importing the package imports none of them (``kb.nlp.spans``, ``events`` and ``timex`` read
``candidates.lexicon`` alone); ``extract_claims``, ``claim_dicts``, ``assemble``,
``proposals`` and ``CLAIMS_KEY`` are looked up in ``extract`` on first use.
"""
from __future__ import annotations

_EXTRACT = ("CLAIMS_KEY", "assemble", "claim_dicts", "extract_claims", "proposals")


def __getattr__(name: str):
    if name in _EXTRACT:
        from . import extract

        return getattr(extract, name)
    raise AttributeError(name)
