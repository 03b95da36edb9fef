"""The plugin's pages (registered by kb.datasette_plugin): home, search, claim card, article,
entity and thread pages, each HTML with a ``.json`` twin; read-only, permission-checked like
Datasette's own database pages, and a clean 404 page (kb.error_page) for any unknown id.
"""
from __future__ import annotations

import re
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from datasette.utils.asgi import Forbidden, Response

from kb import claim_page, entity_page, home_page, search, thread_page
from kb.error_page import error_response
from kb.page_cells import highlight_sentence, page_url

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_TEMPLATES: dict[tuple[int, str], Any] = {}


def template(datasette: Any, name: str) -> Any:
    """A template of kb/templates compiled once per Datasette environment."""
    key = (id(datasette.jinja_env), name)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = datasette.jinja_env.from_string((TEMPLATE_DIR / name).read_text(encoding="utf-8"))
    return _TEMPLATES[key]


def safe_href(url: Any) -> str | None:
    """A link target only for http(s) URLs: an article's URL never becomes `javascript:`."""
    if isinstance(url, str) and urllib.parse.urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def int_id(raw: str) -> int | None:
    """An id from the URL: ASCII digits that fit SQLite's integers, else None (a clean 404)."""
    return int(raw) if re.fullmatch(r"[0-9]{1,18}", raw or "") else None


async def read(db: Any, fn: Any) -> Any:
    """fn(conn) on the database; None when it has no kb tables (another database served beside)."""
    try:
        return await db.execute_fn(fn)
    except sqlite3.OperationalError as exc:
        if "no such" in str(exc):
            return None
        raise


def clean_errors(view: Any) -> Any:
    """A page view whose permission refusal is a clean 403 page."""
    async def wrapped(datasette: Any, request: Any) -> Response:
        try:
            return await view(datasette, request)
        except Forbidden as exc:
            return await error_response(datasette, request, str(exc) or "Forbidden", 403)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


async def database_of(datasette: Any, request: Any, name: str | None = None) -> Any:
    """The requested database, once the actor may view it; None when there is none by that name."""
    database = name or request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        return None
    await datasette.ensure_permissions(request.actor, [("view-database", database), "view-instance"])
    return db


def links(datasette: Any, database: str) -> dict[str, str]:
    """The base URLs every kb template links with."""
    return {"database": database, "static_url": datasette.urls.path("/-/kb/static"),
            **{f"{kind}_base": page_url(datasette, kind, database)
               for kind in ("entity", "thread", "claim", "article", "search")},
            "home_base": datasette.urls.path("/-/kb/home")}


async def record(datasette: Any, request: Any, key: str, what: str, loader: Any) -> tuple[int, dict] | Response:
    """(id, data) of the record the URL's ``key`` names, read by ``loader(conn, id)``, or the
    404 page saying what was not found."""
    database, raw = request.url_vars["database"], request.url_vars[key]
    db = await database_of(datasette, request)
    rid = int_id(raw)
    data = None if db is None or rid is None else await read(db, lambda conn: loader(conn, rid))
    if data is None:
        return await error_response(datasette, request, f"No {what} {raw} in database {database!r}.")
    return rid, data


async def page(datasette: Any, request: Any, name: str, context: dict) -> Response:
    return Response.html(await datasette.render_template(template(datasette, name), context, request=request))


async def record_page(datasette: Any, request: Any, key: str, what: str, loader: Any, name: str,
                      context: Any, as_json: Any = None) -> Response:
    """The page of one record: its data read by ``loader`` (``.json``: ``as_json(data)`` or the
    data), else the template ``name`` with the data, the links and ``context(database, id, data)``."""
    found = await record(datasette, request, key, what, loader)
    if isinstance(found, Response):
        return found
    database, (rid, data) = request.url_vars["database"], found
    if request.url_vars.get("ext"):
        return Response.json(as_json(data) if as_json else data)
    return await page(datasette, request, name, {**data, **links(datasette, database),
                                                 **context(database, rid, data)})


# --- claim card and article page --------------------------------------------------------------

@clean_errors
async def claim_view(datasette: Any, request: Any) -> Response:
    """The claim card: the sentence marked, who, about what, the article, the thread."""
    return await record_page(datasette, request, "claim_id", "claim", claim_page.claim_data, "kb_claim.html",
                             lambda database, cid, data: {
                                 "article_href": safe_href(data["article"]["url"]),
                                 "json_url": page_url(datasette, "claim", database, f"{cid}.json")})


@clean_errors
async def article_view(datasette: Any, request: Any) -> Response:
    """The article, readable, with every claim marked in place (``?claim=N`` stands out)."""
    return await record_page(datasette, request, "article_id", "article", claim_page.article_data,
                             "kb_article.html", lambda database, aid, data: {
                                 "article_href": safe_href(data["article"]["link"]),
                                 "focus": int_id(request.args.get("claim", ""))},
                             as_json=lambda data: {k: v for k, v in data.items() if k != "segments"})


# --- search and home ----------------------------------------------------------------------------

