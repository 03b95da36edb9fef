"""The kb Datasette plugin: graph exports of edge lists and readable claim cells.

Registered through the ``datasette`` entry point in pyproject.toml. Everything here is
read-only: it renders what Datasette already selected, it never writes.

- Output renderers ``.gexf`` (Gephi), ``.graphml`` and ``.cyjs`` (Cytoscape.js JSON) for
  any table, view or query whose columns include ``source`` and ``target`` (the
  ``edges`` view, the ``co_mentioned`` canned query, or your own SQL). Other columns
  become edge attributes. A paginated table or view is exported whole (every page is
  followed, up to ``MAX_EDGES`` rows), not only the page on screen.
- ``render_cell``: the ``objects`` JSON list of a claim as readable text, a claim's
  ``sentence`` with the speaker in bold, the cue underlined and the claimed content marked,
  and every ``thread_id`` (and a thread's ``label``) as a link to the thread page.
- Pages: ``/-/kb/entity/DB/ID`` (kb.entity_page) and ``/-/kb/thread/DB/ID`` (kb.thread_page),
  each with a ``.json`` twin; anything else under ``/-/kb/`` is a clean 404 page.
- ``claim_threads`` in Datasette's table and row pages shows the columns a journalist reads
  first (label, status, deadline, sources, ...) before the plumbing (key, participants).
"""
from __future__ import annotations

import importlib.resources
import json
import re
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any, Iterable, Sequence

from datasette import hookimpl
from datasette.utils import PrefixedUrlString
from datasette.utils.asgi import Forbidden, Response, asgi_send_file, asgi_static
from markupsafe import Markup, escape

from kb import entity_page, thread_page
from kb.graph import edges_to_graph, export_graph
from kb.serving import limit_connection

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


# --- what one request may cost --------------------------------------------------------

@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    """Cap the size of one value and of the SQL text on every connection (kb.serving)."""
    limit_connection(conn, (datasette.plugin_config("kb") or {}).get("max_value_bytes"))


# --- cells ----------------------------------------------------------------------------

def _json_list(value: Any) -> list | None:
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
    items = _json_list(value)
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


def _thread_link(datasette: Any, database: str, value: Any) -> Markup | None:
    """A ``thread_id`` cell (a number, or an expanded foreign key) as a link to the thread page."""
    tid, label = (value.get("value"), value.get("label")) if isinstance(value, dict) else (value, None)
    if not str(tid).isdigit():
        return None
    text = label if label not in (None, "", tid, str(tid)) else tid
    return Markup(f'<a href="{escape(thread_url(datasette, database, tid))}" title="thread {escape(tid)}">'
                  f'{escape(text)}</a>')


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Readable claim objects, highlighted claim sentences, links to entity and thread pages."""
    if column == "name" and table == "entities" and isinstance(value, str):
        eid = _cell(row, "id")
        if eid is not None:
            return Markup(f'<a href="{escape(entity_url(datasette, database, eid))}">{escape(value)}</a>')
    if column == "thread_id" and value not in (None, ""):
        return _thread_link(datasette, database, value)
    if column == "label" and table == "claim_threads" and isinstance(value, str):
        tid = _cell(row, "id")
        return None if tid is None else _thread_link(datasette, database, {"value": tid, "label": value})
    if table == "claim_threads" and column in THREAD_JSON_CELLS:
        text = thread_json_text(column, value)
        return None if text is None else Markup(escape(text) if text else "&nbsp;")
    if column == "objects" and table in ("claims", None):
        text = objects_text(value)
        return None if text is None else Markup(escape(text))
    if column == "sentence" and isinstance(value, str) and table in ("claims", "claims_view", None):
        return highlight_sentence(value, _cell(row, "speaker"), _cell(row, "cue"), _cell(row, "content"))
    return None


# --- claim_threads as a table: the columns a journalist reads first ------------------------

THREAD_JSON_CELLS = ("independent_sources", "deadlines", "flags")


def thread_json_text(column: str, value: Any) -> str | None:
    """A thread's JSON lists in words: outlets, "2015-06-30 (claim 9)", "speaker reversal: Greece"."""
    items = _json_list(value)
    if items is None:
        return None
    if column == "independent_sources":
        return ", ".join(str(i) for i in items)
    if column == "deadlines":
        return ", ".join(f"{d.get('date')} (claim {d.get('claim_id')})" for d in items if isinstance(d, dict))
    return "; ".join(f"{str(f.get('flag') or 'flag').replace('_', ' ')}: {f.get('speaker') or '?'}"
                     for f in items if isinstance(f, dict))


#: claim_threads columns shown first (after the id), in this order; the others follow.
THREAD_COLUMNS = ("label", "status", "status_since", "deadline", "sources", "claims", "first_seen", "last_seen",
                  "independent_sources", "statements", "flags", "deadlines", "event")
