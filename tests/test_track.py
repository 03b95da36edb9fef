"""Claim threads: which claims are one proposition, deadlines in force, statuses over time."""
import json

import sqlite_utils

from ingest.article import Article
from kb import store
from kb.nlp.events import in_words
from kb.track import match, status, thread_rows, update_threads


def prop(id=1, event="pay", subj=("e1",), obj=("e2",), ctx=(), quants=(), deadline=None, revision=False, also=""):
    parts = [{"key": k, "role": "s"} for k in subj] + [{"key": k, "role": "o"} for k in obj] + \
        [{"key": k, "role": "c"} for k in ctx]
    return match.prop({"id": id, "event": event, "event_also": also, "participants": json.dumps(parts),
                       "quantities": json.dumps([{"value": v, "unit": u} for v, u in quants]),
                       "deadline": deadline, "revision": revision})


def test_different_figures_of_the_same_kind_are_different_propositions():
    a = prop(1, "produce", quants=[(5000, "rate:week")])
    assert match.compare(a, prop(2, "produce", quants=[(5000, "rate:week")])) is not None
    assert match.compare(a, prop(3, "produce", quants=[(4900, "n")])) is not None     # a count, within 15%
    assert match.compare(a, prop(4, "produce", quants=[(2500, "rate:week")])) is None
    assert match.compare(a, prop(5, "produce", quants=[(1.5e9, "money:EUR")])) is not None   # not comparable


def test_the_same_figure_ties_different_wordings_of_one_target():
    a = prop(1, "make", quants=[(5000, "rate:week")], deadline="2018-03-31")
    b = prop(2, "target", quants=[(5000, "rate:week")], deadline="2018-06-30")
    m = match.compare(a, b)
    assert m is not None and m.reason["figures"] == "same" and m.reason["deadline"] == "differ"


def test_another_date_without_a_figure_is_another_proposition_unless_it_moves_the_date():
    a = prop(1, "pay", deadline="2015-06-05")
    assert match.compare(a, prop(2, "pay", deadline="2015-06-30")) is None
    assert match.compare(a, prop(3, "pay", deadline="2015-06-30", revision=True)) is not None
    assert match.compare(a, prop(4, "repay", deadline="2015-06-05")) is not None     # repay is a kind of pay


def test_events_must_agree_and_agents_must_not_differ():
    assert match.compare(prop(1, "pay"), prop(2, "donate")) is None
    assert match.compare(prop(1, "pay", subj=("e1",)), prop(2, "pay", subj=("e3",), obj=("e2",))) is None
    assert match.compare(prop(1, "pay", subj=("e1",), obj=("e2",)), prop(2, "pay", subj=(), obj=("e1", "e2"))) is not None


def test_only_the_articles_actors_in_common_need_more_than_the_event():
    a = prop(1, "pay", subj=(), obj=("w:payment", "w:instalment"), ctx=("e1",))
    assert match.compare(a, prop(2, "pay", subj=(), obj=("w:loan",), ctx=("e1",))) is None
    assert match.compare(a, prop(3, "pay", subj=(), obj=("w:payment",), ctx=("e1",))) is None     # not enough yet
    assert match.compare(a, prop(4, "pay", subj=(), obj=("w:payment", "w:instalment"), ctx=("e1",))) is not None


def test_a_very_general_verb_needs_a_figure_or_a_date():
    a = prop(1, "have", subj=("e1",), obj=("e2", "w:plan"))
    assert match.compare(a, prop(2, "have", subj=("e1",), obj=("e2", "w:plan"))) is None
    assert match.compare(prop(3, "have", quants=[(5, "n")]), prop(4, "have", quants=[(5, "n")])) is not None


def test_a_date_and_a_noun_tie_two_events_only_when_neither_is_a_light_verb():
    a = prop(1, "bundle", subj=("e1",), obj=("w:payment",), deadline="2015-06-30")
    assert match.compare(a, prop(2, "pay", subj=("e1",), obj=("w:payment",), deadline="2015-06-30")) is not None
    # "will have no flexibility on its payment": the payment is not what the claim is about
    assert match.compare(a, prop(3, "have", subj=("e1",), obj=("w:flexibility", "w:payment"),
                                 deadline="2015-06-30")) is None


