"""The entity modules' package (kb/nlp/entities): imports go one way, lexicon -> names -> spans
-> document -> senses -> tagger, with no cycle (at module level or inside functions); the
package's own names stay importable, and loading kb.store does not load spaCy."""
import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "kb/nlp/entities"
LAYERS = ("lexicon", "names", "spans", "document", "senses", "tagger")   # each imports only those before it


def imports(path: Path) -> set[str]:
    """The modules of kb.nlp.entities that a module of it imports (relative and absolute)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                target = node.module or ""
            elif node.level == 0 and (node.module or "").startswith("kb.nlp.entities"):
                target = node.module.removeprefix("kb.nlp.entities").lstrip(".")
            else:
                continue
            found |= {target or a.name for a in node.names} if not target else {target.split(".")[0]}
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("kb.nlp.entities.").split(".")[0] for a in node.names
                      if a.name.startswith("kb.nlp.entities")}
    return found


def test_imports_go_one_way():
    assert {p.stem for p in PKG.glob("*.py")} == set(LAYERS) | {"__init__"}
    for i, mod in enumerate(LAYERS):
        got = imports(PKG / f"{mod}.py")
        assert got <= set(LAYERS[:i]), f"{mod} imports {sorted(got - set(LAYERS[:i]))}"


def test_public_names_are_importable_from_the_package():
    from kb.nlp import entities

    for name in ("SPAN_KEY", "DEMONYMS_KEY", "DATES_KEY", "Mention", "load_gazetteer", "gazetteer_entries",
                 "operators", "country_names", "name_key", "entity_types", "compatible", "mention_dicts",
                 "nationality_dicts", "EntityTagger", "pieces", "resolve_names", "mention_senses"):
        assert getattr(entities, name) is not None


def test_the_store_does_not_load_spacy():
    code = "import sys, kb.store, kb.curation, kb.nlp.entities; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
