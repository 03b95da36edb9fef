"""Which cue rules does the claim model still need? ``python -m kb.train.ablation``.

For each rule family (the names ``kb.nlp.claims.candidates.proposals`` gives its
candidates), drop that family's candidates on train and dev, recompute the features of
the rest (the nesting features see the other candidates), refit the model with the shipped
C, choose its thresholds on dev as ``make train`` does, and report dev F1 and 5-fold train
cross-validation F1 against the same run with every rule. A family whose removal costs
nothing on both is one the model makes redundant. Uses the corpus and parse cache of
``kb.train.claim_model``; about a minute per family on 2 cores.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from kb.nlp import load_nlp
from kb.train.claim_model import Article, choose, evaluate, fold_f1, load_split, predict, \
    scorer, shipped


def drop_rules(E, arts: list[Article], rules: set[str]) -> list[Article]:
    """The same articles without the candidates of ``rules``, features and labels recomputed."""
    out = []
    for a in arts:
        kept = [c for c in a.claims if a.rules[id(c)] not in rules]
        out.append(Article(a.aid, a.text, a.gold, a.doc, E, (kept, {id(c): a.rules[id(c)] for c in kept}, a.ctx)))
    return out


def measure(E, train: list[Article], dev: list[Article], C: float) -> dict:
    """Dev scores at the best thresholds (chosen on dev), dev halves, and 5-fold CV F1."""
    chosen = choose(E, train, dev, (C,))            # thresholds chosen as make train chooses them
    t, s = chosen.t, chosen.dev
    probs = predict(*chosen.fitted, dev)
    cv = fold_f1(E, train, chosen.oof, t)
    return {"dev_f1": s["f1"], "dev_precision": s["precision"], "source_acc": s["source_acc"],
            "cue_acc": s["cue_acc"], "halves": [evaluate(E, dev[k::2], probs[k::2], t)["f1"] for k in (0, 1)],
            "threshold": t, "cv_f1": round(statistics.mean(cv), 4), "cv_sd": round(statistics.pstdev(cv), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("rules", nargs="*", help="rule families to drop, one run each ('a+b' drops both); "
                                             "default: every family the candidates carry")
    args = ap.parse_args(argv)
    E, nlp = scorer(args.corpus), load_nlp()
    train, dev = load_split(nlp, E, args.corpus, "train"), load_split(nlp, E, args.corpus, "dev")
    C = shipped()["C"]               # the shipped model's regularisation
    families = args.rules or sorted({r for a in train for r in a.rules.values()})
    base = measure(E, train, dev, C)
    print(f"{'(all rules)':24s} dev F1 {base['dev_f1']:.4f}  CV F1 {base['cv_f1']:.4f} (sd {base['cv_sd']:.4f})", flush=True)
    for fam in families:
        drop = set(fam.split("+"))
        m = measure(E, drop_rules(E, train, drop), drop_rules(E, dev, drop), C)
        print(f"{'- ' + fam:24s} dev F1 {m['dev_f1']:.4f} ({m['dev_f1'] - base['dev_f1']:+.4f})  "
              f"CV F1 {m['cv_f1']:.4f} ({m['cv_f1'] - base['cv_f1']:+.4f})  halves {m['halves']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