_TEMPLATES: dict[tuple[int, str], Any] = {}


def lead_first(items: Sequence[dict], key: str) -> list[dict]:
    """Columns (or a row's cells) with the id, then THREAD_COLUMNS, then the rest in table order."""
    def rank(item: dict) -> int:
        name = item.get(key)
        return -1 if name == "id" else THREAD_COLUMNS.index(name) if name in THREAD_COLUMNS else len(THREAD_COLUMNS)
    return sorted(items, key=rank)


def _template(datasette: Any, name: str) -> Any:
    """A template of kb/templates compiled once per Datasette environment."""
    key = (id(datasette.jinja_env), name)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = datasette.jinja_env.from_string((TEMPLATE_DIR / name).read_text(encoding="utf-8"))
    return _TEMPLATES[key]


@hookimpl
def extra_css_urls(template: str, table: str | None, datasette: Any) -> list[str]:
    """thread.css on claim_threads' table and row pages (a wider label column)."""
    if table == "claim_threads" and template in ("table.html", "row.html"):
        return [datasette.urls.path("/-/kb/static/thread.css")]
    return []


@hookimpl
def extra_template_vars(template: str, table: str | None, datasette: Any) -> dict | None:
    """claim_threads' table and row pages list their columns with ``lead_first``."""
    if table != "claim_threads" or template not in ("table.html", "row.html"):
        return None
    return {"custom_table_templates": [_template(datasette, "kb_threads_table.html")], "kb_lead_first": lead_first}


# --- the entity page ------------------------------------------------------------------

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
ENTITY_PATH = "/-/kb/entity"
THREAD_PATH = "/-/kb/thread"


def vis_network_js() -> Path | None:
    """vis-network's standalone build, as shipped inside the pyvis package (no CDN)."""
    try:
        root = importlib.resources.files("pyvis") / "lib"
    except ModuleNotFoundError:
        return None
    found = sorted(Path(str(root)).glob("vis-*/vis-network.min.js"))
    return found[-1] if found else None


def safe_href(url: Any) -> str | None:
    """A link target only for http(s) URLs: an article's URL never becomes `javascript:`."""
    if isinstance(url, str) and urllib.parse.urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def entity_url(datasette: Any, database: str, entity_id: Any = None) -> str:
    base = datasette.urls.path(f"{ENTITY_PATH}/{urllib.parse.quote(database, safe='')}")
    return base if entity_id is None else f"{base}/{entity_id}"


def thread_url(datasette: Any, database: str, thread_id: Any = None) -> str:
    base = datasette.urls.path(f"{THREAD_PATH}/{urllib.parse.quote(database, safe='')}")
    return base if thread_id is None else f"{base}/{thread_id}"


def _int_id(raw: str) -> int | None:
    """An id from the URL: ASCII digits that fit SQLite's integers, else None (a clean 404)."""
    return int(raw) if re.fullmatch(r"[0-9]{1,18}", raw or "") else None


async def _read(db: Any, fn: Any) -> Any:
    """fn(conn) on the database; None when it has no kb tables (another database served beside)."""
    try:
        return await db.execute_fn(fn)
    except sqlite3.OperationalError as exc:
        if "no such" in str(exc):
            return None
        raise


def clean_errors(view: Any) -> Any:
    """A page view whose permission refusal is a clean 403 page (Datasette's own error page
    raises under `rich` for paths of four or more segments)."""
    async def wrapped(datasette: Any, request: Any) -> Response:
        try:
            return await view(datasette, request)
        except Forbidden as exc:
            return await error_page(datasette, request, str(exc) or "Forbidden", 403)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


async def error_page(datasette: Any, request: Any, message: str, status: int = 404) -> Response:
    """A clean error page (JSON for ``.json`` paths), never a traceback."""
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": status}, status=status)
    context = {"ok": False, "error": message, "status": status, "title": "Not found" if status == 404 else "Forbidden"}
    return Response.html(await datasette.render_template(["error.html"], context, request=request), status=status)


async def _database(datasette: Any, request: Any) -> Any:
    """The requested database, once the actor may view it; None when there is none by that name."""
    database = request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        return None
    await datasette.ensure_permissions(request.actor, [("view-database", database), "view-instance"])
    return db


async def _entity(datasette: Any, request: Any) -> dict | None:
    db = await _database(datasette, request)
    eid = _int_id(request.url_vars["entity_id"])
    if db is None or eid is None:
        return None
    return await _read(db, lambda conn: entity_page.entity_data(conn, eid))


@clean_errors
async def entity_json(datasette: Any, request: Any) -> Response:
    """Everything about one entity, including its neighbourhood graph, as JSON."""
    data = await _entity(datasette, request)
    if data is None:
        return await error_page(datasette, request, "no such entity")
    return Response.json(data)


