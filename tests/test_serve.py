"""`kb serve` runs Datasette on the database with metadata.json and the plugin."""
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ingest.article import Article
from kb import store
from kb.serving import metadata_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_metadata_key_follows_database_name(tmp_path):
    meta = metadata_for(tmp_path / "newsroom.db")
    assert "newsroom" in meta["databases"] and "kb" not in meta["databases"]
    assert meta["databases"]["newsroom"]["queries"]


def test_serve_answers_over_http(tmp_path):
    path = tmp_path / "newsroom.db"
    db = store.open_db(path)
    store.store_article(db, Article(source="a.txt", text="Officials said the port would reopen.", title="Port"))
    db.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "serve", "--db", str(path), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, body = time.time() + 60, None
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/newsroom/articles.json?_shape=array") as r:
                    body = json.load(r)
            except OSError:
                time.sleep(0.3)
        assert body and body[0]["title"] == "Port"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/metadata.json") as r:
            assert "newsroom" in json.load(r)["databases"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/plugins.json") as r:
            assert any(p["name"] == "kb" or "kb" in p["name"] for p in json.load(r))
    finally:
        proc.terminate()
        proc.wait(10)
    deadline = time.time() + 10                 # the Datasette child stops with `kb serve`
    while time.time() < deadline and serving(path):
        time.sleep(0.2)
    assert not serving(path)


def serving(db_path) -> list[str]:
    """Command lines of running processes that serve db_path with Datasette (Linux /proc)."""
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "datasette" in cmd and str(db_path) in cmd:
            found.append(cmd)
    return found
