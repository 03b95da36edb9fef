"""The kb Datasette plugin: its hooks, one each (the pages live in kb.page_views).

Registered through the ``datasette`` entry point in pyproject.toml. Everything here is
read-only: it renders what Datasette already selected, it never writes.

- Pages: ``/`` (home: search, newest claims, open and overdue promises, most mentioned),
  ``/-/kb/search/DB?q=``, ``/-/kb/claim/DB/ID``, ``/-/kb/article/DB/ID``, ``/-/kb/entity/DB/ID``,
  ``/-/kb/thread/DB/ID`` (each with a ``.json`` twin); Datasette's HTML row pages of
  ``claims`` and ``articles`` open the claim card and the article page.
- Errors: every unknown path, id or name is a 404 page in the site's layout with suggestions
  (kb.error_page), never a 500 (Datasette 0.65's own handler fails under `rich`).
- Output renderers ``.gexf`` (Gephi), ``.graphml`` and ``.cyjs`` (Cytoscape.js JSON): on the
  ``edges`` view, the graph `kb export graph` writes (same nodes, edges and attributes; the
  ``since``, ``until``, ``types``, ``min_weight``, ``entity`` and ``depth`` arguments as its
  options); on any other table, view or query with ``source`` and ``target`` columns, its
  rows as edges (every page of a table followed, up to ``MAX_EDGES`` rows).
- ``render_cell`` (kb.page_cells): every id links to its page, booleans read Yes/No, dates
  read as dates, a claim's objects and sentence are readable.
- Canned queries: their title in the browser tab, pages of 100 rows (``:page``) with links to
  the previous and next, and a link that streams every row as CSV
  (kb.page_csv) instead of stopping at 1,000.
"""
from __future__ import annotations

import importlib.resources
import re
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any, Iterable, Sequence

from datasette import hookimpl
from datasette.utils import PrefixedUrlString, path_with_replaced_args, to_css_class
from datasette.utils.asgi import Response, asgi_send_file, asgi_static

import sqlite_utils
from jinja2 import FileSystemLoader

from kb import error_page, page_cells, page_csv, page_views
from kb.graph import GraphError, build_graph, edges_to_graph, export_graph, neighbourhood, parse_filters
from kb.page_cells import THREAD_JSON_CELLS, thread_json_text  # noqa: F401  (used by tests and templates)
from kb.page_views import STATIC_DIR, TEMPLATE_DIR, int_id as _int_id  # noqa: F401
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


GRAPH_OPTIONS = ("since", "until", "types", "min_weight", "entity", "depth")


def _column_filters(request: Any) -> bool:
    """True when the request filters the view's rows (``?kind=relation``): then the rows are the graph."""
    if request is None:
        return False
    return any(not k.startswith("_") and k not in GRAPH_OPTIONS for k in request.args.keys())


async def _database_graph(datasette: Any, request: Any, database: str, ext: str) -> Response:
    """The graph `kb export graph` writes, with its options as query arguments."""
    args = request.args if request is not None else {}
    fmt, content_type = GRAPH_FORMATS[ext]

    def build(conn: sqlite3.Connection) -> str:
        weight = args.get("min_weight") or "1"
        filters = parse_filters(args.get("since"), args.get("until"), args.get("types"),
                                int(weight) if weight.isdigit() else 0)
        g = build_graph(sqlite_utils.Database(conn), filters)
        if args.get("entity"):
            depth = args.get("depth") or "1"
            g = neighbourhood(g, args["entity"], int(depth) if depth.isdigit() else -1)
        return export_graph(g, fmt)

    try:
        body = await datasette.databases[database].execute_fn(build)
    except GraphError as exc:
        return Response.text(str(exc), status=400)
    disposition = f'attachment; filename="{_filename(ext, database, "graph", None)}"'
    return Response(body, content_type=content_type, headers={"content-disposition": disposition})


def _make_renderer(ext: str):
    fmt, content_type = GRAPH_FORMATS[ext]

    async def render(datasette, columns, rows, request, database, table, query_name, data) -> Response:
        """Turn the selected rows into a graph file (edge list -> networkx -> writer)."""
        if not can_render_graph(columns):
            return Response.text(
                f"The .{ext} export needs columns named 'source' and 'target'; "
                f"these rows have: {', '.join(columns) or 'no columns'}.", status=400)
        if table == "edges" and database in datasette.databases and not _column_filters(request):
            return await _database_graph(datasette, request, database, ext)
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


# --- cells, columns, templates ------------------------------------------------------------

