"""Parsed PolNeAR articles, cached as spaCy DocBins in /tmp (never in the repository)."""
from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from spacy.tokens import Doc, DocBin

CACHE = Path(os.environ.get("KB_TRAIN_CACHE", "/tmp/kb_train_cache"))


def annotations(split_dir: Path, stem: str) -> list[Path]:
    """The .ann files of one article (one per annotator: ``<stem>_<annotator>.ann``), by name."""
    return sorted(a for a in (split_dir / "attributions").glob(stem + "_*.ann") if a.stem.rsplit("_", 1)[0] == stem)


def articles(split_dir: Path) -> list[tuple[str, str, Path]]:
    """(article id, text, first .ann file by name) of one PolNeAR split, sorted by id."""
    out = []
    for txt in sorted((split_dir / "text").glob("*.txt")):
        anns = annotations(split_dir, txt.stem)
        if anns:
            with open(txt, encoding="utf-8", newline="") as fh:
                out.append((txt.stem, fh.read(), anns[0]))
    return out


KB = Path(__file__).resolve().parents[1]


def pipeline_sources() -> list[Path]:
    """The files behind the parse besides the spaCy model: kb's own components that run before
    the claims (paragraphs, entities, with the gazetteer). A change to any of them re-parses:
    a cache keyed on the model alone trained on entities an older tagger had found."""
    nlp_dir = KB / "nlp"
    code = [f for f in nlp_dir.rglob("*.py") if "claims" not in f.relative_to(nlp_dir).parts]
    return sorted(code) + [KB / "data" / "gazetteer.json"]


def _key(nlp, texts: list[str]) -> str:
    h = hashlib.sha1((nlp.meta.get("name", "") + nlp.meta.get("version", "")).encode())
    for f in pipeline_sources():
        h.update(f.read_bytes())
    for t in texts:
        h.update(t.encode())
    return h.hexdigest()[:16]


def parsed(nlp, texts: list[str], label: str) -> list[Doc]:
    """Docs of ``texts`` parsed by ``nlp`` without the claim and relation components (cached)."""
    path = CACHE / f"{label}-{_key(nlp, texts)}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    off = [p for p in ("kb_claims", "kb_relations") if p in nlp.pipe_names]
    docs, t0 = [], time.time()
    with nlp.select_pipes(disable=off):
        for i, doc in enumerate(nlp.pipe(texts, batch_size=16)):
            doc.user_data = {}       # custom attributes are re-derived, not stored
            docs.append(doc)
            if i % 100 == 99:
                print(f"  {label}: parsed {i + 1}/{len(texts)} in {time.time() - t0:.0f} s", file=sys.stderr)
    CACHE.mkdir(parents=True, exist_ok=True)
    db = DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "LEMMA", "MORPH", "POS",
                       "SENT_START", "SPACY", "NORM"], store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(path)
    return docs
