"""Claim threads: grouping key and status over time."""
from ingest.article import Article
from kb import store
from kb.track import thread_key, thread_status, update_threads


def c(modality="asserted", polarity="positive"):
    return {"modality": modality, "polarity": polarity}


def test_status_rules():
    assert thread_status([c()]) == "single"
    assert thread_status([c(), c()]) == "repeated"
    assert thread_status([c("future"), c("future")]) == "open"
    assert thread_status([c("future"), c("asserted")]) == "kept"
    assert thread_status([c("future"), c("asserted", "negative")]) == "contradicted"


def test_thread_key_prefers_entity():
    assert thread_key({"predicate": "Lift", "subject_entity_id": 3, "subject": "Beijing"}) == "e3|lift"
    assert thread_key({"predicate": "lift", "subject": "The Chinese authorities"}) == "chinese authorities|lift"
    assert thread_key({"predicate": "", "subject": "x"}) is None


def claim(text, start, polarity, modality):
    return {"sentence": text, "speaker": None, "speaker_start": None, "speaker_end": None,
            "speaker_entity": None, "cue": "said", "cue_start": 0, "cue_end": 4, "content": text,
            "content_start": 0, "content_end": len(text), "via": None, "subject": "Beijing",
            "subject_entity": {"name": "China", "type": "government"}, "predicate": "lift",
            "predicate_text": "lift", "objects": [], "modality": modality, "polarity": polarity,
            "direct_quote": False}


def test_update_threads_over_articles():
    db = store.open_db(memory=True)
    for i, (date, pol, mod) in enumerate([("2014-08-04", "positive", "future"),
                                          ("2014-08-20", "negative", "asserted")]):
        text = f"Article {i} text."
        pk, _ = store.store_article(db, Article(source=f"{i}.txt", text=text, published_at=date))
        store.save_analysis(db, pk, {"entities": [], "relations": [], "claims": [claim(text, 0, pol, mod)]})
    assert update_threads(db) == 1
    [t] = db["claim_threads"].rows
    assert t["status"] == "contradicted" and t["claims"] == 2
    assert t["first_seen"] == "2014-08-04" and t["last_seen"] == "2014-08-20"
    assert {r["thread_id"] for r in db["claims"].rows} == {t["id"]}


def test_threads_update_incrementally_and_keep_their_ids():
    db = store.open_db(memory=True)
    text = "Article text."
    a, _ = store.store_article(db, Article(source="a.txt", text=text, published_at="2014-08-04"))
    store.save_analysis(db, a, {"entities": [], "relations": [], "claims": [claim(text, 0, "positive", "future")]})
    update_threads(db)
    [t] = db["claim_threads"].rows
    assert t["status"] == "single"
    b, _ = store.store_article(db, Article(source="b.txt", text="Later text.", published_at="2014-09-01"))
    store.save_analysis(db, b, {"entities": [], "relations": [],
                                "claims": [claim("Later text.", 0, "positive", "asserted")]})
    assert update_threads(db) == 1  # only the touched thread
    [t2] = db["claim_threads"].rows
    assert t2["id"] == t["id"] and t2["status"] == "kept" and t2["claims"] == 2
    store.save_analysis(db, b, {"entities": [], "relations": [], "claims": []})  # re-extraction drops it
    update_threads(db)
    [t3] = db["claim_threads"].rows
    assert t3["status"] == "single" and t3["claims"] == 1
    store.save_analysis(db, a, {"entities": [], "relations": [], "claims": []})
    update_threads(db)
    assert db["claim_threads"].count == 0 and db["threads_to_update"].count == 0


def test_curation_merge_moves_claims_to_the_merged_thread():
    from kb import curation

    db = store.open_db(memory=True)
    for i, (name, date) in enumerate([("Beijing", "2014-08-04"), ("China", "2014-08-20")]):
        text = f"Article {i}."
        pk, _ = store.store_article(db, Article(source=f"{i}.txt", text=text, published_at=date))
        c = claim(text, 0, "positive", "future" if i == 0 else "asserted")
        c["subject_entity"] = {"name": name, "type": "other"}
        store.save_analysis(db, pk, {"entities": [], "relations": [], "claims": [c]})
    update_threads(db)
    assert db["claim_threads"].count == 2
    curation.merge(db, "Beijing", "China")
    update_threads(db)
    [t] = db["claim_threads"].rows
    assert t["claims"] == 2 and t["status"] == "kept"
