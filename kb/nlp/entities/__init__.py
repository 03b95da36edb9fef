"""Entities: typed mentions of names in a text, and what one article tells about them.

The ``kb_entities`` spaCy component (``tagger``) writes the mentions of a parsed doc to
``doc.spans["kb_entities"]``: the project type as the label, the canonical name as ``kb_id``
and the sense, where one is needed, as ``id`` (``mention_dicts`` gives their contract form).

Modules, each importing only those listed before it:

- ``lexicon``: the project's types, span keys, context lexicons, the ``Mention`` tuple and the
  curated gazetteer (kb/data/gazetteer.json) with its lookups; no spaCy.
- ``names``: the names in one article that denote one entity (short forms, abbreviations,
  spelling variants; ``name_key``, ``entity_types``, used by kb.store and kb.curation); no spaCy.
- ``spans``: repairs of the statistical NER's spans, one name at a time.
- ``document``: what one mention tells about the others in the same text (surnames, titles,
  teams in results lines, names the model missed elsewhere).
- ``senses``: one name for different things, told apart by the article's context ("New York"
  the state, the Labour Party of Hong Kong, a country's national team).
- ``tagger``: the mention rules (gazetteer, context, NER), their merging, the component.

The names of ``lexicon`` and ``names`` are imported here at once (kb.store and kb.curation use
them without loading spaCy); those of the other modules on first use (``from kb.nlp.entities
import mention_dicts`` loads ``tagger``). ``from .entities import tagger`` registers the component.
"""
from __future__ import annotations

from importlib import import_module

from .lexicon import (ACTOR_DEPS, APP_CONTEXT, COUNTRY_HEADS, DATES_KEY, DEMONYM, DEMONYMS_KEY,  # noqa: F401
                      DROP_LABELS, FIRM_CONTEXT, GOV_HEADS, GOV_ORG_WORDS, GROUP_ORG_WORDS, HONORIFICS,
                      MEDIA_ORG_WORDS, MEDIA_POST, MEDIA_PRE, OFFICIAL_NOUNS, SPAN_KEY, SPEAKER_ONLY,
                      STAFF_NOUNS, TITLES, TYPES, Mention, country_aliases, country_names, gazetteer_canon,
                      gazetteer_entries, gazetteer_names, load_gazetteer, operators, strip_name)
from .names import (compatible, entity_types, initials, link_names, name_key, split_coordination,  # noqa: F401
                    title_case, trim_headline_names)

_ON_FIRST_USE = ("tagger", "document", "spans", "senses")     # these import spaCy


def __getattr__(name: str):
    """A public name of ``tagger``, ``document``, ``spans`` or ``senses``, imported on first use."""
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name in _ON_FIRST_USE:
        return import_module(f"{__name__}.{name}")
    for mod in _ON_FIRST_USE:
        module = import_module(f"{__name__}.{mod}")
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
