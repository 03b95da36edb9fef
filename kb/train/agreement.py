"""How far do two PolNeAR annotators agree? ``python -m kb.train.agreement``.

Some PolNeAR articles were annotated twice. ``eval_attribution.py`` (and ``make train``)
read the first annotator's file by name; this scores every other annotator's file of the
same article exactly as the scorer scores kb (content token F1 >= 0.5, one-to-one; source
and cue accuracy over the matches). That is the ceiling a claim model can be held to: an
F1 no second annotator reaches is agreement with one annotator's habits, not with the
text. With ``--model`` the shipped model's features are refitted 5-fold on train
(``claim_model.out_of_fold``, the cross-validation of the model card) and scored on the
same train articles, so model and annotator are compared on the same text.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kb.train.claim_model import COUNTS, Article, evaluate, figures, load_split, out_of_fold, scorer, shipped
from kb.train.parse_cache import annotations


def as_claims(text: str, attributions: list[dict]) -> list[dict]:
    """One annotator's attributions in the contract form kb's claims take (what the scorer reads)."""
    def first(spans: list[tuple[int, int]]) -> tuple[int | None, int | None, str | None]:
        return (spans[0][0], spans[0][1], text[spans[0][0]:spans[0][1]]) if spans else (None, None, None)
    out = []
    for a in attributions:
        cs, ce = min(s for s, _ in a["content"]), max(e for _, e in a["content"])
        qs, qe, cue = first(a.get("cue") or [])
        ss, se, speaker = first(a.get("source") or [])
        out.append({"content_start": cs, "content_end": ce, "content": text[cs:ce],
                    "cue_start": qs, "cue_end": qe, "cue": cue or "",
                    "speaker_start": ss, "speaker_end": se, "speaker": speaker, "speaker_entity": None,
                    "subject": None, "subject_entity": None, "sentence": "", "modality": None})
    return out


def agreement(E, split_dir: Path) -> dict:
    """Every later annotator scored against the first, over the split's doubly annotated articles."""
    c, gold, ids = dict.fromkeys(COUNTS, 0), 0, []
    for txt in sorted((split_dir / "text").glob("*.txt")):
        anns = annotations(split_dir, txt.stem)
        if len(anns) < 2:
            continue
        ids.append(txt.stem)
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        first = E.parse_ann(anns[0])[0]
        for other in anns[1:]:
            claims = as_claims(text, E.parse_ann(other)[0])
            gold += len(first)
            c["pred"] += len(claims)
            E.score_doc(text, first, claims, c)
    return {"articles": ids, **figures(c, gold)}


def model_on(E, train: list[Article], ids: list[str]) -> dict:
    """The model, refitted 5-fold with the shipped C and thresholds, on the articles ``ids``."""
    model = shipped()
    probs, _ = out_of_fold(train, model["C"])
    wanted = set(ids)
    keep = [i for i, a in enumerate(train) if a.aid in wanted]
    return evaluate(E, [train[i] for i in keep], [probs[i] for i in keep],
                    (model["threshold"], model["structural_threshold"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--model", action="store_true", help="also score the model (out of fold) on train's articles")
    args = ap.parse_args(argv)
    E = scorer(args.corpus)
    out = {}
    for split in ("train", "dev"):
        out[split] = agreement(E, args.corpus / "claims" / "polnear" / split)
        print(f"{split}: {len(out[split]['articles'])} articles annotated twice; second annotator against the first: "
              f"P {out[split]['precision']} R {out[split]['recall']} F1 {out[split]['f1']} "
              f"source {out[split]['source_acc']} cue {out[split]['cue_acc']}", file=sys.stderr)
    if args.model:
        from kb.nlp import load_nlp  # noqa: PLC0415 (spaCy only when asked)
        train = load_split(load_nlp(), E, args.corpus, "train")
        out["model_on_train_articles"] = m = model_on(E, train, out["train"]["articles"])
        print(f"the model (out of fold) on the same train articles: P {m['precision']} R {m['recall']} "
              f"F1 {m['f1']} source {m['source_acc']} cue {m['cue_acc']}", file=sys.stderr)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