@clean_errors
async def entity_html(datasette: Any, request: Any) -> Response:
    """The entity page: aliases, claims by and about it, relations, timeline, graph."""
    database = request.url_vars["database"]
    data = await _entity(datasette, request)
    if data is None:
        missing = request.url_vars["entity_id"]
        return await error_page(datasette, request, f"No entity {missing} in database {database!r}.")
    for row in data["claims_by"] + data["claims_about"] + data["relations"]:
        row["article_href"] = safe_href(row.get("article_url"))
    eid = data["entity"]["id"]
    template = _template(datasette, "kb_entity.html")
    context = {
        **data, "database": database, "max_claims": entity_page.MAX_CLAIMS,
        "thread_base": thread_url(datasette, database),
        "entity_base": entity_url(datasette, database), "json_url": entity_url(datasette, database, f"{eid}.json"),
        "static_url": datasette.urls.path("/-/kb/static"), "vis_url": datasette.urls.path("/-/kb/vis-network.min.js"),
        "timeline_max": max([t["articles"] + t["claims_by"] + t["claims_about"] for t in data["timeline"]] + [1]),
    }
    return Response.html(await datasette.render_template(template, context, request=request))


@clean_errors
async def entity_by_name(datasette: Any, request: Any) -> Response:
    """``?name=...``: redirect to the page of the entity with that name or alias."""
    database = request.url_vars["database"]
    name = request.args.get("name", "")
    db = await _database(datasette, request)
    eid = await db.execute_fn(lambda conn: entity_page.find_entity_id(conn, name)) if db and name else None
    if eid is None:
        return await error_page(datasette, request, f"No entity named {name!r}.")
    return Response.redirect(entity_url(datasette, database, eid))


# --- the thread page --------------------------------------------------------------------

@clean_errors
async def thread_view(datasette: Any, request: Any) -> Response:
    """A claim thread: status and what it means, deadlines, sources, flags, every status
    change with its cause, and its claims in date order with why each joined (``.json``: data)."""
    database, raw = request.url_vars["database"], request.url_vars["thread_id"]
    db = await _database(datasette, request)
    tid = _int_id(raw)
    data = None if db is None or tid is None else await _read(db, lambda conn: thread_page.thread_data(conn, tid))
    if data is None:
        return await error_page(datasette, request, f"No claim thread {raw} in database {database!r}.")
    if request.url_vars.get("ext"):
        return Response.json(data)
    for c in data["claims"]:
        c["article_href"] = safe_href(c["article_link"])
    context = {
        **data, "database": database, "entity_base": entity_url(datasette, database),
        "thread_base": thread_url(datasette, database), "json_url": thread_url(datasette, database, f"{tid}.json"),
        "static_url": datasette.urls.path("/-/kb/static"), "highlight": highlight_sentence,
    }
    return Response.html(await datasette.render_template(_template(datasette, "kb_thread.html"), context,
                                                         request=request))


async def kb_not_found(datasette: Any, request: Any) -> Response:
    """Any other path under /-/kb/: a clean 404 (Datasette's own fails there under `rich`)."""
    return await error_page(datasette, request, f"Nothing at {request.path}.")


def static_files(root: Path) -> Any:
    """asgi_static of `root`; a path the file system refuses (too long, NUL) is a 404, not a 500."""
    inner = asgi_static(str(root))

    async def static(request: Any, send: Any) -> None:
        try:
            (root / request.scope["url_route"]["kwargs"]["path"]).resolve().is_dir()
        except (OSError, ValueError):
            return await Response.text("404: File not found", status=404).asgi_send(send)
        await inner(request, send)

    static._datasette_static = True  # type: ignore[attr-defined]  # as asgi_static's own view
    return static


async def vis_js(request: Any, send: Any) -> None:
    path = vis_network_js()
    if path is None:
        await Response.text("vis-network not installed (pip install pyvis)", status=404).asgi_send(send)
        return
    await asgi_send_file(send, str(path), content_type="text/javascript; charset=utf-8",
                         headers={"cache-control": "max-age=86400"})


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (rf"^{ENTITY_PATH}/(?P<database>[^/]+)/(?P<entity_id>[^/]+)\.json$", entity_json),
        (rf"^{ENTITY_PATH}/(?P<database>[^/]+)/(?P<entity_id>[^/]+)$", entity_html),
        (rf"^{ENTITY_PATH}/(?P<database>[^/]+)$", entity_by_name),
        (rf"^{THREAD_PATH}/(?P<database>[^/]+)/(?P<thread_id>[^/]+?)(?P<ext>\.json)?$", thread_view),
        (r"^/-/kb/vis-network\.min\.js$", vis_js),
        (r"^/-/kb/static/(?P<path>.*)$", static_files(STATIC_DIR)),
        (r"^/-/kb/.*$", kb_not_found),
    ]
