"""Every cue rule in one place: the candidate attributions of a doc, rule by rule."""
from __future__ import annotations

from spacy.tokens import Doc

from .cues import SELF, verb_cues
from .lexicon import Attribution
from .phrase_cues import according_to, colon_cues, dash_cues, noun_cues
from .portrayal_cues import portrayal_cues
from .quotes import in_quote
from .stance_cues import seem_cues, stance_cues
from .structural import clause_candidates, object_candidates
from .wordnet_cues import consequence_cues, wordnet_cues


def proposals(doc: Doc, quotes: list[tuple[int, int]], text: str,
              structural: bool = False) -> list[tuple[str, Attribution]]:
    """(rule name, attribution) of every cue rule, sorted by cue: the candidates."""
    gens = (("verb", verb_cues(doc, quotes)), ("according_to", according_to(doc)), ("noun", noun_cues(doc)),
            ("colon", colon_cues(doc)), ("dash", dash_cues(doc, quotes, text)), ("seem", seem_cues(doc)),
            ("wordnet", wordnet_cues(doc, quotes)), ("stance", stance_cues(doc, quotes)),
            ("portrayal", portrayal_cues(doc, quotes)), ("consequence", consequence_cues(doc, quotes)))
    if structural:                   # low precision alone: only when a model decides
        gens += (("clause", clause_candidates(doc)), ("object", object_candidates(doc)))
    out = [(_quoted_self(name, a, quotes), a) for name, gen in gens for a in gen if not a.reports_nothing(doc)]
    out.sort(key=lambda ra: (ra[1].cue[0], ra[1].speaker is None))   # same cue: the reading with a speaker wins
    return out


def _quoted_self(rule: str, a: Attribution, quotes: list[tuple[int, int]]) -> str:
    """A cue verb's reading with a first-person speaker inside a quote ('"..., because we're
    expecting the payment on June 30th," said the spokesman') is the quoted speaker's own second
    statement (``cues.second_statement``): rule "quoted_self", a claim for tracking that the
    quote's attribution holds in PolNeAR."""
    if rule == "verb" and a.speaker is not None and a.speaker.lower_ in SELF and in_quote(quotes, a.cue[0]) is not None:
        return "quoted_self"
    return rule
