"""Cells of Datasette's tables and queries as a journalist reads them, and the URLs of the
plugin's pages.

Column names are the interface: a ``claim_id`` (or a claim table's ``id``) links to the
claim card, an ``article_id`` to the article page, ``speaker_id`` / ``entity_id`` /
``subject_entity_id``... to the entity page, a ``thread_id`` to the thread page, whatever
table or query they come from. Yes/No for booleans, dates without their seconds, a claim's
objects JSON as words, its sentence with the speaker, cue and content marked.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any, Callable, Sequence

from datasette.utils import to_css_class
from markupsafe import Markup, escape

from kb.nlp.claims.assembly import QUOTE_GAP

PAGES = {"entity": "/-/kb/entity", "thread": "/-/kb/thread", "claim": "/-/kb/claim", "article": "/-/kb/article",
         "search": "/-/kb/search"}

#: column -> the page its id opens, in any table or query.
ID_COLUMNS = {
    "claim_id": "claim", "contradicted_by": "claim", "matched_claim_id": "claim",
    "article_id": "article", "duplicate_of": "article", "near_duplicate_of": "article", "reprint_of": "article",
    "entity_id": "entity", "other_id": "entity", "speaker_id": "entity", "speaker_entity_id": "entity",
    "subject_id": "entity", "subject_entity_id": "entity", "object_id": "entity", "claimant_entity_id": "entity",
    "via_entity_id": "entity", "thread_id": "thread",
}
#: a table's own ``id`` column -> its page.
TABLE_PAGES = {"claims": "claim", "claims_view": "claim", "articles": "article", "stories": "article",
               "entities": "entity", "claim_threads": "thread"}
#: columns holding a name shown as a link to the page of the id beside it.
NAME_COLUMNS = {"speaker_name": ("speaker_id", "entity"), "subject_name": ("subject_id", "entity"),
                "article_title": ("article_id", "article"), "thread_label": ("thread_id", "thread")}
BOOLEAN_COLUMNS = {"direct_quote", "followed", "revision", "prospective", "realized", "checked"}
DATE_COLUMNS = {"published_at", "updated_at", "ingested_at", "extracted_at", "occurred_at", "resolved_at",
                "last_checked_at", "created_at", "at", "first_seen", "last_seen"}
#: Every column render() may change (the others are left to Datasette at once).
SHOWN = frozenset({"id", "name", "title", "label", "objects", "sentence", *ID_COLUMNS, *NAME_COLUMNS,
                   *BOOLEAN_COLUMNS, *DATE_COLUMNS, *("independent_sources", "deadlines", "flags")})
ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")


def page_url(datasette: Any, kind: str, database: str, item: Any = None) -> str:
    bases = getattr(datasette, "_kb_page_bases", None)   # a table page links ~2,000 ids: each base built once
    if bases is None:
        bases = {}
        try:
            datasette._kb_page_bases = bases
        except AttributeError:
            pass
    base = bases.get((kind, database))
    if base is None:
        base = bases[(kind, database)] = datasette.urls.path(f"{PAGES[kind]}/{urllib.parse.quote(database, safe='')}")
    return base if item is None else f"{base}/{item}"


def yes_no(value: Any) -> str | None:
    """0/1 (or "0"/"1", true/false) as No/Yes; None for anything else."""
    if value in (1, True, "1", "true", "True"):
        return "Yes"
    if value in (0, False, "0", "false", "False"):
        return "No"
    return None


def readable_date(value: Any) -> str | None:
    """An ISO timestamp as "2014-08-04 13:29" (a bare date stays as it is); None if not one."""
    if not isinstance(value, str):
        return None
    m = ISO.match(value.strip())
    if not m:
        return None
    return m.group(1) if m.group(2) == "00:00" else f"{m.group(1)} {m.group(2)}"


def json_list(value: Any) -> list | None:
    """A cell holding a JSON list, parsed; None for anything else."""
    if not isinstance(value, str) or not value.lstrip().startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    return items if isinstance(items, list) else None


def objects_text(value: Any) -> str | None:
    """A claim's objects JSON (``[{text, entity}]``) as one readable line, or None.

    ``[{"text": "Line", "entity": {"name": "Line", "type": "app"}}]`` -> ``Line (app)``;
    when the text differs from the entity it resolves to: ``Beijing → Chinese government
    (government)``; objects without an entity are shown as written.
    """
    items = json_list(value)
    if items is None:
        return None
    parts = []
    for item in items:
        if not isinstance(item, dict):
            parts.append(str(item))
            continue
        text = (item.get("text") or "").strip()
        ent = item.get("entity") if isinstance(item.get("entity"), dict) else None
        if ent and ent.get("name"):
            label = f"{ent['name']} ({ent.get('type') or 'other'})"
            parts.append(label if not text or text == ent["name"] else f"{text} → {label}")
        elif text:
            parts.append(text)
    return "; ".join(parts) if parts else "—"


def highlight_sentence(sentence: str, speaker: str | None, cue: str | None, content: str | None) -> Markup | None:
    """The sentence, escaped, with speaker <strong>, cue <u> and content <mark>; None if none found."""
    spans: list[tuple[int, int, str]] = []
    pieces = [(piece, "mark") for piece in (  # a quote broken by its cue ('X … Y'): both pieces
        [content] if not content or content in sentence else content.split(QUOTE_GAP))]
    for text, tag in (*pieces, (speaker, "strong"), (cue, "u")):
        if not text:
            continue
        found = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", sentence)   # "he", not the "he" of "the"
        start = found.start() if found else sentence.find(text)
        if start < 0:
            continue
        end = start + len(text)
        if any(start < e and s < end for s, e, _ in spans):
            continue  # overlapping spans: keep the first (content wins)
        spans.append((start, end, tag))
    if not spans:
        return None
    out, pos = [], 0
    for start, end, tag in sorted(spans):
        out.append(str(escape(sentence[pos:start])))
        out.append(f"<{tag}>{escape(sentence[start:end])}</{tag}>")
        pos = end
    out.append(str(escape(sentence[pos:])))
    return Markup("".join(out))


THREAD_JSON_CELLS = ("independent_sources", "deadlines", "flags")


def thread_json_text(column: str, value: Any) -> str | None:
    """A thread's JSON lists in words: outlets, "2015-06-30 (claim 9)", "speaker reversal: Greece"."""
    items = json_list(value)
    if items is None:
        return None
    if column == "independent_sources":
        return ", ".join(str(i) for i in items)
    if column == "deadlines":
        return ", ".join(f"{d.get('date')} (claim {d.get('claim_id')})" for d in items if isinstance(d, dict))
    return "; ".join(f"{str(f.get('flag') or 'flag').replace('_', ' ')}: {f.get('speaker') or '?'}"
                     for f in items if isinstance(f, dict))