def test_the_same_figure_by_the_same_date_about_the_same_thing_is_one_target_whoever_says_it():
    a = prop(1, "carry", subj=(), obj=("w:passenger", "w:section"), quants=[(30000, "rate:day")], deadline="2022-10-31")
    b = prop(2, "target", subj=(), obj=("w:passenger",), quants=[(30000, "rate:day")], deadline="2022-10-31")
    assert match.compare(a, b) is not None
    assert match.compare(a, b._replace(deadline="2022-12-31")) is None
    assert match.compare(a, b._replace(quantities=(("rate:day", 85000.0),))) is None
    assert match.index_keys(a) & match.query_keys(b)          # found without a name in common


def test_one_article_needs_more_than_its_actors_to_tie_two_claims():
    a = prop(1, "pay", subj=("e1",), obj=("e2",))._replace(article=7)
    assert match.compare(a, prop(2, "pay", subj=("e1",), obj=("e2",))._replace(article=7)) is None
    assert match.compare(a, prop(3, "pay", subj=("e1",), obj=("e2",))._replace(article=8)) is not None
    assert match.compare(a, prop(4, "pay", subj=("e1",), obj=("e2",), deadline="2015-06-30")._replace(
        article=7, deadline=None)) is None


def test_the_same_quote_in_two_articles_is_one_statement():
    a = prop(1, "take", subj=("w:complexity",))._replace(statement="k1")
    assert match.compare(a, prop(2, "ramp", subj=())._replace(statement="k1")).reason["statement"] == "same quote"


def m(id, at, modality="future", polarity="positive", deadline=None, source=None, revision=False, speaker=None):
    return {"id": id, "at": at, "pos": id, "article_id": id, "modality": modality, "polarity": polarity,
            "deadline": deadline, "revision": revision, "source": source or f"s{id}", "speaker_entity_id": speaker}


def test_status_of_a_promise_over_time():
    promise = [m(1, "2014-07-14", deadline="2014-07-31")]
    assert status.state(promise, "2014-07-15")[0] == "open"
    assert status.state(promise, "2014-08-01")[0] == "overdue"
    done = promise + [m(2, "2014-08-02", "asserted")]
    assert status.state(done, "2014-08-03")[0] == "fulfilled"
    missed = promise + [m(2, "2014-08-02", "asserted", "negative")]
    assert status.state(missed, "2014-08-03")[0] == "contradicted"


def test_a_not_yet_beside_the_promise_is_no_contradiction_but_a_later_denial_is():
    same_day = [m(1, "2014-08-04"), m(2, "2014-08-04", "asserted", "negative")]
    assert status.state(same_day, "2014-08-05")[0] == "open"
    later = [m(1, "2014-08-04"), m(2, "2014-09-16", "future", "negative")]
    assert status.state(later, "2014-09-17")[0] == "contradicted"
    moved = [m(1, "2017-11-02"), m(2, "2018-01-09", "future", "positive", "2018-06-30", revision=True)]
    assert status.state(moved, "2018-01-10")[0] == "open"


def test_a_denial_beside_a_moved_date_contradicts_a_moved_date_alone_does_not():
    ms = [m(1, "2015-06-03", deadline="2015-06-05"),
          m(2, "2015-06-04", deadline="2015-06-30", revision=True, polarity="negative"),   # "will delay the payment"
          m(3, "2015-06-04", polarity="negative", deadline="2015-06-05")]                  # "will miss Friday's"
    assert status.state(ms, "2015-06-04")[0] == "contradicted"
    assert status.state(ms[:2], "2015-06-04")[0] == "open"


