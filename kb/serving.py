"""Serving with Datasette, and the bundled offline demo."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from kb import jobs, store

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "metadata.json"
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"


def metadata_for(db_path: str | Path, metadata_file: Path = METADATA) -> dict:
    """metadata.json with its "kb" database section renamed to this database's name."""
    meta = json.loads(metadata_file.read_text(encoding="utf-8")) if metadata_file.exists() else {}
    name = Path(db_path).stem
    dbs = meta.get("databases", {})
    if "kb" in dbs and name != "kb":
        dbs[name] = dbs.pop("kb")
    return meta


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette in the foreground (the plugin loads through its entry point)."""
    with tempfile.TemporaryDirectory(prefix="kb-serve-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata_for(db_path)), encoding="utf-8")
        print(f"Serving {db_path} at http://{host}:{port}/{Path(db_path).stem}", flush=True)
        cmd = [sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(meta),
               "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000"]
        proc = subprocess.Popen(cmd)
        return _wait_forwarding_stop(proc)


def _wait_forwarding_stop(proc: subprocess.Popen) -> int:
    """Wait for the Datasette child; a SIGTERM to `kb serve` (a supervisor, a test) stops
    the child too instead of leaving it running on the port."""
    def stop(signum, frame):
        proc.terminate()

    try:
        old = signal.signal(signal.SIGTERM, stop)
    except ValueError:                      # not the main thread: nothing to forward
        old = None
    try:
        return proc.wait()
    except KeyboardInterrupt:               # Ctrl-C reaches the child too (same process group)
        proc.wait()
        return 0
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def build_demo(db_path: str, progress=None) -> jobs.Report:
    """Ingest the bundled sample (no network) into `db_path` and extract it."""
    db = store.open_db(db_path)
    sources = [str(p) for p in sorted(DEMO_DIR.iterdir()) if p.is_file() and p.suffix != ".md"]
    kwargs = {"progress": progress} if progress else {}
    return jobs.ingest(db, sources, fetch_entries=False, **kwargs)
