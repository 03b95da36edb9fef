"""One name, one entity: short forms, abbreviations and spelling variants within and across articles."""
import pytest

from ingest.article import Article
from kb import export, store
from kb.nlp import analyze
from kb.nlp.entities.names import compatible, initials, name_key, named_in
from conftest import ingested_file


@pytest.fixture
def db():
    return store.open_db(memory=True)


def names_of(text: str) -> dict[str, set[str]]:
    """surface text -> canonical names it was given in `text`."""
    out: dict[str, set[str]] = {}
    for e in analyze(text)["entities"]:
        out.setdefault(e["text"], set()).add(e["name"])
    return out


def test_name_key_folds_spelling_variants_only():
    assert name_key("a World Health Organisation") == name_key("World Health Organization")
    assert name_key("New People's Party") == name_key("New People Party")
    assert name_key("We Chat") == name_key("WeChat") == name_key("WECHAT")
    assert name_key("Youtube") == name_key("YouTube")
    assert name_key("North Korea") != name_key("South Korea")
    assert name_key("Labour") != name_key("Labour Party")


def test_initials_and_type_compatibility():
    assert initials("University of Southern Indiana".split()) == "USI"
    assert initials("Korean People's Army".split()) == "KPA"
    assert compatible("app", "firm") and compatible("place", "government") and compatible("other", "person")
    assert not compatible("person", "firm") and not compatible("place", "firm")


def test_abbreviation_after_its_full_name_is_that_entity():
    got = names_of("The University of Southern Indiana (USI) opened a gallery on Monday. "
                   "USI said the collection would grow. Students at USI were pleased.")
    assert got["USI"] == {"University of Southern Indiana"}


def test_short_form_after_the_full_name_is_that_entity():
    got = names_of("The Church of Scientology opened a new centre in Paris. "
                   "A spokesman said the Church would appeal the ruling.")
    assert got["Church"] == {"Church of Scientology"}


def test_short_form_shared_by_two_names_is_not_guessed():
    got = names_of("North Korea fired a missile on Monday. South Korea said it was watching closely. "
                   "Korea has been divided since 1945.")
    assert got["North Korea"] == {"North Korea"} and got["South Korea"] == {"South Korea"}
    assert got.get("Korea", {"Korea"}) == {"Korea"}


def test_variants_in_one_article_share_one_name():
    got = names_of("The New People's Party won two seats. Leaders of the New People Party celebrated late.")
    assert len(got["New People's Party"] | got["New People Party"]) == 1


def test_leading_lowercase_modifier_is_not_part_of_the_name():
    ents = analyze("In the Kowloon East constituency, pro-Beijing Liberal Party candidate Tommy Cheung "
                   "was re-elected with 40,000 votes.")["entities"]
    assert any(e["text"] == "Liberal Party" for e in ents)
    assert not any(e["text"].startswith(("pro", "Beijing ")) for e in ents)


def test_a_brand_in_title_case_or_spaced_is_the_brand():
    got = names_of("Users said Youtube was down for an hour. Others moved to We Chat and Kakaotalk.")
    assert got["Youtube"] == {"YouTube"} and got["We Chat"] == {"WeChat"} and got["Kakaotalk"] == {"KakaoTalk"}


def test_case_and_spacing_variants_are_one_entity_across_articles(db):
    for src, text in (("a.txt", "Google said YouTube would add a feature to the YouTube app."),
                      ("b.txt", "Users said Youtube was down for an hour on Friday."),
                      ("c.txt", "The WeChat app was blocked. Tencent runs WeChat."),
                      ("d.txt", "Users of We Chat complained on Friday.")):
        pk, _ = store.store_article(db, Article(source=src, text=text))
        store.save_analysis(db, pk, analyze(text))
    ids = {r["text"]: r["entity_id"] for r in export.rows(db, "mentions")}
    assert ids["Youtube"] == ids["YouTube"]
    if "We Chat" in ids:            # when the NER finds the spaced spelling at all
        assert ids["We Chat"] == ids["WeChat"]


def test_export_mentions_offsets_point_into_the_article_text(db):
    text = "Kakao said Line would be restored. The Chinese government did not comment."
    pk, _ = store.store_article(db, Article(source="a.txt", text=text))
    store.save_analysis(db, pk, analyze(text))
    rows = list(export.rows(db, "mentions"))
    assert rows and {"article_id", "start", "end", "text", "entity_id", "name", "type"} <= set(rows[0])
    stored = db["articles"].get(pk)["text"]
    for r in rows:
        assert stored[r["start"]:r["end"]] == r["text"]


