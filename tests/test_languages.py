"""Articles in a language the English model cannot read are kept, not analysed, and say so."""
import pytest

from ingest.article import Article
from kb import jobs, store

ENGLISH = "Jane Zhang, an analyst at Canalys, said on Monday that Tencent would cut 500 jobs by June."
GERMAN = ("Die Bundesregierung will nach Angaben eines Sprechers die Grenzkontrollen im Sommer aufheben, "
          "sagte der Minister am Montag in Berlin.")


@pytest.fixture
def db():
    return store.open_db(memory=True)


@pytest.mark.parametrize("language, foreign", [(None, False), ("en", False), ("en-US", False), ("EN", False),
                                               ("de", True), ("zh", True), ("es-MX", True)])
def test_unknown_or_english_is_read(language, foreign):
    assert jobs.not_english(language) is foreign


def test_a_german_article_is_kept_and_not_analysed(db):
    en, _ = store.store_article(db, Article(source="en.txt", text=ENGLISH, language="en"))
    de, _ = store.store_article(db, Article(source="de.txt", text=GERMAN, language="de"))
    report = jobs.extract(db)
    assert report.extracted == 1 and report.skipped == 1 and report.failed == 0
    assert report.notices == ["de.txt: not analysed: the text is in language 'de'; the NLP model reads English"]

    def count(table, article):
        return db.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", [article]).fetchone()[0]

    assert count("claims", en) >= 1 and count("mentions", en) >= 1
    assert count("claims", de) == 0 and count("mentions", de) == 0           # no English-model noise
    row = db.execute("SELECT text, language, extracted_at FROM articles WHERE id = ?", [de]).fetchone()
    assert row[0] == GERMAN and row[1] == "de" and row[2] is not None        # kept whole, marked done
    (failure,) = db.execute("SELECT stage, reason FROM failures WHERE source = 'de.txt' AND resolved_at IS NULL")
    assert failure[0] == "extract" and "'de'" in failure[1]
    again = jobs.extract(db)                                                  # nothing left to do
    assert again.extracted == 0 and again.skipped == 0
    everything = jobs.extract(db, everything=True)                           # told again, one open row
    assert everything.skipped == 1
    assert db.execute("SELECT count(*) FROM failures WHERE source = 'de.txt' AND resolved_at IS NULL"
                      ).fetchone()[0] == 1


def test_a_text_in_another_script_is_not_english_even_when_unnamed():
    from ingest.text import guess_language
    assert guess_language("আজ শনিবার সকালে দৌলতপুর উপজেলার গ্রামে এ ঘটনা ঘটে। " * 5) == "bn"
    unnamed = guess_language("ᎣᏏᏲ ᏙᎯᏧ ᎤᏬᏚᎯ ᏧᏍᏆᏴᏍᏗ " * 10)                 # Cherokee: no code of its own here
    assert unnamed == "und" and jobs.not_english(unnamed)
    assert guess_language("The minister said the plan will go ahead as agreed by the cabinet. " * 5) == "en"
