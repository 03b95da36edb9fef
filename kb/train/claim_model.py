"""Train the claim model (``kb.nlp.claims.model``) on PolNeAR: ``make train``.

Rules propose candidates on the 840 training articles; a candidate is labelled an
attribution when it matches a gold attribution the way ``eval_attribution.py`` matches
(content token F1 >= 0.5, one-to-one, best first; imported from ``<corpus>/../eval``).
A logistic regression (scikit-learn, fixed seed) learns from their features; its
regularisation and decision thresholds are chosen on the dev split, settings that dev cannot
tell apart by out-of-fold F1 on train and then by precision (``choose``). 5-fold
cross-validation on train (by article) gives the spread. Writes the weights as JSON
(``kb/data/claim_model.json``) and a model card (``kb/data/claim_model.md``).
Parses are cached in /tmp (``kb.train.parse_cache``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from typing import NamedTuple
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from kb.nlp import load_nlp
from kb.nlp.claims.extract import assemble, candidates
from kb.nlp.claims.model import OWN_STATEMENTS, STRUCTURAL, ClaimModel, features
from kb.train.parse_cache import articles, parsed

SEED = 0
C_GRID = (0.3, 1.0)
THRESHOLDS = tuple(round(0.05 + 0.05 * i, 2) for i in range(10))            # rule candidates: 0.05 .. 0.5
STRUCTURAL_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)              # structural: 1.01 = never
TOLERANCE = 0.001         # F1 apart that one split cannot tell: two attributions of dev's 2,192 (~0.0004 each);
# at 0.0005 a retrain's choice of the structural threshold turned on one attribution (0.4 or 0.5)
DATA = Path(__file__).resolve().parents[1] / "data"
MODEL_FILE = DATA / "claim_model.json"


def scorer(corpus: Path):
    """The shared attribution scorer module (parse_ann, score_doc, Tokens, greedy)."""
    sys.path.insert(0, str(corpus.resolve().parent / "eval"))
    import eval_attribution  # noqa: PLC0415
    return eval_attribution


class Article:
    """One parsed article with its candidates, their features and labels."""

    def __init__(self, aid: str, text: str, gold: list, doc, E, cands: tuple | None = None):
        """``cands``: (claims, rules, context) to use instead of all the candidates of ``doc``."""
        self.aid, self.text, self.gold, self.doc = aid, text, gold, doc
        self.claims, self.rules, self.ctx = cands or candidates(doc, structural=True)
        others = [(c, self.rules[id(c)]) for c in self.claims]
        self.feats = [features(doc, c, r, others=others) for c, r in others]
        matched = matches(E, text, gold, self.claims)
        self.labels = [int(i in matched) for i in range(len(self.claims))]


def matches(E, text: str, gold: list, claims: list[dict]) -> set[int]:
    """Indices of the claims matched one-to-one to gold (as eval_attribution.score_doc)."""
    tok = E.Tokens(text)
    gtoks = [tok.of(g["content"]) for g in gold]
    gaps = [tok.of([(min(s for s, _ in g["content"]), max(e for _, e in g["content"]))]) - gt
            for g, gt in zip(gold, gtoks)]
    pairs = []
    for i, c in enumerate(claims):
        pt0 = tok.of([(c["content_start"], c["content_end"])])
        for j, gt in enumerate(gtoks):
            pt = pt0 - gaps[j]
            inter = len(pt & gt)
            if inter and 2 * inter / (len(pt) + len(gt)) >= 0.5:
                pairs.append((2 * inter / (len(pt) + len(gt)), i, j))
    return {i for i, _ in E.greedy(pairs)}


def load_split(nlp, E, corpus: Path, split: str) -> list[Article]:
    arts = articles(corpus / "claims" / "polnear" / split)
    docs = parsed(nlp, [t for _, t, _ in arts], split)
    return [Article(aid, text, E.parse_ann(ann)[0], doc, E) for (aid, text, ann), doc in zip(arts, docs)]


COUNTS = ("pred", "matched", "exact", "m_src", "src_ok", "m_nosrc", "nosrc_ok", "cue_ok", "all3",
          "content_by_search", "content_unusable", "speaker_by_text")       # eval_attribution.score_doc's


def figures(c: dict, gold: int) -> dict:
    """Precision, recall, F1, source and cue accuracy from score_doc's counts ``c``."""
    p = c["matched"] / c["pred"] if c["pred"] else 0.0
    r = c["matched"] / gold if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "source_acc": round(c["src_ok"] / max(1, c["m_src"]), 4),
            "cue_acc": round(c["cue_ok"] / max(1, c["matched"]), 4), "pred": c["pred"], "gold": gold}


