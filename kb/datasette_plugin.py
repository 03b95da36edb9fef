"""The kb Datasette plugin: graph exports of edge lists and readable claim cells.

Registered through the ``datasette`` entry point in pyproject.toml. Everything here is
read-only: it renders what Datasette already selected, it never writes.

- Output renderers ``.gexf`` (Gephi), ``.graphml`` and ``.cyjs`` (Cytoscape.js JSON) for
  any table, view or query whose columns include ``source`` and ``target`` (the
  ``edges`` view, the ``co_mentioned`` canned query, or your own SQL). Other columns
  become edge attributes. A paginated table or view is exported whole (every page is
  followed, up to ``MAX_EDGES`` rows), not only the page on screen.
- ``render_cell``: the ``objects`` JSON list of a claim as readable text, and a claim's
  ``sentence`` with the speaker in bold, the cue underlined and the claimed content marked.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any, Iterable, Sequence

from datasette import hookimpl
from datasette.utils import PrefixedUrlString
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from kb.graph import edges_to_graph, export_graph

#: extension -> (kb.graph format, content type)
GRAPH_FORMATS: dict[str, tuple[str, str]] = {
    "gexf": ("gexf", "application/gexf+xml"),
    "graphml": ("graphml", "application/graphml+xml"),
    "cyjs": ("cytoscape", "application/json"),
}
#: At most this many rows become edges in one export (pages are followed up to it).
MAX_EDGES = 50_000
EDGE_COLUMNS = ("source", "target")


# --- graph renderers ------------------------------------------------------------------

def can_render_graph(columns: Sequence[str]) -> bool:
    """True when the rows look like an edge list: they have `source` and `target` columns."""
    return all(c in (columns or ()) for c in EDGE_COLUMNS)


def _plain(value: Any) -> Any:
    """A cell as a scalar: expanded foreign keys ({value, label}) become their label."""
    if isinstance(value, dict) and "value" in value:
        return value.get("label") or value["value"]
    return value


def _as_dicts(columns: Sequence[str], rows: Iterable[Any]) -> list[dict]:
    out = []
    for row in rows:
        if isinstance(row, dict):
            out.append({k: _plain(v) for k, v in row.items()})
        else:
            out.append({c: _plain(v) for c, v in zip(columns, row)})
    return out


def _json_page_path(url: str, ext: str) -> str:
    """The JSON (objects shape, biggest page) twin of a renderer's next-page URL."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if path.endswith("." + ext):
        path = path[: -len(ext)] + "json"
    args = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            if k not in ("_shape", "_size")]
    args += [("_shape", "objects"), ("_size", "max")]
    return path + "?" + urllib.parse.urlencode(args)


async def _remaining_rows(datasette: Any, request: Any, data: dict, ext: str, have: int) -> list[dict]:
    """Follow the table/view pagination (``next_url``) and collect the rows of later pages."""
    rows: list[dict] = []
    next_url = data.get("next_url")
    cookies = dict(request.cookies) if request is not None else None
    while next_url and have + len(rows) < MAX_EDGES:
        response = await datasette.client.get(
            PrefixedUrlString(_json_page_path(next_url, ext)), cookies=cookies)
        if response.status_code != 200:
            break
        page = response.json()
        rows.extend(_as_dicts(page.get("columns") or [], page.get("rows") or []))
        next_url = page.get("next_url")
    return rows


def _filename(ext: str, database: str, table: str | None, query_name: str | None) -> str:
    stem = table or query_name or database or "graph"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") + "." + ext


def _make_renderer(ext: str):
    fmt, content_type = GRAPH_FORMATS[ext]

    async def render(datasette, columns, rows, request, database, table, query_name, data) -> Response:
        """Turn the selected rows into a graph file (edge list -> networkx -> writer)."""
        if not can_render_graph(columns):
            return Response.text(
                f"The .{ext} export needs columns named 'source' and 'target'; "
                f"these rows have: {', '.join(columns) or 'no columns'}.", status=400)
        edges = _as_dicts(columns, rows)
        if table and isinstance(data, dict):
            edges += await _remaining_rows(datasette, request, data, ext, len(edges))
        body = export_graph(edges_to_graph(edges[:MAX_EDGES]), fmt)
        disposition = f'attachment; filename="{_filename(ext, database, table, query_name)}"'
        return Response(body, content_type=content_type,
                        headers={"content-disposition": disposition})

    render.__name__ = f"render_{ext}"
    return render


@hookimpl
def register_output_renderer(datasette: Any) -> list[dict]:
    """``.gexf``, ``.graphml`` and ``.cyjs`` for anything with source/target columns."""
    return [{"extension": ext, "render": _make_renderer(ext), "can_render": can_render_graph}
            for ext in GRAPH_FORMATS]


# --- cells ----------------------------------------------------------------------------

def objects_text(value: Any) -> str | None:
    """A claim's objects JSON (``[{text, entity}]``) as one readable line, or None.

    ``[{"text": "Line", "entity": {"name": "Line", "type": "app"}}]`` -> ``Line (app)``;
    when the text differs from the entity it resolves to: ``Beijing → Chinese government
    (government)``; objects without an entity are shown as written.
    """
    if not isinstance(value, str) or not value.lstrip().startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
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


def _cell(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None


def highlight_sentence(sentence: str, speaker: str | None, cue: str | None, content: str | None) -> Markup | None:
    """The sentence, escaped, with speaker <strong>, cue <u> and content <mark>; None if none found."""
    spans: list[tuple[int, int, str]] = []
    for text, tag in ((content, "mark"), (speaker, "strong"), (cue, "u")):
        if not text:
            continue
        start = sentence.find(text)
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


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Readable claim objects and highlighted claim sentences (HTML pages only)."""
    if column == "objects" and table in ("claims", None):
        text = objects_text(value)
        return None if text is None else Markup(escape(text))
    if column == "sentence" and isinstance(value, str) and table in ("claims", "claims_view", None):
        return highlight_sentence(value, _cell(row, "speaker"), _cell(row, "cue"), _cell(row, "content"))
    return None
