"""A faster match step for spaCy's attribute ruler (same matches, found by table lookup).

en_core_web_sm's ``attribute_ruler`` spends most of its time in a general ``Matcher``
run over every token, though its ~180 patterns are one or two tokens long and test only
TAG, LOWER, DEP and IS_SPACE. ``speed_up(ruler)`` compiles those patterns into tables
keyed by tag and lower-case form and swaps the ruler's ``match`` for a lookup returning
the same sorted ``(pattern id, match id, start, end)`` list, and sets the attributes as
spaCy does (``set_token_attrs``) without building a Span per match. A ruler with any
other kind of pattern is left as it is.
"""
from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

COLS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]


class Unsupported(ValueError):
    """A pattern this module does not compile (the stock matcher is kept)."""


def _hash(strings, value) -> int:
    if isinstance(value, bool):
        return int(value)
    if not isinstance(value, str):
        raise Unsupported(repr(value))
    return strings.add(value)


def compile_token(spec: dict, strings) -> list[tuple[int, str, object]]:
    """One token spec -> [(column, "in" | "not_in" | "re", hashes or regex)]."""
    conds = []
    for key, val in spec.items():
        if key not in COLS:
            raise Unsupported(key)
        col = COLS[key]
        if isinstance(val, dict):
            if len(val) != 1:
                raise Unsupported(repr(val))
            (op, arg), = val.items()
            if op in ("IN", "NOT_IN"):
                conds.append((col, op.lower(), frozenset(_hash(strings, x) for x in arg)))
            elif op == "REGEX" and key == "LOWER":
                conds.append((col, "re", re.compile(arg)))
            else:
                raise Unsupported(op)
        else:
            conds.append((col, "in", frozenset([_hash(strings, val)])))
    return conds


class Tables:
    """The compiled patterns of one ruler, indexed by the first token's tag or form."""

    def __init__(self, ruler):
        strings = ruler.vocab.strings
        self.strings = strings
        self.by_tag: dict[int, list] = {}
        self.by_lower: dict[int, list] = {}
        self.always: list = []
        self.multi_first: dict[int, list] = {}      # by the first token's form (or tag)
        self.multi_always: list = []
        self.cache: dict[tuple, tuple] = {}
        for pid, m_id in enumerate(self._ids(ruler)):
            for pattern in ruler.matcher.get(m_id)[1]:
                if not pattern:
                    raise Unsupported("empty pattern")
                toks = [compile_token(spec, strings) for spec in pattern]
                entry = (pid, m_id, toks)
                first = {col: vals for col, op, vals in toks[0] if op == "in"}
                if len(toks) > 1:       # few: "gon na", "ai n't", expletive + "is"
                    keys = first.get(1) or first.get(0)
                    if keys:
                        for h in keys:
                            self.multi_first.setdefault(h, []).append(entry)
                    else:
                        self.multi_always.append(entry)
                if 0 in first:
                    for h in first[0]:
                        self.by_tag.setdefault(h, []).append(entry)
                elif 1 in first:
                    for h in first[1]:
                        self.by_lower.setdefault(h, []).append(entry)
                else:
                    self.always.append(entry)

    @staticmethod
    def _ids(ruler) -> list[int]:
        ids = [ruler.vocab.strings[str(i)] for i in range(len(ruler.attrs))]
        if any(i not in ruler.matcher for i in ids) or len(ruler.matcher) != len(ids):
            raise Unsupported("matcher keys")
        return ids

    def _ok(self, conds, row) -> bool:
        for col, op, vals in conds:
            v = row[col]
            if op == "in":
                if v not in vals:
                    return False
            elif op == "not_in":
                if v in vals:
                    return False
            elif not vals.search(self.strings[v] if v else ""):
                return False
        return True

    def _single(self, row: tuple) -> tuple:
        """(pattern id, match id) of the one-token patterns a token with these values matches."""
        hit = self.cache.get(row)
        if hit is None:
            found = {(pid, m_id) for entries in (self.by_tag.get(row[0], ()), self.by_lower.get(row[1], ()),
                                                 self.always)
                     for pid, m_id, toks in entries if len(toks) == 1 and self._ok(toks[0], row)}
            hit = self.cache[row] = tuple(sorted(found))
            if len(self.cache) > 500_000:
                self.cache.clear()
        return hit

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if not len(doc):
            return []
        rows = [tuple(r) for r in doc.to_array(ARRAY_ATTRS).tolist()]
        n, out = len(rows), []
        single, multi = self._single, self.multi_first
        for i, row in enumerate(rows):
            for pid, m_id in single(row):
                out.append((pid, m_id, i, i + 1))
            if row[1] in multi or row[0] in multi or self.multi_always:
                for pid, m_id, toks in multi.get(row[1], []) + multi.get(row[0], []) + self.multi_always:
                    k = len(toks)
                    if i + k <= n and all(self._ok(toks[j], rows[i + j]) for j in range(k)):
                        out.append((pid, m_id, i, i + k))
        out = sorted(set(out))
        return out


def speed_up(ruler) -> bool:
    """Swap the ruler's matcher run for table lookup; False (and nothing changed) if its
    patterns use anything but TAG/LOWER/DEP/IS_SPACE with equality, IN, NOT_IN, REGEX."""
    if getattr(ruler, "_kb_tables", None) is not None:
        return True
    try:
        tables = Tables(ruler)
    except (Unsupported, KeyError, TypeError, ValueError):
        return False
    stock_set = ruler.set_annotations

    def set_annotations(doc: Doc, matches) -> None:
        """spaCy's, without a Span per match: the target token is start + index."""
        for pid, _m, start, end in matches:
            idx = ruler.indices[pid]
            t = start + idx if idx >= 0 else end + idx
            if not start <= t < end:
                return stock_set(doc, matches)      # spaCy raises its own error
        for pid, _m, start, end in matches:
            idx = ruler.indices[pid]
            set_token_attrs(doc[start + idx if idx >= 0 else end + idx], ruler.attrs[pid])

    ruler._kb_tables = tables
    ruler.match = tables.match
    ruler.set_annotations = set_annotations
    return True