def table_body(rows: Sequence[Sequence[dict]], order: Callable | None = None) -> Markup:
    """The ``<tr>`` rows of a Datasette table page (its ``display_rows``: cells with ``column``,
    ``value_type`` and ``value``), the markup of Datasette's _table.html written in one pass:
    Jinja's async rendering costs a few microseconds an expression, 100 ms and more for a page
    of the 45-column claims table. ``order(row, "column")`` reorders each row's cells."""
    classes: dict[str, str] = {}
    out = []
    for row in rows:
        out.append("<tr>")
        for c in order(row, "column") if order else row:
            name = c["column"]
            css = classes.get(name) or classes.setdefault(name, str(escape(to_css_class(name))))
            out.append(f'<td class="col-{css} type-{escape(c["value_type"])}">{escape(c["value"])}</td>')
        out.append("</tr>\n")
    return Markup("".join(out))


def query_body(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Markup:
    """The ``<tr>`` rows of a query page (Datasette's query.html markup), written in one pass."""
    classes = [f'<td class="col-{escape(to_css_class(c))}">' for c in columns]
    return Markup("".join("<tr>" + "".join(f"{td}{escape(v)}</td>" for td, v in zip(classes, row)) + "</tr>\n"
                          for row in rows))


def cell(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None


def link(href: str, text: Any, title: str | None = None) -> Markup:
    extra = f' title="{escape(title)}"' if title else ""
    return Markup(f'<a href="{escape(href)}"{extra}>{escape(text)}</a>')


def id_link(datasette: Any, database: str, kind: str, value: Any) -> Markup | None:
    """An id cell (a number, or an expanded foreign key {value, label}) as a link to its page."""
    ident, label = (value.get("value"), value.get("label")) if isinstance(value, dict) else (value, None)
    if not str(ident).isdigit():
        return None
    text = label if label not in (None, "", ident, str(ident)) else ident
    return link(page_url(datasette, kind, database, ident), text, f"{kind} {ident}")


def render(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """The kb display of one cell, or None to leave it to Datasette (see the module docstring)."""
    if value is None or value == "" or column not in SHOWN:    # most cells: as Datasette shows them
        return None
    if column == "id" and table in TABLE_PAGES:
        return id_link(datasette, database, TABLE_PAGES[table], value)
    if column in ID_COLUMNS:
        return id_link(datasette, database, ID_COLUMNS[column], value)
    if column in ("name", "title", "label") and isinstance(value, str) and table in TABLE_PAGES:
        ident = cell(row, "id")
        if str(ident).isdigit():
            kind = TABLE_PAGES[table]
            return link(page_url(datasette, kind, database, ident), value, f"{kind} {ident}")
    if column in NAME_COLUMNS and isinstance(value, str):
        id_column, kind = NAME_COLUMNS[column]
        ident = cell(row, id_column)
        if isinstance(ident, dict):
            ident = ident.get("value")
        if str(ident).isdigit():
            return link(page_url(datasette, kind, database, ident), value)
    if column in BOOLEAN_COLUMNS:
        word = yes_no(value)
        return None if word is None else Markup(word)
    if column in DATE_COLUMNS:
        day = readable_date(value)
        return None if day is None else Markup(f'<time datetime="{escape(value)}">{escape(day)}</time>')
    if table == "claim_threads" and column in THREAD_JSON_CELLS:
        text = thread_json_text(column, value)
        return None if text is None else Markup(escape(text) if text else "&nbsp;")
    if column == "objects":
        text = objects_text(value)
        return None if text is None else Markup(escape(text))
    if column == "sentence" and isinstance(value, str):
        return highlight_sentence(value, cell(row, "speaker"), cell(row, "cue"), cell(row, "content"))
    return None
