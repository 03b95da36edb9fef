"""Propositions of claims, for tracking: event class, folded polarity, participants,
quantities and the content's own time expression (work in progress)."""
from __future__ import annotations

from spacy.tokens import Doc


def annotate(doc: Doc, claims: list[dict], res) -> list[dict]:
    """Add the proposition fields to each claim dict (in place); returns the list."""
    return claims