def test_asserted_threads_are_single_repeated_or_contradicted():
    assert status.state([m(1, "2015-06-03", "asserted")], "2015-06-04")[0] == "single"
    two = [m(1, "2015-06-03", "asserted"), m(2, "2015-06-04", "asserted")]
    assert status.state(two, "2015-06-05")[0] == "repeated"
    reprint = [m(1, "2015-06-03", "asserted", source="s"), m(2, "2015-06-04", "asserted", source="s")]
    assert status.state(reprint, "2015-06-05")[0] == "single"
    both = [m(1, "2015-06-03", "asserted"), m(2, "2015-06-04", "asserted", "negative")]
    assert status.state(both, "2015-06-05")[0] == "contradicted"


def test_the_deadline_in_force_is_the_latest_restatement_still_ahead():
    ms = [m(1, "2017-11-02", deadline="2018-03-31"), m(2, "2018-05-15", deadline="2018-06-30"),
          m(3, "2018-05-15", deadline="2017-12-31")]           # "had initially hoped ... by the end of last year"
    deadline, claim, stated = status.deadline_in_force(ms)
    assert (deadline, claim) == ("2018-06-30", 2)
    assert [d["date"] for d in stated] == ["2018-03-31", "2018-06-30", "2017-12-31"]


def test_history_records_each_change_with_its_claim():
    ms = [m(1, "2014-07-14", deadline="2014-07-31"), m(2, "2014-08-10", "asserted")]
    hist = status.history(ms, "2014-09-01")
    assert [(h.at, h.status, h.claim_id) for h in hist] == [
        ("2014-07-14", "open", 1), ("2014-08-01", "overdue", None), ("2014-08-10", "fulfilled", 2)]


def test_one_speaker_saying_opposite_things_is_flagged():
    ms = [m(1, "2014-08-04", speaker=7), m(2, "2014-09-16", polarity="negative", speaker=7), m(3, "2014-09-16")]
    assert status.flags(ms) == [{"flag": "speaker_reversal", "speaker_entity_id": 7, "speaker": None,
                                 "claim_ids": [1, 2]}]


# --- in the database --------------------------------------------------------------------

def claim(text, polarity="positive", modality="future", event="operate", time_text=None, **extra):
    c = {"sentence": text, "speaker": "a diplomat", "speaker_start": 0, "speaker_end": 1, "speaker_entity": None,
         "cue": "said", "cue_start": 0, "cue_end": 4, "content": text, "content_start": 0, "content_end": len(text),
         "via": None, "subject": "China", "subject_entity": {"name": "China", "type": "government"},
         "predicate": "lift", "predicate_text": "lift", "objects": [], "modality": modality, "polarity": polarity,
         "direct_quote": False, "event": event, "event_polarity": polarity, "time_text": time_text,
         "realized": modality == "asserted",
         "participants": [{"text": "China", "entity": {"name": "China", "type": "government"}, "role": "s"},
                          {"text": "Line", "entity": {"name": "Line", "type": "app"}, "role": "o"}],
         "quantities": []}
    c.update(extra)
    return c


def add(db, source, date, claims, text=None):
    pk, _ = store.store_article(db, Article(source=source, text=text or f"{source} {date}", published_at=date))
    store.save_analysis(db, pk, {"entities": [], "relations": [], "claims": claims})
    return pk


def promise(monkeypatch) -> sqlite_utils.Database:
    """A database grouped on 2014-07-15 of one article of 2014-07-14: China will lift the block
    by the end of this month."""
    db = store.open_db(memory=True)
    monkeypatch.setenv("KB_NOW", "2014-07-15")
    add(db, "a.txt", "2014-07-14", [claim("China will lift the block by the end of this month.",
                                          time_text="by the end of this month")])
    update_threads(db)
    return db


def test_one_thread_across_articles_with_deadline_status_and_history(monkeypatch):
    db = promise(monkeypatch)
    [t] = thread_rows(db)
    assert (t["status"], t["deadline"]) == ("open", "2014-07-31")
    monkeypatch.setenv("KB_NOW", "2014-08-06")
    add(db, "b.txt", "2014-08-05", [claim("Line is still blocked.", "negative", "asserted")])
    update_threads(db)
    [t] = thread_rows(db)
    assert t["status"] == "contradicted" and len(t["claims"]) == 2
    assert [h["status"] for h in t["history"]] == ["open", "overdue", "contradicted"]
    assert t["independent_sources"] == ["a.txt", "b.txt"]
    reasons = [json.loads(r[0]) for r in db.execute("SELECT thread_reason FROM claims ORDER BY id")]
    assert reasons[0] == {"opened": True} and reasons[1]["entities"] and reasons[1]["event"] == "operate"


