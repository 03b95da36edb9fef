"""eval_attribution's numbers on the even and odd halves of PolNeAR dev, from one real
`kb analyze --jsonl` run (the scorer's own matching, imported from ../shared/eval).

Usage: .venv/bin/python bench/train_halves.py [--kb .venv/bin/kb] [--split dev]
Prints one line per half and `BENCH halves_f1_gap=...` (points of F1 between the halves).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", default=str(Path(__file__).resolve().parents[1] / ".venv/bin/kb"))
    ap.add_argument("--split", default="dev")
    args = ap.parse_args()
    sys.path.insert(0, str(SHARED / "eval"))
    import eval_attribution as E  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from kb.train.claim_model import COUNTS, figures  # noqa: PLC0415
    from kb.train.parse_cache import articles  # noqa: PLC0415

    arts = articles(SHARED / "corpus/claims/polnear" / args.split)
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        inp.write_text("".join(json.dumps({"id": aid, "text": text}) + "\n" for aid, text, _ in arts),
                       encoding="utf-8")
        out = subprocess.run([args.kb, "analyze", "--jsonl", "--db", str(Path(tmp) / "kb.db"), str(inp)],
                             capture_output=True, text=True, check=True).stdout
    results = {r["id"]: r for r in (json.loads(line) for line in out.splitlines() if line.strip())}
    f1s = []
    for name, half in (("even", arts[0::2]), ("odd", arts[1::2]), ("all", arts)):
        c = dict.fromkeys(COUNTS, 0)
        gold = 0
        for aid, text, ann in half:
            g = E.parse_ann(ann)[0]
            claims = results.get(aid, {}).get("claims", [])
            gold, c["pred"] = gold + len(g), c["pred"] + len(claims)
            E.score_doc(text, g, claims, c)
        m = figures(c, gold)
        f1s.append(m["f1"])
        print(f"{name:5} articles {len(half):3}  precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
              f"F1 {m['f1']:.3f}  source_acc {m['source_acc']:.3f}  cue_acc {m['cue_acc']:.3f}")
    print(f"BENCH halves_f1_gap={100 * abs(f1s[0] - f1s[1]):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
