"""Budgets for analysing texts: long texts in pieces, a size limit and a time limit per text.

A text longer than ``PIECE_CHARS`` is analysed in pieces cut at paragraph ends (else at a
line end, a sentence end, a space), each well under spaCy's ``nlp.max_length``; every offset
of a piece's result is moved by the piece's start, so offsets refer to the whole text.

Each text gets a time budget for all its pieces together (``$KB_EXTRACT_SECONDS``, default
60 s; 0: none) and a size budget (``$KB_EXTRACT_MAX_CHARS``, default 5,000,000; 0: none). A
text over either is not analysed: ``analyze_stream`` yields an ``AnalysisError`` for it (one line, the reason)
and goes on with the next. The time budget is a SIGALRM timer in the main thread (nothing
to pay on the normal path); elsewhere the time is checked once the piece is done.
"""
from __future__ import annotations

import os
import re
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, TypeVar

K = TypeVar("K")

PIECE_CHARS = 100_000
# texts parsed together: spaCy's working arrays grow with a group (1,000 articles peaked at
# 650 MB in groups of 16 articles, about 80,000 characters; 360 MB in groups of 30,000), no faster
GROUP_CHARS = 30_000
ENV_SECONDS = "KB_EXTRACT_SECONDS"
ENV_MAX_CHARS = "KB_EXTRACT_MAX_CHARS"
PROJECT_COMPONENTS = ("kb_entities", "kb_claims", "kb_relations")


class AnalysisError(Exception):
    """A text that could not be analysed; the message is one line saying why."""


class OverBudget(AnalysisError):
    """A text over its time or size budget."""


@dataclass(frozen=True)
class Budget:
    """Seconds per piece of text (0: no limit) and characters per text (0: no limit)."""

    seconds: float = 60.0
    max_chars: int = 5_000_000

    @classmethod
    def from_env(cls) -> "Budget":
        """The budget set by $KB_EXTRACT_SECONDS and $KB_EXTRACT_MAX_CHARS (defaults otherwise)."""
        def number(name: str, default: float) -> float:
            raw = os.environ.get(name, "").strip()
            try:
                return max(0.0, float(raw)) if raw else default
            except ValueError:
                return default
        return cls(seconds=number(ENV_SECONDS, cls.seconds), max_chars=int(number(ENV_MAX_CHARS, cls.max_chars)))


NO_BUDGET = Budget(seconds=0, max_chars=0)

_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """The text cut into pieces of at most ``limit`` characters: (start offset, piece).

    Cuts at the last paragraph end in the second half of each window, else the last line end,
    sentence end or space there, else (one 'word' of ``limit`` characters) at the limit.
    """
    out, start = [], 0
    while len(text) - start > limit:
        end = start + limit
        cut = end
        for pattern in _CUTS:
            last = None
            for last in pattern.finditer(text, start + limit // 2, end):
                pass
            if last is not None:
                cut = last.end()
                break
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def shift(value: Any, offset: int) -> Any:
    """A copy of an analysis result with every character offset (keys ``start``, ``end``,
    ``*_start``, ``*_end`` holding an int) moved by ``offset``."""
    if isinstance(value, dict):
        return {k: (v + offset if isinstance(v, int) and not isinstance(v, bool) and _offset_key(k)
                    else shift(v, offset)) for k, v in value.items()}
    if isinstance(value, list):
        return [shift(v, offset) for v in value]
    return value


def _offset_key(key: str) -> bool:
    return key in ("start", "end") or key.endswith(("_start", "_end"))


def merge(text: str, parts: list[tuple[int, dict]]) -> dict:
    """One result for the whole text from the results of its pieces (start offset, result)."""
    if len(parts) == 1 and parts[0][0] == 0:
        return {**parts[0][1], "text": text}
    out: dict = {"text": text}
    for offset, result in parts:
        moved = shift({k: v for k, v in result.items() if k != "text"}, offset)
        for key, items in moved.items():
            out.setdefault(key, []).extend(items if isinstance(items, list) else [items])
    for key in ("entities", "claims", "relations"):
        out.setdefault(key, [])
    return out


class deadline:
    """``with deadline(seconds):`` raises OverBudget once the block has run that long.

    In the main thread a SIGALRM timer interrupts the block (repeating each second, should
    a library swallow the first); in other threads the block runs to its end and is then
    judged by its elapsed time. An enclosing timer (another alarm) is restored afterwards.
    """

    def __init__(self, seconds: float, what: str = "text") -> None:
        self.seconds, self.what = seconds, what
        self.fired = False
        self._old_handler: Any = None
        self._old_timer = (0.0, 0.0)
        self._armed = False

    def _fire(self, signum: int, frame: Any) -> None:
        self.fired = True
        raise self.error()

    def error(self) -> OverBudget:
        return OverBudget(f"{self.what} over the time budget of {self.seconds:g} s ({ENV_SECONDS})")

    def __enter__(self) -> "deadline":
        self.t0 = time.monotonic()
        if self.seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGALRM, self._fire)
            self._old_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds, 1.0)
            self._armed = True
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        elapsed = time.monotonic() - self.t0
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_handler)
            if self._old_timer[0] > 0:       # give an enclosing alarm what it had left
                signal.setitimer(signal.ITIMER_REAL, max(self._old_timer[0] - elapsed, 0.001), self._old_timer[1])
        if exc_type is None and self.seconds > 0 and (self.fired or elapsed > self.seconds):
            raise self.error()
        return False