def evaluate(E, arts: list[Article], probs: list[np.ndarray] | None, threshold: tuple[float, float]) -> dict:
    """eval_attribution's numbers over ``arts`` after assembly, keeping the candidates whose
    p >= threshold (rules, structural) (all of them when ``probs`` is None)."""
    c = dict.fromkeys(COUNTS, 0)
    gold = 0
    for k, a in enumerate(arts):
        kept = a.claims if probs is None else [
            cl for cl, p in zip(a.claims, probs[k])
            if a.rules[id(cl)] in OWN_STATEMENTS or p >= threshold[a.rules[id(cl)] in STRUCTURAL]]
        out = assemble(a.doc, list(kept), a.ctx)
        c["pred"] += len(out)
        gold += len(a.gold)
        E.score_doc(a.text, a.gold, out, c)
    return figures(c, gold)


def fit(arts: list[Article], C: float) -> tuple[DictVectorizer, LogisticRegression]:
    X = [f for a in arts for f in a.feats]
    y = [l for a in arts for l in a.labels]
    vec = DictVectorizer()
    clf = LogisticRegression(C=C, max_iter=5000, random_state=SEED, solver="lbfgs")
    clf.fit(vec.fit_transform(X), y)
    return vec, clf


def predict(vec: DictVectorizer, clf: LogisticRegression, arts: list[Article]) -> list[np.ndarray]:
    return [clf.predict_proba(vec.transform(a.feats))[:, 1] if a.feats else np.zeros(0) for a in arts]


class Choice(NamedTuple):
    """What ``choose`` settled on, with the chosen C's model fitted on train (vectorizer,
    classifier) and its out-of-fold probabilities on train (``out_of_fold``), which the card's
    cross-validation reads again."""
    C: float
    t: tuple[float, float]
    dev: dict
    oof: tuple
    fitted: tuple


def choose(E, train: list[Article], dev: list[Article], grid: tuple[float, ...] = C_GRID) -> Choice:
    """C and thresholds (rules, structural), with their dev scores. The settings within
    TOLERANCE of the best dev F1 cannot be told apart on dev; of them, those within TOLERANCE
    of the best out-of-fold F1 on train (5 folds, mean) cannot be told apart there either; of
    those, the most precise on dev is chosen (ties: the higher dev F1, then the smaller C): the
    fewest claims among equals, as over-prediction is what shows on news unlike PolNeAR's."""
    rows, fitted = [], {}                       # (C, thresholds, dev scores); C -> (vectorizer, classifier)
    for C in sorted(grid):
        fitted[C] = fit(train, C)
        probs = predict(*fitted[C], dev)
        rows += [(C, (t, ts), evaluate(E, dev, probs, (t, ts))) for t in THRESHOLDS for ts in STRUCTURAL_THRESHOLDS]
    best = max(r[2]["f1"] for r in rows)
    equal = [r for r in rows if r[2]["f1"] >= best - TOLERANCE - 1e-9]
    folds = {C: out_of_fold(train, C) for C in sorted({r[0] for r in equal})}
    oof = [statistics.mean(fold_f1(E, train, folds[C], t)) for C, t, _s in equal]
    top = max(oof)
    C, t, s = max((r for r, o in zip(equal, oof) if o >= top - TOLERANCE - 1e-9),
                  key=lambda r: (r[2]["precision"], r[2]["f1"], -r[0]))
    print(f"  chose C={C} t={t} {s} of {len(equal)} settings within {TOLERANCE} of dev F1 {best}", file=sys.stderr)
    return Choice(C, t, s, folds[C], fitted[C])


def out_of_fold(train: list[Article], C: float, folds: int = 5) -> tuple[list[np.ndarray], list[list[int]]]:
    """(each article's candidate probabilities from the model fitted on the other folds, the
    folds' article indices): 5-fold by article, fixed seed."""
    probs: list[np.ndarray] = [np.zeros(0)] * len(train)
    held_folds = []
    for fit_idx, held_idx in KFold(folds, shuffle=True, random_state=SEED).split(train):
        vec, clf = fit([train[i] for i in fit_idx], C)
        for i, p in zip(held_idx, predict(vec, clf, [train[i] for i in held_idx])):
            probs[i] = p
        held_folds.append(list(held_idx))
    return probs, held_folds


def fold_f1(E, train: list[Article], oof: tuple, t: tuple[float, float]) -> list[float]:
    """F1 of each held-out fold, from ``out_of_fold``'s (probabilities, folds)."""
    probs, held_folds = oof
    return [evaluate(E, [train[i] for i in held], [probs[i] for i in held], t)["f1"] for held in held_folds]


def shipped() -> dict:
    """The shipped model's JSON (weights, bias, C, thresholds)."""
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def export(vec: DictVectorizer, clf: LogisticRegression, t: tuple[float, float], C: float) -> dict:
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 5) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-4}
    return {"kind": "logistic-regression", "C": C, "threshold": t[0], "structural_threshold": t[1], "bias": round(float(clf.intercept_[0]), 5),
            "weights": dict(sorted(weights.items()))}


