"""What fetching obeys, without touching the network: the answer's shape, the rules for
URLs and hosts, robots.txt parsing and the wording of HTTP failures (used by ingest/fetch.py)."""
from __future__ import annotations

import asyncio
import os
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .article import IngestError

USER_AGENT = "kb/0.1 (+news knowledge base; a journalist's research tool; respects robots.txt)"
RETRY_STATUS = {429, 500, 502, 503, 504}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
ROBOTS_TIMEOUT = 10  # seconds robots.txt may take (within the request's deadline)


@dataclass
class Response:
    """What a fetch returns: the final URL, status, lower-case headers and the body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ('' if none)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class HostFailure(IngestError):
    """A failure that speaks of the host, not the page: no connection, no answer in time,
    connection dropped. `give_up_after` of them in a row and the host is given up."""

    def __init__(self, source: str, reason: str, host: str):
        super().__init__(source, "fetch", reason)
        self.host = host


class Call:
    """One fetch in flight: the URL asked for, the one fetched now (`what`: robots.txt or
    not) and when its deadline falls (event loop time)."""

    def __init__(self, source: str):
        self.source, self.url, self.what, self.deadline = source, source, "", 0.0

    def room(self, pause: float) -> bool:
        """A pause of `pause` s and a new attempt still fit before the deadline."""
        return asyncio.get_running_loop().time() + pause < self.deadline


def check_scheme(url: str) -> None:
    """Refuse anything but http(s) URLs with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise IngestError(url, "fetch", f"refused scheme {parts.scheme or '(none)'!r}: only http and https")
    if not parts.hostname:
        raise IngestError(url, "fetch", "no host in URL")


def host_key(url: str) -> str:
    """host:port of a URL (lower-case), the unit that is given up when it keeps failing."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return parts.netloc.lower()
    return f"{(parts.hostname or '').lower()}:{port}"


def final_response(source: str, url: str, resp: Response) -> Response:
    """The answer as fetch returns it: 304 marked not modified, 4xx/5xx an IngestError."""
    if resp.status == 304:
        resp.not_modified = True
        return resp
    if resp.status >= 400:
        raise IngestError(source, "fetch", f"HTTP {resp.status} {http_reason(resp.status)} for {url}")
    return resp


def answer_head(source: str, r: Any, max_bytes: int) -> tuple[dict[str, str], Response | None]:
    """The answer's headers, and the whole Response when it has no body to read."""
    rh = {k.lower(): v for k, v in r.headers.items()}
    if r.status_code >= 300 or r.status_code == 204:
        return rh, Response(str(r.url), r.status_code, rh, b"")
    length = rh.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise IngestError(source, "fetch", f"too large: {length} bytes (limit {max_bytes})")
    return rh, None


def robots_rules(robots_url: str, body: bytes) -> urllib.robotparser.RobotFileParser:
    """The rules of a robots.txt body."""
    rules = urllib.robotparser.RobotFileParser(robots_url)
    rules.parse(body.decode("utf-8", "replace").splitlines())
    return rules


def http_reason(status: int) -> str:
    try:
        from http import HTTPStatus
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def env_number(name: str, default: float, low: float = 0.0) -> float:
    """A number from the environment ($KB_FETCH_DELAY, ...), the default when unset or not
    a number, never below `low`."""
    try:
        return max(low, float(os.environ.get(name, default)))
    except ValueError:
        return default
