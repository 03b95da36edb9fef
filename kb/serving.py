"""Serving with Datasette, and the bundled offline demo.

What one request may cost: Datasette's time and row limits (SETTINGS), and SQLite's limits
on the size of one value and of the SQL text (limit_connection, applied by the plugin to
every connection). Arbitrary SQL is on only on localhost, or with allow_sql.
"""
from __future__ import annotations

import ipaddress
import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from kb import jobs

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "metadata.json"
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"


#: Datasette settings of `kb serve`: the time one query may take, the rows it may return; no
#: facet suggestions (one query per column: seconds on a million claims; facets stay).
SETTINGS: dict[str, Any] = {"sql_time_limit_ms": 3000, "max_returned_rows": 1000, "suggest_facets": False}
#: The largest string or blob one SQL value may be (SQLITE_LIMIT_LENGTH): above any text kb
#: stores (files are read up to 20 MB, pages up to 10 MB), far below what a crafted query
#: like randomblob(300000000) would allocate. A stored value above it could not be read:
#: raise it in metadata.json with ``"plugins": {"kb": {"max_value_bytes": N}}``.
MAX_VALUE_BYTES = 32 * 1024 * 1024
#: The longest SQL text accepted (SQLITE_LIMIT_SQL_LENGTH; SQLite's own default is 1 GB).
MAX_SQL_BYTES = 100_000


def limit_connection(conn: sqlite3.Connection, max_value_bytes: Any = None) -> None:
    """Cap the size of one value and of the SQL text: a query over them fails at once with
    "string or blob too big" / "statement too long" instead of allocating the memory."""
    size = int(max_value_bytes) if str(max_value_bytes).isdigit() else MAX_VALUE_BYTES
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, size)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)


def is_local(host: str) -> bool:
    """The address only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def datasette_config(db_path: str | Path, host: str = "127.0.0.1",
                     allow_sql: bool = False) -> tuple[dict, dict[str, Any]]:
    """Metadata and settings for serving `db_path` on `host`. Bound to anything but localhost,
    arbitrary SQL (Datasette's execute-sql) is denied unless allow_sql; canned queries, tables,
    facets and search still work."""
    meta = metadata_for(db_path)
    settings = dict(SETTINGS)
    if not (allow_sql or is_local(host)):
        settings["default_allow_sql"] = False
        meta["allow_sql"] = False                  # an allow_sql block would override the setting
        for db in meta.get("databases", {}).values():
            db.pop("allow_sql", None)
    return meta, settings


def metadata_for(db_path: str | Path, metadata_file: Path = METADATA) -> dict:
    """metadata.json with its "kb" database section renamed to this database's name."""
    meta = json.loads(metadata_file.read_text(encoding="utf-8")) if metadata_file.exists() else {}
    name = Path(db_path).stem
    dbs = meta.get("databases", {})
    if "kb" in dbs and name != "kb":
        dbs[name] = dbs.pop("kb")
    return meta


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001, allow_sql: bool = False) -> int:
    """Run Datasette in the foreground (the plugin loads through its entry point)."""
    meta, settings = datasette_config(db_path, host, allow_sql)
    with tempfile.TemporaryDirectory(prefix="kb-serve-") as tmp:
        meta_file = Path(tmp) / "metadata.json"
        meta_file.write_text(json.dumps(meta), encoding="utf-8")
        print(f"Serving {db_path} at http://{host}:{port}/ (database: /{Path(db_path).stem})", flush=True)
        if settings.get("default_allow_sql") is False:
            print(f"Arbitrary SQL is off: {host} is not localhost (canned queries, tables and search "
                  "work; --allow-sql turns it on).", flush=True)
        proc = subprocess.Popen(datasette_command(db_path, meta_file, host, port, settings))
        return _wait_forwarding_stop(proc)


def datasette_command(db_path: str | Path, meta_file: Path, host: str, port: int,
                      settings: dict[str, Any]) -> list[str]:
    """The `datasette serve` command line for this database, metadata file and settings."""
    cmd = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(meta_file),
           "--host", host, "--port", str(port)]
    for name, value in settings.items():
        cmd += ["--setting", name, "off" if value is False else str(value)]
    return cmd


def _wait_forwarding_stop(proc: subprocess.Popen) -> int:
    """Wait for the Datasette child. A SIGTERM to `kb serve` (a supervisor, a test) or a
    Ctrl-C stops the child too instead of leaving it running on the port; a stop asked for
    that way is a clean exit (0), whatever status the child reports for it."""
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
        proc.terminate()

    try:
        old = signal.signal(signal.SIGTERM, stop)
    except ValueError:                      # not the main thread: nothing to forward
        old = None
    try:
        code = proc.wait()
    except KeyboardInterrupt:               # Ctrl-C (the child has it too when it came from a terminal)
        stopping.append(signal.SIGINT)
        try:
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            proc.terminate()
            code = proc.wait()
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)
    return 0 if stopping else code


def interrupt_on_sigterm() -> None:
    """A SIGTERM becomes a KeyboardInterrupt (as Ctrl-C), so that a command stopped while it
    works ends cleanly (`kb demo` exits 0 whether it is building or serving)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, interrupt)
    except ValueError:                      # not the main thread
        pass


def build_demo(db_path: str, progress: Callable | None = None) -> "jobs.Report":
    """Ingest the bundled sample (no network) into `db_path` and extract it."""
    from kb import jobs, store

    db = store.open_db(db_path)
    sources = [str(p) for p in sorted(DEMO_DIR.iterdir()) if p.is_file() and p.suffix != ".md"]
    kwargs = {"progress": progress} if progress else {}
    return jobs.ingest(db, sources, fetch_entries=False, **kwargs)
