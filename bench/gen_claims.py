"""Generate a large synthetic kb database (default 1M claims) to time queries on.

Not real data: made-up entities with Zipf-like popularity (a few hubs, a long tail),
articles spread over three years, claims with the modality and polarity mix of news,
outlets that relay some of them, the outlet that published each article, and the
proposition of each claim (its event and participants, as kb.nlp.propositions gives them).
The database is left as `kb ingest` and tracking leave theirs, so that every page and canned
query has rows to show: claim threads (one per subject and predicate, with statuses, deadlines
and a history), claim_entities dated (``at``) and co_mentions counted. The schema
is the project's own (kb.store.open_db), so
every index, view and full-text trigger is in place; rows go in with executemany in
batches. Never keep the result in the repository.

    python bench/gen_claims.py --claims 1000000 --db /tmp/kb-bench.db
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import sys
import time
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kb import store  # noqa: E402
from kb.track.threads import TRACK_VERSION  # noqa: E402

TYPES = [("government", 0.15), ("firm", 0.2), ("app", 0.1), ("official", 0.2), ("person", 0.2),
         ("media", 0.05), ("place", 0.05), ("group", 0.05)]
SPEAKER_TYPES = {"government", "firm", "official", "person", "media", "group"}
MODALITIES = [("asserted", 0.6), ("future", 0.15), ("possible", 0.08), ("hedged", 0.07),
              ("demanded", 0.05), ("conditional", 0.05)]
PREDICATES = ["lift", "block", "ban", "launch", "deny", "say", "plan", "resume", "restrict", "invest",
              "acquire", "sue", "warn", "approve", "reject", "cut", "raise", "open", "close", "meet"]
CUES = ["said", "told", "according to", "announced", "claimed", "warned", "was quoted as saying"]
SYLLABLES = ["ka", "ko", "na", "ver", "li", "ne", "tal", "ber", "gen", "tri", "mo", "sa", "zu", "ran", "dor",
             "vel", "qu", "ix", "on", "ar", "el", "um", "sto", "pri"]
BATCH = 50_000
OUTLETS = ["Reuters", "AP", "BBC News", "The Guardian", "Yonhap", "South China Morning Post", "Le Monde",
           "Kyodo", "Al Jazeera", "The Korea Herald", "Nikkei Asia", "Deutsche Welle"]
STATUSES = [("single", 0.45), ("repeated", 0.2), ("open", 0.15), ("overdue", 0.08), ("fulfilled", 0.06),
            ("contradicted", 0.06)]


def weighted(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def make_name(rng: random.Random, i: int) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word} {i}" if i % 3 else word + f"-{i}"


def generate(path: Path, n_claims: int, seed: int = 7, claims_per_article: int = 10,
             n_entities: int = 20_000, log=print) -> dict[str, int]:
    rng = random.Random(seed)
    if path.exists():
        raise SystemExit(f"{path} exists: remove it first")
    store.open_db(path).conn.close()  # the project's schema, indexes, views and FTS triggers
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    t0 = time.perf_counter()

    types = [weighted(rng, TYPES) for _ in range(n_entities)]
    names = [make_name(rng, i) for i in range(n_entities)]
    with conn:
        conn.executemany("INSERT INTO entities (id, name, type) VALUES (?, ?, ?)",
                         [(i + 1, names[i], types[i]) for i in range(n_entities)])
        conn.executemany("INSERT INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
                         [(i + 1, a) for i in range(n_entities)
                          for a in {names[i], names[i].upper(), "the " + names[i]}])
    ids = list(range(1, n_entities + 1))
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in range(n_entities)]  # Zipf-like: id 1 is the hub
    speakers = [i for i in ids if types[i - 1] in SPEAKER_TYPES]
    speaker_w = [popularity[i - 1] for i in speakers]
    cum_pop, cum_speaker = list(accumulate(popularity)), list(accumulate(speaker_w))  # choices() in O(log n)
    media = [i for i in ids if types[i - 1] == "media"]

    n_articles = max(1, n_claims // claims_per_article)
    start = date(2022, 1, 1)
    articles, mentions, claims, roles = [], [], [], []
    threads: dict[tuple[int, str], list] = {}   # (subject, predicate) -> [id, claims, first day, last day, future]
    claim_id = 0
    days = sorted((start + timedelta(days=rng.randrange(3 * 365))).isoformat() for _ in range(n_articles))
    for a in range(1, n_articles + 1):
        day = days[a - 1]                       # ids in date order, as a feed would bring them
        ents = set(rng.choices(ids, cum_weights=cum_pop, k=8))
        text = f"Article {a}: " + ", ".join(names[e - 1] for e in ents) + "."
        articles.append((a, f"https://news.example/{a}", f"https://news.example/{a}", f"Story {a} about "
                         + names[min(ents) - 1], f"{day}T08:00:00", text, "page",
                         hashlib.sha1(text.encode()).hexdigest(), f"{day}T09:00:00", "en", rng.choice(OUTLETS),
                         f"{day}T09:00:00", store.EXTRACTOR_VERSION))    # extracted: its claims are here
        mentions += [(a, e, names[e - 1], 0, 1, types[e - 1]) for e in ents]
        for _ in range(claims_per_article):
            if claim_id >= n_claims:
                break
            claim_id += 1
            sp = rng.choices(speakers, cum_weights=cum_speaker)[0]
            su = rng.choices(ids, cum_weights=cum_pop)[0]
            objs = rng.sample(sorted(ents), k=min(len(ents), rng.randint(0, 2)))
            via = rng.choice(media) if media and rng.random() < 0.2 else None
            pred = rng.choice(PREDICATES)
            neg = rng.random() < 0.12
            content = f"{names[su - 1]} would {'not ' if neg else ''}{pred} " + " and ".join(names[o - 1] for o in objs)
            speaker = names[sp - 1]
            cue = rng.choice(CUES)
            objects = json.dumps([{"text": names[o - 1], "entity": {"name": names[o - 1], "type": types[o - 1]}}
                                  for o in objs])
            parts = json.dumps([{"key": f"e{su}", "role": "s"}] + [{"key": f"e{o}", "role": "o"} for o in objs])
            modality = weighted(rng, MODALITIES)
            thread = threads.setdefault((su, pred), [len(threads) + 1, 0, day, day, False])
            thread[1] += 1
            thread[3] = day
            thread[4] = thread[4] or modality == "future"
            sentence = f"{content}, {speaker} {cue}."
            claims.append((claim_id, a, sentence, speaker, sp, cue, content,
                           names[via - 1] if via else None, via, names[su - 1], su, pred, pred, objects,
                           modality, "negative" if neg else "positive", int(rng.random() < 0.2),
                           pred, "negative" if neg else "positive", parts, "[]", thread[0], "claim",
                           0, len(content), len(content) + 2, len(content) + 2 + len(speaker),
                           len(content) + 3 + len(speaker), len(sentence) - 1))
            at = f"{day}T08:00:00"
            roles += [(claim_id, sp, "speaker", at), (claim_id, su, "subject", at)]
            roles += [(claim_id, o, "object", at) for o in objs]
            if via:
                roles.append((claim_id, via, "via", at))
        if len(claims) >= BATCH or a == n_articles:
            _flush(conn, articles, mentions, claims, roles)
            articles, mentions, claims, roles = [], [], [], []
            log(f"\r{claim_id:,} claims, {a:,} articles, {time.perf_counter() - t0:.0f} s", end="")
    log("")
    _threads(conn, rng, threads, names)
    log(f"{len(threads):,} threads; counting co-mentions ...")
    with conn:                          # grouped already, as kb's own grouping leaves them: not to be regrouped
        conn.execute("UPDATE claims SET thread_key = CASE WHEN thread_id IS NULL THEN '' ELSE 't' || thread_id END")
        conn.execute("CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT OR REPLACE INTO kb_meta (key, value) VALUES ('track_version', ?)", [TRACK_VERSION])
        conn.execute("INSERT INTO co_mentions (entity_id, other_id, articles) "
                     "SELECT a.entity_id, b.entity_id, count(*) FROM mentions a JOIN mentions b "
                     "ON a.article_id = b.article_id AND a.entity_id != b.entity_id GROUP BY a.entity_id, b.entity_id")
        conn.execute("ANALYZE")
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "entities", "mentions", "claims", "claim_entities")}
    conn.close()
    return counts


def _threads(conn: sqlite3.Connection, rng: random.Random, threads: dict, names: list[str]) -> None:
    """One claim thread per subject and predicate: a label, a status (promises open or overdue
    by their deadline), a deadline for promises, and its history."""
    rows, history = [], []
    for (su, pred), (tid, n, first, last, future) in threads.items():
        status = weighted(rng, STATUSES)
        if status == "repeated" and n < 2:
            status = "single"
        deadline = None
        if future or status in ("open", "overdue"):
            deadline = (date.fromisoformat(last) + timedelta(days=rng.randint(10, 120))).isoformat()
            status = status if status in ("fulfilled", "contradicted") else \
                ("overdue" if deadline < "2025-01-01" else "open")
        label = f"{names[su - 1]}: {pred}" + (f" (by {deadline})" if deadline else "")
        sources = min(n, rng.randint(1, 5))
        rows.append((tid, f"t{tid}", label, su, pred, pred, json.dumps([f"e{su}"]), status, last, deadline,
                     json.dumps([{"date": deadline, "claim_id": None}] if deadline else []), n, n,
                     json.dumps(rng.sample(OUTLETS, k=sources)), sources, "[]", f"{first}T08:00:00",
                     f"{last}T08:00:00", "2025-01-01"))
        history.append((tid, first, "open" if deadline else "single", None, None))
        if status not in ("open", "single"):
            history.append((tid, last, status, None, "generated"))
    with conn:
        conn.executemany("INSERT INTO claim_threads (id, key, label, subject_entity_id, predicate, event, participants, "
                         "status, status_since, deadline, deadlines, claims, statements, independent_sources, "
                         "sources, flags, first_seen, last_seen, as_of) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO thread_history (thread_id, at, status, claim_id, reason) VALUES (?, ?, ?, ?, ?)",
                         history)


def _flush(conn: sqlite3.Connection, articles: list, mentions: list, claims: list, roles: list) -> None:
    with conn:
        conn.executemany("INSERT INTO articles (id, source, url, title, published_at, text, kind, content_hash, "
                         "ingested_at, language, outlet, extracted_at, extractor_version) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
        conn.executemany('INSERT INTO mentions (article_id, entity_id, text, start, "end", type) '
                         "VALUES (?, ?, ?, ?, ?, ?)", mentions)
        conn.executemany("INSERT INTO claims (id, article_id, sentence, speaker, speaker_entity_id, cue, content, "
                         "via, via_entity_id, subject, subject_entity_id, predicate, predicate_text, objects, "
                         "modality, polarity, direct_quote, event, event_polarity, participants, quantities, thread_id, "
                         "kind, content_start, content_end, speaker_start, speaker_end, cue_start, cue_end) VALUES "
                         f"({', '.join('?' * 29)})", claims)
        conn.executemany("INSERT OR IGNORE INTO claim_entities (claim_id, entity_id, role, at) VALUES (?, ?, ?, ?)",
                         roles)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/kb-bench-1m.db"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    t0 = time.perf_counter()
    counts = generate(args.db, args.claims, args.seed, log=lambda *a, **k: print(*a, **k, file=sys.stderr, flush=True))
    print(json.dumps({"db": str(args.db), **counts, "seconds": round(time.perf_counter() - t0, 1)}))


if __name__ == "__main__":
    main()
