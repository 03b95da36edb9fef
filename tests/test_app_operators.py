"""Apps and the firms that run them: two entities, linked; an app's staff work for the firm."""
from kb.nlp import analyze
from kb.nlp.entities import load_gazetteer, operators


def test_every_operator_is_a_known_firm():
    firms = {f["name"] for f in load_gazetteer()["firms"]}
    assert operators() and set(operators().values()) <= firms


def test_an_apps_spokeswoman_speaks_for_the_firm_that_runs_it():
    r = analyze("A WeChat spokeswoman said the service would be restored within days.")
    assert [c["speaker_entity"] for c in r["claims"]] == [{"name": "Tencent", "type": "firm"}]
    assert ("WeChat", "firm", "Tencent") in {(e["text"], e["type"], e["name"]) for e in r["entities"]}


def test_the_app_itself_stays_an_app():
    r = analyze("Users said WeChat was blocked on Monday, and Tencent did not comment.")
    types = {e["name"]: e["type"] for e in r["entities"]}
    assert types["WeChat"] == "app" and types["Tencent"] == "firm"
    assert ("Tencent", "operates", "WeChat") in {(x["subject"], x["predicate"], x["object"]) for x in r["relations"]}


def test_no_link_to_a_firm_the_article_does_not_name():
    r = analyze("Users said YouTube was down for an hour on Friday.")
    assert not any(x["predicate"] == "operates" for x in r["relations"])
