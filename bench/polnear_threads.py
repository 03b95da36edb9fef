"""Claim threads on PolNeAR dev: how many span outlets, and a sample of memberships to check.

The 84 dev articles (7 outlets, the 2016 US campaign) are stored with their publisher as
outlet and their publication date (metadata_dev.tsv), extracted, and grouped into threads.
Prints the threads that span two or more outlets, and writes `--sample` random memberships
(a claim that joined a thread, with the claim it matched) to a Markdown file for a person to
judge: is it the same proposition? The judgments are written into that file by hand (the
`verdict` column) and counted with `--score FILE`.

    python bench/polnear_threads.py --out bench/polnear_memberships.md
    python bench/polnear_threads.py --score bench/polnear_memberships.md
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ingest.article import Article  # noqa: E402
from kb import jobs, store  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "claims" / "polnear"


def build(db_path: Path) -> None:
    db = store.open_db(db_path)
    meta = {r["filename"]: r for r in csv.DictReader((DEV / "metadata_dev.tsv").open(encoding="utf-8"),
                                                     delimiter="\t") if r["compartment"] == "dev"}
    for path in sorted((DEV / "dev" / "text").glob("*.txt")):
        m = meta.get(path.stem, {})
        text = path.read_text(encoding="utf-8")
        store.store_article(db, Article(source=path.name, text=text, title=m.get("title"),
                                        published_at=m.get("publication_date"), outlet=m.get("publisher")))
    jobs.extract(db)


def sentence(db, cid: int) -> str:
    row = db.execute("SELECT c.sentence, a.outlet, coalesce(c.speaker, '(the article)') FROM claims c "
                     "JOIN articles a ON a.id = c.article_id WHERE c.id = ?", [cid]).fetchone()
    return f"[{row[1]}; {row[2]}] {' '.join(row[0].split())}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("bench/polnear_memberships.md"))
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--score", type=Path, help="count the verdicts written into this file")
    args = ap.parse_args()
    if args.score:
        verdicts = re.findall(r"^\| *\d+ *\|.*\| *(yes|no) *\|$", args.score.read_text(encoding="utf-8"), re.M)
        good = verdicts.count("yes")
        print(f"{good}/{len(verdicts)} memberships right: precision {good / max(len(verdicts), 1):.2f}")
        print("BENCH " + json.dumps({"checked": len(verdicts), "right": good,
                                     "precision": round(good / max(len(verdicts), 1), 3)}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "polnear.db"
        build(db_path)
        db = store.open_db(db_path)
        threads = list(db.query("SELECT id, label, sources, claims, status, independent_sources FROM claim_threads"))
        multi = [t for t in threads if t["sources"] >= 2]
        members = list(db.query(
            "SELECT c.id, c.thread_id, c.thread_reason FROM claims c JOIN claim_threads t ON t.id = c.thread_id "
            "WHERE t.claims >= 2 AND c.thread_reason NOT LIKE '%opened%' ORDER BY c.id"))
        claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        threaded = db.execute("SELECT count(*) FROM claims WHERE thread_id IS NOT NULL").fetchone()[0]
        print(f"{claims} claims, {threaded} in {len(threads)} threads; {sum(t['claims'] >= 2 for t in threads)} "
              f"threads of 2+ claims; {len(multi)} threads span 2+ outlets")
        for t in sorted(multi, key=lambda t: -t["sources"]):
            print(f"  #{t['id']} [{t['status']}] {t['sources']} outlets, {t['claims']} claims: {t['label']}")
        sample = random.Random(args.seed).sample(members, min(args.sample, len(members)))
        lines = ["# Thread memberships on PolNeAR dev, checked by reading",
                 "", "Made by `bench/polnear_threads.py` (seed %d): each row is a claim that joined a thread "
                 "and the claim it matched (its `thread_reason`). Verdict: is it the same proposition "
                 "(the same event about the same participants, either polarity)? Judged by hand." % args.seed,
                 "", f"{claims} claims, {threaded} in {len(threads)} threads; {len(multi)} threads span 2+ outlets.",
                 "", "| # | claim | matched claim | reason | verdict |", "|---|---|---|---|---|"]
        for k, m in enumerate(sample, 1):
            reason = json.loads(m["thread_reason"])
            why = ", ".join(f"{key}={reason[key]}" for key in ("event", "entities", "nouns", "figures", "deadline")
                            if reason.get(key))
            cell = lambda s: s.replace("|", "/")[:300]
            lines.append(f"| {k} | {cell(sentence(db, m['id']))} | {cell(sentence(db, reason['claim']))} | "
                         f"{cell(why)} | ? |")
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(sample)} memberships to {args.out}")
        print("BENCH " + json.dumps({"claims": claims, "threads": len(threads), "multi_outlet_threads": len(multi)}))


if __name__ == "__main__":
    main()
