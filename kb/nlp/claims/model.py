"""The claim model: rules propose candidate claims, a trained linear model decides.

Each candidate (a contract dict built by ``kb.nlp.claims.extract`` from one rule's ``Attribution``)
is described by sparse features of the parse, the cue words, the speaker, the quote marks
and the rule that proposed it (``features``). A logistic regression trained on PolNeAR's
training split (``kb.train.claim_model``, ``make train``) weighs them; the weights ship as
JSON in ``kb/data/claim_model.json`` (no pickle, no scikit-learn needed at run time).
Without that file, or with ``KB_CLAIM_MODEL=off``, every candidate of the cue rules is kept.
"""
from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from .candidates.lexicon import verb_class, verb_file

MODEL_FILE = "data/claim_model.json"
STRUCTURAL = frozenset({"clause", "object"})    # rules of .candidates.structural: their own threshold
# The article's own statements ('This means it will miss the repayment'), like its forecasts, and
# a quoted speaker's second statement ('"..., because we're expecting the payment on June 30th,"'):
# claims for tracking that PolNeAR does not annotate as attributions. Kept without the model.
OWN_STATEMENTS = frozenset({"consequence", "quoted_self"})
ENV_VAR = "KB_CLAIM_MODEL"          # "off": keep every candidate; a path: load that model
QUOTES = "\"“”«»"
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "who", "that", "which"}
CUE_KIDS = ("neg", "aux", "auxpass", "ccomp", "dobj", "xcomp", "advcl", "prep", "mark", "nsubj", "dative")


def _bin(n: float) -> str:
    """A coarse log2 bucket of a count."""
    return str(min(7, int(math.log2(max(0.0, n) + 1))))


def _cue_features(doc: Doc, claim: dict, rule: str, f: dict[str, float], text: str) -> tuple[str, str]:
    """Words, class, tag, dependency and children of the cue; -> (its head lemma, its class)."""
    cue = doc.char_span(claim["cue_start"], claim["cue_end"], alignment_mode="expand") \
        if claim["cue_end"] > claim["cue_start"] else None
    if cue is None or not len(cue):
        f["nocue"] = 1
        return "", "none"
    v = cue.root
    lem = cue[0].lemma_.lower()
    cls = verb_class(v.lemma_.lower()) or "none"
    f.update({"lemma=" + lem: 1, "head=" + v.lemma_.lower(): 1, "cls=" + cls: 1, "pos=" + v.pos_: 1,
              "tag=" + v.tag_: 1, "dep=" + v.dep_: 1, "cuelen=" + _bin(len(cue)): 1,
              "rule_cls=" + rule + "|" + cls: 1, "rule_lemma=" + rule + "|" + v.lemma_.lower(): 1, "rule_dep=" + rule + "|" + v.dep_: 1})
    if v.pos_ in ("VERB", "AUX"):                # what kind of verb, also one PolNeAR never used
        vf = verb_file(v.lemma_.lower())
        f.update({"verb_file=" + vf: 1, "rule_verb_file=" + rule + "|" + vf: 1})
    kids = {c.dep_ for c in v.children}
    for d in CUE_KIDS:
        if d in kids:
            f["kid=" + d] = 1
    aux = [c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD"]
    if aux:
        f["modal=" + aux[0]] = 1
    if v.dep_ == "ROOT":
        f["cue_root"] = 1
    if not 0 <= text.find("\n") < cue.start_char:
        f["cue_in_title"] = 1
    return v.lemma_.lower(), cls


def _speaker_features(claim: dict, rule: str, f: dict[str, float]) -> None:
    spk = (claim.get("speaker") or "").strip()
    ent = claim.get("speaker_entity") or {}
    if not spk:
        f["spk=none"] = 1
        f["rule_spk=" + rule + "|none"] = 1
        return
    low = spk.lower()
    kind = "pron" if low in PRONOUNS else "ent" if ent else "noun"
    f.update({"spk=" + kind: 1, "spktype=" + str(ent.get("type")): 1, "rule_spk=" + rule + "|" + kind: 1,
              "spklen=" + _bin(len(spk.split())): 1})
    if kind == "noun":
        f["spkword=" + low.split()[-1]] = 1


def _content_features(doc: Doc, claim: dict, rule: str, f: dict[str, float], text: str,
                      ents: list[tuple[int, int]]) -> tuple[str, str]:
    """Length, quote marks, first word and place of the content; -> (length bucket, place)."""
    cs, ce, qs = claim["content_start"], claim["content_end"], claim["cue_start"]
    content = text[cs:ce]
    n = len(content.split())
    f["clen=" + _bin(n)] = 1
    if content[:1] in QUOTES:
        f["c_open_quote"] = 1
    if content.rstrip()[-1:] in QUOTES:
        f["c_close_quote"] = 1
    if any(q in content for q in QUOTES):
        f["c_has_quote"] = 1
    cont = doc.char_span(cs, ce, alignment_mode="expand")
    if cont is not None and len(cont):
        first = cont[0]
        f["cfirst=" + (first.lower_ if first.is_stop else first.pos_)] = 1
        f["cfinite=" + str(any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in cont))] = 1
        f["cents=" + _bin(sum(1 for e in ents if cont.start <= e[0] and e[1] <= cont.end))] = 1
        if first.lower_ in ("i", "we", "my", "our", "me"):
            f["c_first_person"] = 1
    pos = "before" if qs < cs else "after" if qs >= ce else "inside"
    f["cuepos=" + pos] = 1
    f["rule_pos=" + rule + "|" + pos] = 1
    gap = cs - claim["cue_end"] if pos == "before" else qs - ce if pos == "after" else 0
    f["gap=" + _bin(gap)] = 1
    sent = claim.get("sentence") or ""
    if any(q in sent for q in QUOTES):
        f["s_has_quote"] = 1
    f["cshare=" + str(min(4, int(5 * n / max(1, len(sent.split())))))] = 1
    return _bin(n), pos