def _parse(nlp, texts: list[str], batch_size: int) -> list:
    """spaCy's own components (and kb_paragraphs) over a batch of texts, in one pass each."""
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        if name in PROJECT_COMPONENTS:
            continue
        docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
    return docs


def _finish(nlp, doc, reports: bool) -> dict:
    """kb's components on a parsed doc, and the result's contract form."""
    from . import doc_to_dict

    for name, proc in nlp.pipeline:
        if name in PROJECT_COMPONENTS:
            doc = proc(doc)
    return doc_to_dict(doc, reports)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, AnalysisError):
        return str(exc)
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class _Item:
    def __init__(self, key: Any, text: str) -> None:
        self.key, self.text = key, text
        self.parts: list[tuple[int, dict]] = []
        self.error: AnalysisError | None = None
        self.spent = 0.0        # seconds of analysis so far, all pieces together


def analyze_stream(items: Iterable[tuple[K, str]], nlp, *, budget: Budget = NO_BUDGET, batch_size: int = 16,
                   reports: bool = False) -> Iterator[tuple[K, dict | AnalysisError]]:
    """Analyse (key, text) pairs; yields (key, result) in input order, or (key, AnalysisError)
    for a text over budget or one the pipeline failed on. Nothing else stops the stream.

    Texts are taken lazily in batches of up to ``batch_size`` texts or ``GROUP_CHARS``
    characters, so memory stays that of one batch.
    """
    batch: list[_Item] = []
    size = 0
    for key, text in items:
        item = _Item(key, text or "")
        batch.append(item)
        size += len(item.text)
        if len(batch) >= batch_size or size >= GROUP_CHARS:
            yield from _run(nlp, batch, budget, batch_size, reports)
            batch, size = [], 0
    if batch:
        yield from _run(nlp, batch, budget, batch_size, reports)


def _run(nlp, batch: list[_Item], budget: Budget, batch_size: int, reports: bool) -> Iterator[tuple]:
    """Analyse one batch of items (their pieces in groups of at most GROUP_CHARS characters)."""
    work: list[tuple[_Item, int, str]] = []
    for item in batch:
        if budget.max_chars and len(item.text) > budget.max_chars:
            item.error = OverBudget(f"text of {len(item.text):,} characters is over the size budget of "
                                    f"{budget.max_chars:,} ({ENV_MAX_CHARS})")
            continue
        work += [(item, start, piece) for start, piece in pieces(item.text)]
    group: list[tuple[_Item, int, str]] = []
    size = 0
    for w in work:
        if group and size + len(w[2]) > GROUP_CHARS:
            _group(nlp, group, budget, batch_size, reports)
            group, size = [], 0
        group.append(w)
        size += len(w[2])
    if group:
        _group(nlp, group, budget, batch_size, reports)
    for item in batch:
        yield item.key, item.error if item.error is not None else merge(item.text, item.parts)


def _group(nlp, group: list[tuple[_Item, int, str]], budget: Budget, batch_size: int, reports: bool) -> None:
    """Parse a group of pieces together (one by one when that fails), then finish each piece."""
    group = [w for w in group if w[0].error is None]
    if not group:
        return
    t0 = time.monotonic()
    try:
        with deadline(budget.seconds, "text"):
            docs = _parse(nlp, [w[2] for w in group], batch_size)
    except Exception as exc:
        if len(group) == 1:
            group[0][0].error = exc if isinstance(exc, AnalysisError) else AnalysisError(_reason(exc))
            return
        for w in group:   # find the piece at fault: each alone
            _group(nlp, [w], budget, batch_size, reports)
        return
    chars = sum(len(w[2]) for w in group) or 1
    for item, _, piece in group:           # the parse's time, shared by the pieces' lengths
        item.spent += (time.monotonic() - t0) * len(piece) / chars
    for (item, start, _), doc in zip(group, docs):
        if item.error is not None:
            continue
        left = budget.seconds - item.spent if budget.seconds else 0.0
        if budget.seconds and left <= 0:   # the budget is the article's, all its pieces together
            item.error = OverBudget(f"text over the time budget of {budget.seconds:g} s ({ENV_SECONDS})")
            continue
        t = time.monotonic()
        try:
            with deadline(left, "text"):
                item.parts.append((start, _finish(nlp, doc, reports)))
        except OverBudget:
            item.error = OverBudget(f"text over the time budget of {budget.seconds:g} s ({ENV_SECONDS})")
        except Exception as exc:
            item.error = exc if isinstance(exc, AnalysisError) else AnalysisError(_reason(exc))
        finally:
            item.spent += time.monotonic() - t
