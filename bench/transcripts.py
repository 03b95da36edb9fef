"""Claims on debate transcripts: the CLEF-2019 CheckThat! training transcripts (19 debates,
speeches and press conferences, ../shared/corpus/claims/clef2019-checkworthy/training) laid
out as a transcript is printed ('HOLT: sentence sentence ...', one turn per paragraph), run
through one real `kb analyze --jsonl`.

CLEF marks only check-worthy sentences (440 of 16,420), not attributions, so this measures
over-prediction, not precision: claims per check-worthy sentence, turn claims (cue ':'),
"you know" claims, and the check-worthy sentences that some claim's content holds (half
their words or more).

Usage: .venv/bin/python bench/transcripts.py [--kb .venv/bin/kb]
Prints `BENCH claims=... turn_claims=... you_know=... checkworthy=... covered=...`.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

CLEF = Path(__file__).resolve().parents[1].parent / "shared/corpus/claims/clef2019-checkworthy/training"


def transcripts() -> list[tuple[str, str, list[str]]]:
    """(name, text with one 'SPEAKER: ...' turn per paragraph, check-worthy sentences)."""
    out = []
    for p in sorted(CLEF.glob("*.tsv")):
        rows = [line.rstrip("\n").split("\t") for line in p.open(encoding="utf-8") if line.strip()]
        turns: list[tuple[str, list[str]]] = []
        for _, speaker, sentence, _ in rows:
            if turns and turns[-1][0] == speaker:
                turns[-1][1].append(sentence)
            else:
                turns.append((speaker, [sentence]))
        text = "\n\n".join(f"{s}: {' '.join(ss)}" for s, ss in turns)
        out.append((p.stem, text, [r[2] for r in rows if r[3].strip() == "1"]))
    return out


def words(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", default=str(Path(__file__).resolve().parents[1] / ".venv/bin/kb"))
    args = ap.parse_args()
    docs = transcripts()
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        inp.write_text("".join(json.dumps({"id": n, "text": t}) + "\n" for n, t, _ in docs), encoding="utf-8")
        out = subprocess.run([args.kb, "analyze", "--jsonl", "--db", str(Path(tmp) / "kb.db"), str(inp)],
                             capture_output=True, text=True, check=True).stdout
    got = {r["id"]: r["claims"] for r in (json.loads(line) for line in out.splitlines() if line.strip())}
    n = Counter()
    for name, _, worthy in docs:
        claims = got.get(name, [])
        n["claims"] += len(claims)
        n["turn_claims"] += sum(c["cue"] == ":" for c in claims)
        n["you_know"] += sum(c["cue"] == "know" and (c["speaker"] or "").lower() == "you" for c in claims)
        n["checkworthy"] += len(worthy)
        for s in worthy:
            w = words(s)
            n["covered"] += any(len(w & words(c["content"])) >= 0.5 * len(w) for c in claims)
        print(f"{name:28s} claims {len(claims):5d}  check-worthy {len(worthy):3d}")
    print("BENCH " + " ".join(f"{k}={n[k]}" for k in ("claims", "turn_claims", "you_know", "checkworthy", "covered")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
