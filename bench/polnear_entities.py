"""Entity resolution on PolNeAR dev: one entity per person, and what resolution costs.

The 84 dev articles (7 outlets, the 2016 US campaign) are ingested into one fresh database
with `kb.jobs.ingest`. Printed:
  * every entity whose name holds Trump, Clinton or Obama, with its mentions (the issue's
    check: one entity each for Donald Trump, Hillary Clinton and Barack Obama);
  * the time spent resolving mentions to stored entities (`kb.store.entity_id`: decisions,
    exact names, surnames, spelling variants) against the whole extraction;
and `--out FILE` writes the 50 entities with most mentions, each with three sample
mentions in context and an empty verdict column, for a person to judge by reading
(`bench/polnear_entities.md` holds the verdicts; `--score FILE` counts them).

    python bench/polnear_entities.py --out bench/polnear_entities.md
    python bench/polnear_entities.py --score bench/polnear_entities.md
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kb import jobs, store  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "claims" / "polnear" / "dev" / "text"
PEOPLE = ("Trump", "Clinton", "Obama")


def timed_ingest(db) -> tuple[float, float]:
    """(seconds of the whole ingest and extraction, seconds inside store.entity_id)."""
    spent = [0.0]
    inner = store.entity_id

    def entity_id(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t

    store.entity_id = entity_id
    try:
        t = time.perf_counter()
        jobs.ingest(db, [str(DEV)])
        return time.perf_counter() - t, spent[0]
    finally:
        store.entity_id = inner


def context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"…{left}**{text[start:end]}**{right}…".replace("|", "/")


def write_sample(db, out: Path) -> None:
    rows = list(db.query(
        "SELECT e.id, e.name, e.type, count(m.id) AS n, count(DISTINCT m.article_id) AS arts FROM entities e "
        "JOIN mentions m ON m.entity_id = e.id GROUP BY e.id ORDER BY n DESC, e.name LIMIT 50"))
    lines = ["# PolNeAR dev: the 50 entities with most mentions, judged by reading",
             "", "Written by `bench/polnear_entities.py --out`; the verdict column is a person's:",
             "`ok` (one real-world entity, right type), `type` (one entity, wrong type), `mixed` "
             "(mentions of several things), `junk` (no entity). Re-check with the samples.", "",
             "| # | entity | type | mentions | articles | samples | verdict |", "|---|---|---|---|---|---|---|"]
    for i, r in enumerate(rows, 1):
        samples = [context(t, s, e) for s, e, t in db.execute(
            "SELECT m.start, m.\"end\", a.text FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? ORDER BY random() LIMIT 3", [r["id"]])]
        lines.append(f"| {i} | {r['name']} | {r['type']} | {r['n']} | {r['arts']} | {'<br>'.join(samples)} |  |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def score(path: Path) -> None:
    verdicts = [line.rstrip().rstrip("|").rsplit("|", 1)[-1].strip().split(" ")[0]
                for line in path.read_text().splitlines() if re.match(r"^\| \d+ \|", line)]
    counts = {v: verdicts.count(v) for v in sorted(set(verdicts))}
    print(f"{len(verdicts)} entities judged: {counts}; ok {counts.get('ok', 0)}/{len(verdicts)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="write the top-50 sample to this Markdown file")
    ap.add_argument("--score", type=Path, help="count the verdicts of a judged sample file")
    args = ap.parse_args()
    if args.score:
        score(args.score)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "kb.db")
        total, resolving = timed_ingest(db)
        like = " OR ".join("e.name LIKE ?" for _ in PEOPLE)
        rows = list(db.query(
            f"SELECT e.name, e.type, count(m.id) AS n FROM entities e JOIN mentions m ON m.entity_id = e.id "
            f"WHERE {like} GROUP BY e.id ORDER BY n DESC", [f"%{p}%" for p in PEOPLE]))
        for r in rows:
            print(f"{r['n']:5d}  {r['name']} ({r['type']})")
        entities = db.execute("SELECT count(*) FROM entities").fetchone()[0]
        print(f"{entities} entities; resolution {resolving:.2f} s of {total:.1f} s ingest+extract "
              f"({100 * resolving / total:.1f}%)")
        if args.out:
            write_sample(db, args.out)
        print("BENCH " + json.dumps({"entities": entities, "resolution_s": round(resolving, 2),
                                     "total_s": round(total, 1), "resolution_share": round(resolving / total, 3)}))


if __name__ == "__main__":
    main()