def test_a_deadline_passing_makes_an_untouched_thread_overdue(monkeypatch):
    db = promise(monkeypatch)
    monkeypatch.setenv("KB_NOW", "2014-08-05")
    assert update_threads(db) == 1                 # nothing new: only the thread whose deadline passed
    [t] = thread_rows(db, "overdue")
    assert t["history"][-1] == {"at": "2014-08-01", "status": "overdue", "claim_id": None,
                                "reason": "deadline 2014-07-31 passed"}


def test_a_thread_is_labelled_with_its_first_claims_words_where_its_event_says_little(monkeypatch):
    """Participants and event ('Greece: pay'); where no one is named, or the event is a class or
    one of the commonest verbs ('operate', 'have'), the first claim's words say what happens."""
    db = store.open_db(memory=True)
    monkeypatch.setenv("KB_NOW", "2014-07-15")
    named = claim("China will lift the block by the end of this month.", time_text="by the end of this month")
    nameless = claim("Most users would not rely on a single messaging app for very long.", event="rely",
                     subject="users", subject_entity=None,
                     participants=[{"text": "users", "entity": None, "noun": "user", "role": "s"},
                                   {"text": "a single messaging app", "entity": None, "noun": "app", "role": "o"}])
    greece = [{"text": "Greece", "entity": {"name": "Greece", "type": "government"}, "role": "s"}]
    pays = claim("Greece will pay the fund.", event="pay", participants=greece)
    has = claim("Greece will have no grace period.", event="have", participants=greece)
    add(db, "a.txt", "2014-07-14", [named])
    add(db, "b.txt", "2014-07-14", [nameless])
    add(db, "c.txt", "2014-07-14", [pays, has])
    update_threads(db)
    labels = {t["label"] for t in thread_rows(db)}
    assert labels == {"China, Line: “China will lift the block by the end…” (by 2014-07-31)",   # operate
                      "rely: “Most users would not rely on a single…”", "Greece: pay",
                      "Greece: “Greece will have no grace period.”"}
    assert in_words("knock_out") == "knock out"        # WordNet's phrasal verbs read as words


def test_threads_update_incrementally_and_keep_their_ids(monkeypatch):
    db = store.open_db(memory=True)
    monkeypatch.setenv("KB_NOW", "2014-09-01")
    add(db, "a.txt", "2014-08-04", [claim("China will lift the block.")])
    other = claim("Greece will pay.", event="pay", participants=[
        {"text": "Greece", "entity": {"name": "Greece", "type": "government"}, "role": "s"}])
    add(db, "g.txt", "2014-08-04", [other])
    update_threads(db)
    ids = {r["id"] for r in thread_rows(db)}
    add(db, "b.txt", "2014-08-20", [claim("China has lifted the block.", modality="asserted")])
    assert update_threads(db) == 1                 # only the touched thread is recomputed
    assert {r["id"] for r in thread_rows(db)} == ids
    assert {r["status"] for r in thread_rows(db, entity="Line")} == {"fulfilled"}


def test_a_quote_reprinted_is_one_statement():
    db = store.open_db(memory=True)
    q = dict(direct_quote=True, modality="asserted")
    add(db, "a.txt", "2015-06-04", [claim("The combined complexity of module design has taken longer.", **q)])
    add(db, "b.txt", "2015-06-05", [claim("The combined complexity of module design has taken longer.", **q)])
    update_threads(db, now="2015-06-06")
    row = db.execute("SELECT claims, statements FROM claim_threads").fetchone()
    assert row == (2, 1)



