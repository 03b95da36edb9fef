"""Curation: merge, rename, set-type, split; decisions stored and re-applied by extraction."""
import pytest
from click.testing import CliRunner

from ingest.article import Article
from kb import curation, store
from kb.cli import cli


def mention_result(text: str, mentions: list[tuple[str, str, str]]) -> dict:
    ents = []
    for surface, etype, name in mentions:
        i = text.index(surface)
        ents.append({"text": surface, "start": i, "end": i + len(surface), "type": etype, "name": name})
    return {"text": text, "entities": ents, "claims": [], "relations": []}


TEXT_A = "Acme Corp said the Acme Works plant in Springfield would close; Springfield officials objected."
MENTIONS_A = [("Acme Corp", "firm", "Acme Corp"), ("Acme Works", "firm", "Acme Works"),
              ("Springfield officials", "government", "Springfield")]
TEXT_B = "Springfield is a small town; Jo Bloggs lives in Springfield."
MENTIONS_B = [("Springfield", "place", "Springfield"), ("Jo Bloggs", "person", "Jo Bloggs")]


@pytest.fixture
def db(tmp_path):
    db = store.open_db(tmp_path / "kb.db")
    for src, text, mentions in (("a.txt", TEXT_A, MENTIONS_A), ("b.txt", TEXT_B, MENTIONS_B)):
        pk, _ = store.store_article(db, Article(source=src, text=text))
        store.save_analysis(db, pk, mention_result(text, mentions))
    return db


def reextract(db) -> None:
    """What `kb extract --all` does: the same NLP output saved again."""
    for src, text, mentions in (("a.txt", TEXT_A, MENTIONS_A), ("b.txt", TEXT_B, MENTIONS_B)):
        pk = db.execute("SELECT id FROM articles WHERE source = ?", [src]).fetchone()[0]
        store.save_analysis(db, pk, mention_result(text, mentions))


def names(db) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in db.execute(
        "SELECT DISTINCT e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id")}


def test_merge_moves_mentions_and_survives_reextraction(db):
    curation.merge(db, "Acme Works", "Acme Corp")
    assert ("Acme Works", "firm") not in names(db)
    assert db.execute("SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id "
                      "WHERE e.name = 'Acme Corp'").fetchone()[0] == 2
    reextract(db)
    assert ("Acme Works", "firm") not in names(db) and ("Acme Corp", "firm") in names(db)


def test_place_and_its_government_are_one_entity_across_articles(db):
    assert [n for n in names(db) if n[0] == "Springfield"] == [("Springfield", "government")]


def test_ambiguous_name_needs_a_type(db):
    text = "Jordan said it would expand. Jordan, the shoe firm, agreed."
    for src, etype in (("c.txt", "person"), ("d.txt", "firm")):
        pk, _ = store.store_article(db, Article(source=src, text=f"{text} ({src})"))
        store.save_analysis(db, pk, mention_result(text, [("Jordan", etype, "Jordan")]))
    with pytest.raises(curation.CurationError, match="ambiguous"):
        curation.set_type(db, "Jordan", "firm")
    curation.merge(db, "Jordan", "Jordan", source_type="person", target_type="firm")
    assert ("Jordan", "person") not in names(db) and ("Jordan", "firm") in names(db)


def test_rename_and_set_type_survive_reextraction(db):
    curation.rename(db, "Jo Bloggs", "Joanna Bloggs")
    curation.set_type(db, "Joanna Bloggs", "official")
    reextract(db)
    assert ("Joanna Bloggs", "official") in names(db)
    assert not {n for n in names(db) if n[0] == "Jo Bloggs"}
    types = {r[0] for r in db.execute("SELECT m.type FROM mentions m WHERE m.text = 'Jo Bloggs'")}
    assert types == {"official"}


def test_split_makes_an_entity_of_one_alias(db):
    curation.merge(db, "Acme Works", "Acme Corp")
    out = curation.split(db, "Acme Corp", "Acme Works", new_name="Acme plant", new_type="place")
    assert out["mentions"] == 1
    reextract(db)
    row = db.execute("SELECT e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id "
                     "WHERE m.text = 'Acme Works'").fetchone()
    assert tuple(row) == ("Acme plant", "place")
    with pytest.raises(curation.CurationError):
        curation.split(db, "Acme Corp", "Nothing like it")


def test_cli_entities_commands_and_clear_errors(db, tmp_path):
    path = str(tmp_path / "kb.db")
    r = CliRunner().invoke(cli, ["entities", "merge", "Acme Works", "Acme Corp", "--db", path])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["entities", "set-type", "Jo Bloggs", "dragon", "--db", path])
    assert r.exit_code == 1 and "unknown type" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["entities", "rename", "Nobody", "X", "--db", path])
    assert r.exit_code == 1 and "no entity named" in r.output
    r = CliRunner().invoke(cli, ["entities", "decisions", "--db", path])
    assert '"action": "merge"' in r.output
