"""A real HTTP server on 127.0.0.1 for tests that fetch (nothing leaves the machine)."""
from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and has a one-call `send`."""

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "text/plain", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that give up early (timeouts, size cap) break the pipe: expected


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `handler` on a free port of `host` (127.0.0.2, 127.0.0.3 ... are this machine
    too, and other hosts to a client); yields the base URL."""
    httpd = QuietServer((host, 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def silent(host: str = "127.0.0.1") -> Iterator[str]:
    """A port of `host` that accepts connections and never answers; yields the base URL."""
    sock = socket.socket()
    sock.bind((host, 0))
    sock.listen(128)
    try:
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        sock.close()


def closed_port(host: str = "127.0.0.1") -> int:
    """A port of `host` where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
