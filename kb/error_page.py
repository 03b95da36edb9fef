"""Error pages in the site's layout: a 404 says what was not found and suggests where to go
(the closest database, table, query or entity names, the ids that exist, a search), never a
traceback or a 500.

Datasette 0.65's own error handler prints the exception with `rich`, which raises when it is
not called inside an ``except`` block (any unknown path of four or more segments): the
plugin's ``handle_exception`` wrapper (kb.datasette_plugin) answers with ``error_response``
instead, so that handler never runs.
"""
from __future__ import annotations

import difflib
import sqlite3
import traceback
import urllib.parse
from pathlib import Path
from typing import Any

from datasette.utils.asgi import Base400, NotFound, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

from kb import search
from kb.page_cells import page_url

TEMPLATE = Path(__file__).resolve().parent / "templates" / "kb_error.html"
_COMPILED: dict[int, Any] = {}
TITLES = {400: "Bad request", 403: "Forbidden", 404: "Not found", 500: "Something went wrong"}


def _template(datasette: Any) -> Any:
    key = id(datasette.jinja_env)
    if key not in _COMPILED:
        _COMPILED[key] = datasette.jinja_env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return _COMPILED[key]


def _close(word: str, names: list[str], n: int = 5) -> list[str]:
    lowered = {name.lower(): name for name in names}
    return [lowered[c] for c in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.4)]


async def _names(db: Any) -> list[str]:
    try:
        return await db.table_names() + await db.view_names()
    except Exception:       # a database that cannot be read: no suggestion from it
        return []


async def suggestions(datasette: Any, path: str, args: Any = None) -> list[dict]:
    """Where the person may have meant to go: [{href, text}] for an unknown path."""
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/") if s]
    out: list[dict] = []
    databases = [n for n in datasette.databases if n != "_internal"]
    if segments[:2] == ["-", "kb"] and len(segments) >= 4 and segments[3] in databases:
        kind, database, item = segments[2], segments[3], segments[4] if len(segments) > 4 else ""
        item = item.removesuffix(".json")
        name = (args.get("name") if args is not None else None) or ("" if item.isdigit() else item)
        db = datasette.databases[database]
        if kind == "entity" and name:
            try:
                found = await db.execute_fn(lambda conn: search.similar_names(conn, name))
            except sqlite3.Error:
                found = []
            out += [{"href": page_url(datasette, "entity", database, e["id"]), "text": f"{e['name']} ({e['type']})"}
                    for e in found]
        table = {"entity": "entities", "thread": "claim_threads", "claim": "claims", "article": "articles"}.get(kind)
        if table and table in await _names(db):
            out.append({"href": datasette.urls.table(database, table), "text": f"every row of {table}"})
        if name or item:
            out.append({"href": page_url(datasette, "search", database) + "?q=" + urllib.parse.quote(name or item),
                        "text": f"search for '{name or item}'"})
        return out
    if not segments or segments[0] == "-":
        return [{"href": datasette.urls.instance(), "text": "the home page"}]
    first = segments[0].split(".")[0]
    if first not in databases:
        out += [{"href": datasette.urls.database(d), "text": f"database {d}"} for d in _close(first, databases)]
        out += [{"href": datasette.urls.database(d), "text": f"database {d}"} for d in databases
                if not any(o["text"].endswith(" " + d) for o in out)][:5]
        return out
    db = datasette.databases[first]
    queries = list((await datasette.get_canned_queries(first, None)).keys())
    if len(segments) >= 2:
        wanted = segments[1].split(".")[0]
        tables = await _names(db)
        if wanted in tables and len(segments) >= 3:
            out.append({"href": datasette.urls.table(first, wanted), "text": f"every row of {wanted}"})
        else:
            out += [{"href": datasette.urls.table(first, t), "text": f"table {t}"} for t in _close(wanted, tables)]
            out += [{"href": datasette.urls.table(first, q), "text": f"query {q}"} for q in _close(wanted, queries)]
        out.append({"href": page_url(datasette, "search", first) + "?q=" + urllib.parse.quote(segments[-1]),
                    "text": f"search for '{segments[-1]}'"})
    out.append({"href": datasette.urls.database(first), "text": f"database {first}"})
    return out


async def error_response(datasette: Any, request: Any, message: str, status: int = 404,
                         title: str | None = None, extra: list[dict] | None = None) -> Response:
    """The error page (JSON for ``.json`` paths), with suggestions for a 404."""
    path = request.path if request is not None else "/"
    found = list(extra or [])
    if status == 404:
        try:
            found += await suggestions(datasette, path, request.args if request is not None else None)
        except Exception:       # a suggestion must never turn a 404 into a 500
            traceback.print_exc()
    if path.split("?")[0].endswith(".json"):
        return Response.json({"ok": False, "error": str(message), "status": status,
                              "suggestions": [s["href"] for s in found]}, status=status)
    databases = [n for n in datasette.databases if n != "_internal"]
    context = {"ok": False, "error": message, "status": status, "title": title or TITLES.get(status, "Error"),
               "suggestions": found, "search_database": databases[0] if databases else None,
               "search_base": page_url(datasette, "search", databases[0]) if databases else None}
    try:
        html = await datasette.render_template(_template(datasette), context, request=request)
    except Exception:           # rendering needs what failed (a broken database): plain words
        traceback.print_exc()
        return Response.text(f"{status}: {message}", status=status)
    return Response.html(html, status=status)


def exception_status(exception: Exception) -> tuple[int, str, str | None]:
    """(status, message, title) of an exception as Datasette's own handler reads it."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0] if exception.args else exception), None
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        status = exception.status
        if status == 500 and str(exception.message).startswith(("Cannot sort", "Cannot use _sort")):
            status = 400                    # a request for what the table does not offer, not a failure
        return status, message, exception.title
    return 500, str(exception) or exception.__class__.__name__, None


async def handle(datasette: Any, request: Any, exception: Exception) -> Response:
    """Any exception Datasette did not answer itself, as an error page."""
    status, message, title = exception_status(exception)
    if status >= 500:
        traceback.print_exception(exception)
    if isinstance(exception, NotFound) and message in ("404", "Not found"):
        message = f"Nothing at {request.path}."
    return await error_response(datasette, request, message, status, title)