def test_middle_initial_is_a_spelling_variant():
    assert name_key("Donald J. Trump") == name_key("Donald Trump")
    assert name_key("Washington D.C.") != name_key("Washington")


def _ingest(db, src: str, text: str) -> int:
    pk, _ = store.store_article(db, Article(source=src, text=text))
    store.save_analysis(db, pk, analyze(text))
    return pk


def _entity(db, pk: int, text: str) -> str:
    return db.execute("SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                      "WHERE m.article_id = ? AND m.text = ?", [pk, text]).fetchone()[0]


def test_a_surname_seen_before_its_full_name_joins_it_once_the_full_name_dominates(db):
    first = _ingest(db, "0.txt", "Ortega said on Monday that the talks would resume.")
    assert _entity(db, first, "Ortega") == "Ortega"
    for i in range(3):
        _ingest(db, f"{i + 1}.txt", f"Daniel Ortega spoke in Managua ({i}). Ortega said the vote would be held.")
    later = _ingest(db, "9.txt", "Ortega said the election would go ahead in November.")
    assert _entity(db, later, "Ortega") == "Daniel Ortega"
    assert _entity(db, first, "Ortega") == "Daniel Ortega"      # the early entity was folded in
    assert not db.execute("SELECT 1 FROM entities WHERE name = 'Ortega'").fetchone()


def test_a_name_first_seen_in_capitals_takes_its_usual_spelling(db):
    """A dateline makes 'KIGOMA' an entity first; 'Kigoma' in running text renames it."""
    def save(src: str, text: str, surface: str) -> int:
        pk, _ = store.store_article(db, Article(source=src, text=text))
        i = text.index(surface)
        store.save_analysis(db, pk, {"entities": [{"text": surface, "start": i, "end": i + len(surface),
                                                   "type": "place", "name": surface}], "claims": [], "relations": []})
        return pk
    a = save("a.txt", "KIGOMA - The port reopened.", "KIGOMA")
    b = save("b.txt", "Officials in Kigoma said so.", "Kigoma")
    assert _entity(db, a, "KIGOMA") == _entity(db, b, "Kigoma") == "Kigoma"


def test_descriptions_in_claims_are_not_kept_as_aliases(db):
    from kb.store import name_like

    assert name_like("Mr. Trump") == "Mr. Trump" and name_like("Trump's") == "Trump's"
    assert name_like("the campaign") is None and name_like("Trump's decision") is None and name_like("woman") is None
    pk = _ingest(db, "a.txt", "A WeChat spokeswoman said the service would be restored within days.")
    aliases = {r[0] for r in db.execute("SELECT a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                                        "WHERE e.name = 'Tencent'")}
    assert aliases and not any("spokeswoman" in a for a in aliases)
    assert db.execute("SELECT count(*) FROM claims WHERE article_id = ? AND speaker_entity_id IS NOT NULL",
                      [pk]).fetchone()[0] == 1


def test_a_name_outside_the_articles_mentions_is_the_one_it_shortens():
    names = {"Christine Lagarde": "person", "Yanis Varoufakis": "official", "Bill Clinton": "person",
             "Hillary Clinton": "person", "Foreign Ministry": "government", "Tesla Inc.": "firm"}
    assert named_in("Lagarde", names) == "Christine Lagarde"
    assert named_in("Greek FM Varoufakis", names) == "Yanis Varoufakis"
    assert named_in("Tesla", names) == "Tesla Inc."               # the same name_key
    assert named_in("Clinton", names) is None                     # two people of that surname
    assert named_in("Attorneys for Beblawi", {"El Beblawi": "person"}) is None   # not a name
    assert named_in("Greek Foreign Ministry", names) is None     # surnames are people's only


def test_the_speaker_of_a_headline_is_the_person_the_text_names(tmp_path):
    """The title is analysed on its own; its speaker 'Lagarde' is the text's Christine Lagarde,
    not a new entity without mentions."""
    db = ingested_file(tmp_path, "Lagarde: Greece will not have grace period on payment\nPUBLISHED : Thursday, "
                       "18 June, 2015\n\nIMF chief Christine Lagarde said on Thursday that Greece would get no "
                       "grace period if it missed its payment on June 30.\n")
    rows = db.execute("SELECT c.speaker, e.name, e.type FROM claims c JOIN entities e ON e.id = c.speaker_entity_id "
                      "WHERE c.content_start IS NULL").fetchall()
    assert rows == [("Lagarde", "Christine Lagarde", "person")]
    assert not db.execute("SELECT name FROM entities e WHERE NOT EXISTS "
                          "(SELECT 1 FROM mentions m WHERE m.entity_id = e.id)").fetchall()