@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Links to the kb pages for every id, Yes/No, dates, readable objects and sentences."""
    return page_cells.render(row, value, column, table, database, datasette)


#: claim_threads columns shown first (after the id), in this order; the others follow.
THREAD_COLUMNS = ("label", "status", "status_since", "deadline", "sources", "claims", "first_seen", "last_seen",
                  "independent_sources", "statements", "flags", "deadlines", "event")


def lead_first(items: Sequence[dict], key: str) -> list[dict]:
    """Columns (or a row's cells) with the id, then THREAD_COLUMNS, then the rest in table order."""
    def rank(item: dict) -> int:
        name = item.get(key)
        return -1 if name == "id" else THREAD_COLUMNS.index(name) if name in THREAD_COLUMNS else len(THREAD_COLUMNS)
    return sorted(items, key=rank)


@hookimpl
def startup(datasette: Any) -> None:
    """kb/templates first on the template path: kb's pages by name, and query.html (a canned
    query's title in the tab, a link to every row as CSV) over Datasette's own; the event
    names of the thread page loaded."""
    try:                                    # the thread page names events (kb.nlp.events, ~1 s to import):
        importlib.import_module("kb.nlp.events")   # at start, not on a journalist's first thread page
    except ImportError:
        pass
    loaders = getattr(datasette.jinja_env.loader, "loaders", None)
    if loaders is not None and not any(getattr(x, "kb_templates", False) for x in loaders):
        loader = FileSystemLoader(str(TEMPLATE_DIR))
        loader.kb_templates = True  # type: ignore[attr-defined]
        loaders.insert(0, loader)


@hookimpl
def extra_css_urls(template: str, table: str | None, datasette: Any) -> list[str]:
    """thread.css on claim_threads' table and row pages (a wider label column); kb.css on tables."""
    urls = [datasette.urls.path("/-/kb/static/kb.css")]
    if table == "claim_threads" and template in ("table.html", "row.html"):
        urls.append(datasette.urls.path("/-/kb/static/thread.css"))
    return urls


@hookimpl
def extra_template_vars(template: str, database: str | None, table: str | None, request: Any,
                        datasette: Any) -> Any:
    """Table pages write their rows in one pass (kb_table.html, page_cells.table_body), and
    claim_threads' pages list their columns with ``lead_first``; a query page writes its rows
    in one pass too, and a canned query's page links to every row as CSV, to its previous and
    next pages (``:page``), and keeps its SQL hidden unless asked for."""
    if table == "claim_threads" and template in ("table.html", "row.html"):
        return {"custom_table_templates": [page_views.template(datasette, "kb_table.html")],
                "kb_lead_first": lead_first, "kb_table_body": page_cells.table_body}
    if template == "table.html" and database and table:
        own = [f"_table-{to_css_class(database)}-{to_css_class(table)}.html",
               f"_table-table-{to_css_class(database)}-{to_css_class(table)}.html"]   # as Datasette names them
        return {"custom_table_templates": [*own, page_views.template(datasette, "kb_table.html")],
                "kb_lead_first": None, "kb_table_body": page_cells.table_body}
    if template != "query.html":
        return None
    name = (request.url_vars or {}).get("table") if request is not None else None

    async def inner() -> dict:
        out: dict[str, Any] = {"kb_query_body": page_cells.query_body}
        query = await datasette.get_canned_query(database, name, request.actor) if name and database else None
        if query is None:
            return out
        sql = query.get("sql") or ""
        query_string = urllib.parse.urlencode([(k, v) for k, v in urllib.parse.parse_qsl(request.query_string)
                                               if not k.startswith("_") and k != "page"])
        csv_url = page_csv.csv_url(datasette, database, name, query_string)
        out.update(kb_all_rows_csv=csv_url, url_csv=csv_url,
                   kb_show_sql=f"?{query_string}&_show_sql=1" if query_string else "?_show_sql=1",
                   kb_paging=paging(datasette, request, sql))
        return out

    return inner


def paging(datasette: Any, request: Any, sql: str) -> dict | None:
    """Where a paged canned query (page_csv.PAGE_CLAUSE) is: its page, rows a page, the number
    of its first row, and the URLs of the previous and next pages; None for other queries."""
    if not page_csv.is_paged(sql):
        return None
    rows = page_csv.page_rows(sql) or 100
    raw = (request.args.get("page") or "").strip()
    page = max(1, int(raw)) if raw.isdigit() else 1      # as the SQL reads it: cast, at least 1

    def url(n: int) -> str:
        return datasette.urls.path(path_with_replaced_args(request, {"page": str(n) if n > 1 else None}))

    return {"page": page, "rows": rows, "first": (page - 1) * rows + 1,
            "previous_url": url(page - 1), "next_url": url(page + 1)}


# --- errors -------------------------------------------------------------------------------

@hookimpl(hookwrapper=True)
def handle_exception(datasette: Any, request: Any, exception: Exception):
    """Every error page is kb's (kb.error_page): Datasette's own handler is never reached, as
    it raises under `rich` outside an ``except`` block (unknown paths of four segments)."""
    outcome = yield

    async def respond() -> Response:
        return await error_page.handle(datasette, request, exception)

    outcome.force_result([respond])


# --- routes -------------------------------------------------------------------------------

def vis_network_js() -> Path | None:
    """vis-network's standalone build, as shipped inside the pyvis package (no CDN)."""
    try:
        root = importlib.resources.files("pyvis") / "lib"
    except ModuleNotFoundError:
        return None
    found = sorted(Path(str(root)).glob("vis-*/vis-network.min.js"))
    return found[-1] if found else None


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


DB = r"(?P<database>[^/]+?)"
EXT = r"(?P<ext>\.json)?"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    v = page_views
    return [
        (r"^/$", v.home_view),
        (rf"^/-/kb/home/{DB}{EXT}$", v.home_view),
        (rf"^/-/kb/search/{DB}{EXT}$", v.search_view),
        (rf"^/-/kb/claim/{DB}/(?P<claim_id>[^/]+?){EXT}$", v.claim_view),
        (rf"^/-/kb/article/{DB}/(?P<article_id>[^/]+?){EXT}$", v.article_view),
        (rf"^/-/kb/entity/{DB}/(?P<entity_id>[^/]+?){EXT}$", v.entity_view),
        (rf"^/-/kb/entity/{DB}$", v.entity_by_name),
        (rf"^/-/kb/thread/{DB}/(?P<thread_id>[^/]+?){EXT}$", v.thread_view),
        (rf"^/-/kb/csv/{DB}/(?P<query>[^/]+)\.csv$", page_csv.query_csv),
        (rf"^/{DB}/(?P<table>claims|articles)/(?P<pk>[0-9]+)$", v.row_redirect),
        (r"^/-/kb/vis-network\.min\.js$", vis_js),
        (r"^/-/kb/static/(?P<path>.*)$", static_files(STATIC_DIR)),
        (r"^/-/kb/.*$", v.kb_not_found),
    ]