def _plain_state(members, as_of):
    """The status as its definition reads, one pass over the members (what Timeline speeds up)."""
    every = status.ordered(members)
    ms = [m for m in every if (m.get("at") or "")[:10] <= as_of] or every[:1]
    forward = [m for m in ms if status.looks_ahead(m)]
    if not forward:
        if len({m.get("polarity") or "positive" for m in ms}) > 1:
            neg = next(m for m in ms if (m.get("polarity") or "positive") != (ms[0].get("polarity") or "positive"))
            return "contradicted", neg["id"], "claims of both polarities"
        if len({m.get("source") for m in ms}) > 1:
            return "repeated", ms[-1]["id"], "said by more than one source"
        return "single", ms[0]["id"], "one source"
    main, first_day = forward[0].get("polarity") or "positive", (forward[0].get("at") or "")[:10]
    stated = [m for m in ms if m.get("deadline") and (status.looks_ahead(m) or m.get("revision"))]
    pick = [m for m in stated if m["deadline"] >= (m.get("at") or "")[:10]] or stated
    deadline = pick[-1]["deadline"] if pick else None          # the latest restatement's (ms in date order)
    outcomes = [m for m in ms if m.get("modality") == "asserted" and m.get("realized", 1) and not status.looks_ahead(m)
                and not m.get("deadline") and not m.get("revision") and m["at"][:10] > first_day]
    for m in reversed(outcomes):
        if (m.get("polarity") or "positive") == main:
            if status.short_of(m, forward):
                continue
            return "fulfilled", m["id"], "reported done"
        if deadline and m["at"][:10] > deadline:
            return "contradicted", m["id"], "reported not done"
    newest = max(m["at"][:10] for m in forward)
    latest = [m for m in forward if m["at"][:10] == newest]
    denies = [m for m in latest if (m.get("polarity") or "positive") != main and not m.get("revision")]
    if newest > first_day and denies and all(m in denies or m.get("revision") for m in latest):
        return "contradicted", denies[-1]["id"], "the latest statements deny it"
    if deadline and deadline < as_of:
        return "overdue", None, f"deadline {deadline} passed"
    return "open", forward[-1]["id"], "pending" + (f" (deadline {deadline})" if deadline else "")


def test_status_at_every_date_is_the_plain_definition_on_random_threads():
    import random
    rng = random.Random(5)
    days = [f"2024-0{m}-{d:02d}" for m in (1, 2, 3) for d in (1, 10, 20)]
    for _ in range(300):
        members = [{"id": i, "at": rng.choice(days), "article_id": rng.randint(1, 6), "pos": rng.randint(0, 9),
                    "modality": rng.choice(["future", "asserted", "asserted", "possible", "hedged"]),
                    "polarity": rng.choice(["positive", "positive", "negative"]),
                    "deadline": rng.choice([None, None, rng.choice(days)]), "revision": rng.random() < 0.1,
                    "realized": rng.choice([1, 1, 0]), "source": rng.randint(1, 3),
                    "quantities": rng.choice(["[]", '[{"value": 5000, "unit": "rate:week"}]',
                                              '[{"value": 2270, "unit": "rate:week"}]'])}
                   for i in range(rng.randint(1, 12))]
        line = status.Timeline(status.ordered(members))
        for as_of in days + ["2023-12-31", "2024-04-01"]:
            assert line.state(as_of) == _plain_state(members, as_of), (members, as_of)


def test_threads_written_by_an_older_rule_are_relabelled_once_keeping_their_ids(monkeypatch):
    db = promise(monkeypatch)
    [before] = thread_rows(db)
    db.execute("UPDATE claim_threads SET label = 'China, Line: operate (by 2014-07-31)'")    # as version 1 wrote it
    db.execute("UPDATE kb_meta SET value = '1' WHERE key = 'rows_version'")
    assert update_threads(db) == 1
    [after] = thread_rows(db)
    assert after["id"] == before["id"] and after["label"] == before["label"] != "China, Line: operate (by 2014-07-31)"
    assert update_threads(db) == 0                 # once