def _nesting_features(claim: dict, rule: str, others: list[tuple[dict, str]], f: dict[str, float]) -> None:
    """Where the candidate stands among the article's other candidates: its cue inside
    another's content (a report within a report), its content holding another's cue, its
    content overlapping another's (two readings of one attribution)."""
    cs, ce, q = claim["content_start"], claim["content_end"], claim["cue_start"]
    for o, orule in others:
        if o is claim:
            continue
        if o["content_start"] <= q < o["content_end"]:
            f["cue_in_other"] = 1
            f["cue_in_other=" + orule] = 1
            f["rule_cue_in_other=" + rule + "|" + orule] = 1
        if cs <= o["cue_start"] < ce:
            f["holds_other_cue"] = 1
            f["rule_holds_other=" + rule + "|" + orule] = 1
        elif o["content_start"] < ce and cs < o["content_end"]:
            f["overlaps_other"] = 1
            f["rule_overlaps_other=" + rule + "|" + orule] = 1


def _crossed_features(claim: dict, f: dict[str, float], cue: tuple[str, str], clen: str, pos: str) -> None:
    """Pairs a linear model cannot form: the cue's class (``cue`` = (head lemma, class)) with
    the content's length bucket and with where the content stands; the cue word with where
    the speaker stands."""
    lem, cls = cue
    f["cls_clen=" + cls + "|" + clen] = 1
    f["cls_pos=" + cls + "|" + pos] = 1
    q, sp = claim["cue_start"], claim.get("speaker_start")
    f["head_spk=" + lem + "|" + ("none" if sp is None else "before" if sp < q else "after")] = 1


def features(doc: Doc, claim: dict, rule: str, text: str | None = None,
             ents: list[tuple[int, int]] | None = None,
             others: list[tuple[dict, str]] | None = None) -> dict[str, float]:
    """Sparse binary features of one candidate claim (name -> 1). ``text`` is doc.text and
    ``ents`` the token bounds of doc.ents: pass them when scoring many (spaCy rebuilds both);
    ``others``: the article's candidates with their rules."""
    text = doc.text if text is None else text
    ents = [(e.start, e.end) for e in doc.ents] if ents is None else ents
    f: dict[str, float] = {"rule=" + rule: 1.0}
    cue = _cue_features(doc, claim, rule, f, text)
    _speaker_features(claim, rule, f)
    clen, pos = _content_features(doc, claim, rule, f, text, ents)
    if others:
        _nesting_features(claim, rule, others, f)
    _crossed_features(claim, f, cue, clen, pos)
    if claim.get("via"):
        f["via"] = 1
    f["direct=" + str(bool(claim.get("direct_quote")))] = 1
    f["modality=" + str(claim.get("modality"))] = 1
    f["polarity=" + str(claim.get("polarity"))] = 1
    return f


class ClaimModel:
    """A logistic regression over ``features``: weights by feature name, bias, threshold."""

    def __init__(self, data: dict):
        self.weights: dict[str, float] = data["weights"]
        self.bias: float = data["bias"]
        self.threshold: float = data["threshold"]
        self.structural: float = data.get("structural_threshold", data["threshold"])

    def score(self, feats: dict[str, float]) -> float:
        """P(attribution) of one candidate."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, doc: Doc, claim: dict, rule: str, text: str | None = None,
             ents: list[tuple[int, int]] | None = None, others: list[tuple[dict, str]] | None = None) -> bool:
        if rule in OWN_STATEMENTS:
            return True
        limit = self.structural if rule in STRUCTURAL else self.threshold
        return self.score(features(doc, claim, rule, text, ents, others)) >= limit


@lru_cache(maxsize=4)
def _load(where: str) -> ClaimModel | None:
    try:
        if where == "package":
            raw = resources.files("kb").joinpath(MODEL_FILE).read_text(encoding="utf-8")
        else:
            with open(where, encoding="utf-8") as fh:
                raw = fh.read()
    except OSError:
        return None
    return ClaimModel(json.loads(raw))


def model() -> ClaimModel | None:
    """The shipped model (or ``$KB_CLAIM_MODEL``'s file); None when off or absent."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env.lower() in ("off", "0", "none", "rules"):
        return None
    return _load(env or "package")


def decide(doc: Doc, claims: list[dict], rules: dict[int, str], text: str | None = None) -> list[dict]:
    """The candidates the model accepts (all of them without a model); ``text``: doc.text."""
    m = model()
    if m is None:
        return claims
    text, ents = doc.text if text is None else text, [(e.start, e.end) for e in doc.ents]
    others = [(c, rules.get(id(c), "other")) for c in claims]
    return [c for c, r in others if m.keep(doc, c, r, text, ents, others)]