@clean_errors
async def search_view(datasette: Any, request: Any) -> Response:
    """``?q=``: entities (names and aliases), claims and articles (kb.search)."""
    database = request.url_vars["database"]
    db = await database_of(datasette, request)
    q = request.args.get("q", "")
    result = None if db is None else await read(db, lambda conn: search.search(conn, q))
    if result is None:
        return await error_response(datasette, request, f"No kb database {database!r} to search.")
    for a in result["articles"]:
        a["outlet_name"] = thread_page.outlet_name(a.get("outlet"), a.get("url") or a.get("source"))
    if request.url_vars.get("ext"):
        return Response.json(result)
    return await page(datasette, request, "kb_search.html", {
        **links(datasette, database), "q": result["query"], "result": result, "limit": search.LIMIT})


async def kb_databases(datasette: Any) -> list[str]:
    """The served databases that hold kb tables (claims), in the order they were given."""
    out = []
    for name, db in datasette.databases.items():
        if name != "_internal" and await db.table_exists("claims"):
            out.append(name)
    return out


@clean_errors
async def home_view(datasette: Any, request: Any) -> Response:
    """The landing page: search, newest claims, open and overdue promises, most mentioned."""
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    names = await kb_databases(datasette)
    wanted = request.url_vars.get("database")
    if wanted is not None and wanted not in names:
        return await error_response(datasette, request, f"No kb database {wanted!r}.")
    database = wanted or (names[0] if names else None)
    databases = [n for n in datasette.databases if n != "_internal"]
    context: dict[str, Any] = {"database": database, "databases": databases, "kb_databases": names,
                               "metadata": datasette.metadata() or {},
                               "static_url": datasette.urls.path("/-/kb/static"),
                               "home_base": datasette.urls.path("/-/kb/home")}
    if database is not None:
        db = await database_of(datasette, request, database)
        data = await read(db, home_page.home_data)
        queries = await datasette.get_canned_queries(database, request.actor)
        context.update(links(datasette, database), data=data,
                       queries=[{"name": k, "title": v.get("title")} for k, v in queries.items()])
    if request.url_vars.get("ext"):
        return Response.json({k: context.get(k) for k in ("database", "databases", "data")})
    return await page(datasette, request, "kb_home.html", context)


# --- entity and thread pages ------------------------------------------------------------------

@clean_errors
async def entity_view(datasette: Any, request: Any) -> Response:
    """The entity page: aliases, claims by and about it, relations, timeline, graph (``.json``: data)."""
    def context(database: str, eid: int, data: dict) -> dict:
        for row in data["claims_by"] + data["claims_about"] + data["relations"]:
            row["article_href"] = safe_href(row.get("article_url"))
        return {"max_claims": entity_page.MAX_CLAIMS,
                "json_url": page_url(datasette, "entity", database, f"{eid}.json"),
                "vis_url": datasette.urls.path("/-/kb/vis-network.min.js"),
                "timeline_max": max([t["articles"] + t["claims_by"] + t["claims_about"] for t in data["timeline"]]
                                    + [1])}
    return await record_page(datasette, request, "entity_id", "entity", entity_page.entity_data, "kb_entity.html",
                             context)


@clean_errors
async def entity_by_name(datasette: Any, request: Any) -> Response:
    """``?name=...``: redirect to the page of the entity with that name or alias."""
    database = request.url_vars["database"]
    name = request.args.get("name", "")
    db = await database_of(datasette, request)
    eid = await read(db, lambda conn: entity_page.find_entity_id(conn, name)) if db and name else None
    if eid is None:
        message = f"No entity named {name!r}." if name else "Which entity? Add ?name=NAME."
        return await error_response(datasette, request, message)
    return Response.redirect(page_url(datasette, "entity", database, eid))


@clean_errors
async def thread_view(datasette: Any, request: Any) -> Response:
    """A claim thread: status and what it means, deadlines, sources, flags, every status
    change with its cause, and its claims in date order with why each joined (``.json``: data)."""
    def context(database: str, tid: int, data: dict) -> dict:
        for c in data["claims"]:
            c["article_href"] = safe_href(c["article_link"])
        return {"json_url": page_url(datasette, "thread", database, f"{tid}.json"), "highlight": highlight_sentence}
    return await record_page(datasette, request, "thread_id", "claim thread", thread_page.thread_data,
                             "kb_thread.html", context)


# --- Datasette's row pages of claims and articles open the kb pages --------------------------

@clean_errors
async def row_redirect(datasette: Any, request: Any) -> Response:
    """``/DB/claims/ID`` and ``/DB/articles/ID`` (HTML) open the claim card and the article page;
    the raw rows stay at ``.json``."""
    database, table, raw = (request.url_vars[k] for k in ("database", "table", "pk"))
    kind = {"claims": "claim", "articles": "article"}[table]
    db = await database_of(datasette, request)
    if db is None or int_id(raw) is None:
        return await error_response(datasette, request, f"No {kind} {raw} in database {database!r}.")
    return Response.redirect(page_url(datasette, kind, database, raw))


async def kb_not_found(datasette: Any, request: Any) -> Response:
    """Any other path under /-/kb/: a clean 404 page."""
    return await error_response(datasette, request, f"Nothing at {request.path}.")
