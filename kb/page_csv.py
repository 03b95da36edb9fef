"""Every row of a canned query as CSV for spreadsheets: ``/-/kb/csv/DB/QUERY.csv?params``.

Datasette stops a query at ``max_returned_rows`` (1,000 for `kb serve`), its CSV too, and
the canned queries show 100 rows a page (``:page`` 1, 2, ...: their ``PAGE_CLAUSE``; or a
final ``LIMIT``): without either, this streams every row, a batch at a time, with one value
per cell (kb.export.cell_value: JSON lists as "Line; KakaoTalk", booleans such as
``direct_quote`` as true/false) and the header row even when nothing matches. Read-only
and permission-checked like the query page.
"""
from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
import urllib.parse
from typing import Any

from datasette.utils import derive_named_parameters
from datasette.utils.asgi import AsgiStream, Response

from kb.error_page import error_response
from kb.export import cell_value
from kb.page_cells import BOOLEAN_COLUMNS, json_list
from kb.page_views import clean_errors, database_of
from kb.serving import limit_connection

BATCH = 2000
#: How a canned query pages its rows: ``LIMIT 100 OFFSET 100 * (max(1, cast(:page AS INTEGER)) - 1)``,
#: wherever the rows are chosen (at the end, or in the CTE that picks a page of ids).
PAGE_CLAUSE = re.compile(r"\bLIMIT\s+(\d+)\s+OFFSET\s+\1\s*\*\s*"
                         r"\(\s*max\(\s*1\s*,\s*cast\(\s*:page\s+AS\s+INTEGER\s*\)\s*\)\s*-\s*1\s*\)", re.I)
FINAL_LIMIT = re.compile(r"\s+LIMIT\s+(\d+)\s*$", re.I)


def page_rows(sql: str) -> int | None:
    """The rows one page of a canned query shows (its ``PAGE_CLAUSE`` or final ``LIMIT``), if it says."""
    found = PAGE_CLAUSE.search(sql) or FINAL_LIMIT.search(re.sub(r";\s*$", "", sql.strip()))
    return int(found.group(1)) if found else None


def is_paged(sql: str) -> bool:
    """True when the query takes a ``:page`` (1, 2, ...) through its ``PAGE_CLAUSE``."""
    return PAGE_CLAUSE.search(sql) is not None


def every_row(sql: str) -> str:
    """The query without its paging clause or final LIMIT: all its rows, in the same order."""
    sql = PAGE_CLAUSE.sub("", re.sub(r";\s*$", "", sql.strip()))
    return FINAL_LIMIT.sub("", sql)


def spreadsheet_cell(column: str, value: Any) -> Any:
    """A stored value as one spreadsheet cell."""
    if column in BOOLEAN_COLUMNS and value in (0, 1):
        return "true" if value else "false"
    items = json_list(value)
    if items is not None:
        return cell_value(items)
    return "" if value is None else value


def _line(row: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(row)
    return out.getvalue()


def csv_url(datasette: Any, database: str, query: str, query_string: str = "") -> str:
    base = datasette.urls.path(f"/-/kb/csv/{database}/{query}.csv")
    return base + ("?" + query_string if query_string else "")


@clean_errors
async def query_csv(datasette: Any, request: Any) -> Response:
    """Stream a canned query's rows (all of them) as CSV."""
    database, name = request.url_vars["database"], request.url_vars["query"]
    db = await database_of(datasette, request)
    query = await datasette.get_canned_query(database, name, request.actor) if db is not None else None
    if query is None or query.get("write"):
        return await error_response(datasette, request, f"No canned query {name!r} in database {database!r}.")
    await datasette.ensure_permissions(request.actor, [("view-query", (database, name)),
                                                       ("view-database", database), "view-instance"])
    sql = every_row(query["sql"])
    params = {p: request.args.get(p, "") for p in await derive_named_parameters(db, sql)}
    if not db.path:
        return await error_response(datasette, request, "Only a database file can be streamed.", 400)
    try:
        conn = sqlite3.connect(f"file:{urllib.parse.quote(db.path)}?mode=ro", uri=True, check_same_thread=False)
        limit_connection(conn, (datasette.plugin_config("kb") or {}).get("max_value_bytes"))
        cursor = conn.execute(sql, params)
    except sqlite3.Error as exc:
        return await error_response(datasette, request, f"The query failed: {exc}", 400)
    columns = [d[0] for d in cursor.description]

    async def stream(response: Any) -> None:
        try:
            await response.write(_line(columns))
            while True:
                rows = await asyncio.to_thread(cursor.fetchmany, BATCH)
                if not rows:
                    break
                await response.write("".join(_line([spreadsheet_cell(c, v) for c, v in zip(columns, r)])
                                             for r in rows))
        finally:
            conn.close()

    filename = re.sub(r"[^A-Za-z0-9._-]+", "_", name) + ".csv"
    return AsgiStream(stream, content_type="text/csv; charset=utf-8",
                      headers={"content-disposition": f'attachment; filename="{filename}"'})
