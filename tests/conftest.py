"""Shared test helpers: where the real-world data lives (read in place, never copied)."""
from pathlib import Path

import pytest

from kb.nlp.claims.assembly import QUOTE_GAP

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
#: The seed article: ../shared/seed, else the copy that ships with the demo (kb/data/demo).
DEMO_SEED = Path(__file__).resolve().parents[1] / "kb" / "data" / "demo" / "000_ad39916bedaa8f97.txt"
SEED = next((p for p in (SHARED / "seed" / "000_ad39916bedaa8f97.txt", DEMO_SEED) if p.exists()),
            SHARED / "seed" / "000_ad39916bedaa8f97.txt")
CORPUS = SHARED / "corpus"


def need(path: Path) -> Path:
    """Skip the calling test with a clear reason when shared data is absent."""
    if not path.exists():
        pytest.skip(f"shared test data not found: {path} (tests read ../shared beside the repository)")
    return path


@pytest.fixture
def seed_path() -> Path:
    return need(SEED)


@pytest.fixture
def corpus() -> Path:
    return need(CORPUS)


def ingest_text(db, source: str, text: str) -> int:
    """Store a text as an article of `db` with its analysis; its id."""
    from ingest.article import Article
    from kb import store
    from kb.nlp import analyze

    pk, _ = store.store_article(db, Article(source=source, text=text))
    store.save_analysis(db, pk, analyze(text))
    return pk


def ingested_file(tmp_path: Path, text: str):
    """A database in tmp_path after ``kb ingest`` of one file holding ``text`` (title lines and all)."""
    from kb import jobs, store

    src = tmp_path / "story.txt"
    src.write_text(text, encoding="utf-8")
    db = store.open_db(tmp_path / "kb.db")
    jobs.ingest(db, [str(src)])
    return db


def content_of(text: str, c: dict) -> bool:
    """The claim's content is the text at its offsets, or for a quote broken by its own cue
    sentence the two quoted pieces 'X … Y' at the ends of it."""
    span = text[c["content_start"]:c["content_end"]]
    first, _, last = c["content"].partition(QUOTE_GAP)
    return c["content"] == span or bool(first and last) and span.startswith(first) and span.endswith(last) \
        and len(first) + len(last) < len(span)