def card(meta: dict) -> str:
    """The model card (markdown)."""
    d, r, h = meta["dev"], meta["dev_rules"], meta["dev_halves"]
    cv, cvr = meta["cv_f1"], meta["cv_rules_f1"]
    return f"""# Claim model (kb/data/claim_model.json)

A logistic regression that decides which candidate attributions proposed by the cue rules
(``kb.nlp.claims.extract.candidates``) are claims. Features: ``kb.nlp.claims.model.features``.
Retrain with `make train` (``python -m kb.train.claim_model``).

- Trained: {meta['date']} with scikit-learn {meta['sklearn']}, spaCy model {meta['spacy_model']}, seed {SEED}.
- Training data: PolNeAR train split (`corpus/claims/polnear/train`, {meta['train_articles']} articles,
  {meta['train_candidates']} candidates, {meta['train_positive']} matching a gold attribution by the
  scorer's rule: content token F1 >= 0.5, one-to-one). Research-use data; only weights ship.
- Chosen on dev ({meta['dev_articles']} articles): C = {meta['C']}, thresholds (rule candidates,
  structural candidates) = {meta['threshold']}
  ({len(meta['weights'])} non-zero weights). Settings within {TOLERANCE} F1 of the best on dev and of
  the best out-of-fold F1 on train count as equal; the most precise on dev of them is chosen.
- Dev (as eval_attribution scores it, in-process): precision {d['precision']}, recall {d['recall']},
  F1 {d['f1']}, source acc {d['source_acc']}, cue acc {d['cue_acc']}.
  Even / odd articles: F1 {h[0]['f1']} / {h[1]['f1']}.
  The rules alone (no model, no structural candidates): P {r['precision']}, R {r['recall']}, F1 {r['f1']}.
- 5-fold cross-validation on train (by article, same C and threshold): F1 mean
  {statistics.mean(cv):.4f}, standard deviation {statistics.pstdev(cv):.4f} (folds: {', '.join(map(str, cv))}).
  The rules alone on the same folds: F1 mean {statistics.mean(cvr):.4f}, standard deviation
  {statistics.pstdev(cvr):.4f} (folds: {', '.join(map(str, cvr))}).
- Limits: US political news of 2016; other genres (transcripts, press releases) are unseen.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    args = ap.parse_args(argv)
    t0 = time.time()
    E, nlp = scorer(args.corpus), load_nlp()
    train, dev = load_split(nlp, E, args.corpus, "train"), load_split(nlp, E, args.corpus, "dev")
    print(f"candidates ready in {time.time() - t0:.0f} s", file=sys.stderr)
    chosen = choose(E, train, dev)
    C, t = chosen.C, chosen.t
    vec, clf = chosen.fitted
    model = export(vec, clf, t, C)
    m = ClaimModel(model)         # the shipped form, scored as kb will run it
    probs = [np.array([m.score(f) for f in a.feats]) for a in dev]
    meta = {"date": dt.date.today().isoformat(), "sklearn": sklearn.__version__,
            "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}",
            "train_articles": len(train), "dev_articles": len(dev),
            "train_candidates": sum(len(a.labels) for a in train),
            "train_positive": sum(sum(a.labels) for a in train), "C": C, "threshold": t,
            "weights": model["weights"], "dev": evaluate(E, dev, probs, t),
            "dev_halves": [evaluate(E, dev[k::2], probs[k::2], t) for k in (0, 1)],
            "dev_chosen": chosen.dev, "dev_rules": rules_only(E, dev)}
    meta["cv_f1"] = fold_f1(E, train, chosen.oof, t)      # the folds choose fitted
    meta["cv_rules_f1"] = rules_by_fold(E, train, chosen.oof[1])
    args.out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(card(meta), encoding="utf-8")
    print(json.dumps({k: v for k, v in meta.items() if k != "weights"}, indent=1))
    print(f"wrote {args.out} in {time.time() - t0:.0f} s", file=sys.stderr)
    return 0


def rules_only(E, arts: list[Article]) -> dict:
    """Scores of the cue rules alone (structural candidates left out, all kept)."""
    return evaluate(E, rule_articles(arts), None, (0.0, 0.0))


def rule_articles(arts: list[Article]) -> list[Article]:
    """The same articles with the rules' candidates only (as kb runs without a model)."""
    out = []
    for a in arts:
        b = object.__new__(Article)
        b.aid, b.text, b.gold, b.doc = a.aid, a.text, a.gold, a.doc
        b.claims, b.rules, b.ctx = candidates(a.doc, structural=False)
        out.append(b)
    return out


def rules_by_fold(E, train: list[Article], held_folds: list[list[int]]) -> list[float]:
    """F1 of the rules alone on each cross-validation fold (``out_of_fold``'s held-out articles:
    the baseline of the card's cross-validation)."""
    ruled = rule_articles(train)
    return [evaluate(E, [ruled[i] for i in held], None, (0.0, 0.0))["f1"] for held in held_folds]


if __name__ == "__main__":
    raise SystemExit(main())
