#!/usr/bin/env python3
"""A stand-in for `kb` that answers `analyze --jsonl` with raw en_core_web_sm entities.

Used by bench/bench_ner.py to score raw spaCy with the same scorer as kb, in one run.
Labels map to project types: PERSON -> person, ORG -> firm, GPE -> government,
LOC/FAC -> place, NORP -> group; every other label is dropped. No claims, no relations.

    python3 bench/raw_spacy_tool.py analyze --jsonl FILE [--db IGNORED]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LABELS = {"PERSON": "person", "ORG": "firm", "GPE": "government", "LOC": "place",
          "FAC": "place", "NORP": "group"}


def entities(doc) -> list[dict]:
    """Raw spaCy entities in the contract's mention form."""
    return [{"text": e.text, "start": e.start_char, "end": e.end_char, "type": LABELS[e.label_],
             "name": e.text} for e in doc.ents if e.label_ in LABELS]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="raw_spacy_tool", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    an = sub.add_parser("analyze")
    an.add_argument("file", nargs="?", default="-")
    an.add_argument("--jsonl", action="store_true")
    an.add_argument("--db", default=None)
    args = ap.parse_args(argv)
    from kb.nlp.model import load_model

    nlp = load_model(components=False)
    data = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    if not args.jsonl:
        doc = nlp(data)
        print(json.dumps({"text": data, "entities": entities(doc), "claims": [], "relations": []}))
        return 0
    items = [json.loads(line) for line in data.splitlines() if line.strip()]
    for item, doc in zip(items, nlp.pipe((i.get("text") or "" for i in items), batch_size=32)):
        sys.stdout.write(json.dumps({"id": item.get("id"), "text": doc.text, "entities": entities(doc),
                                     "claims": [], "relations": []}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
