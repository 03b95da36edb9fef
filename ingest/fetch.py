"""The only module that touches the network: polite HTTP(S) GETs with httpx.

A `Fetcher` keeps one httpx.Client, a per-host delay between requests, robots.txt rules
cached per host, small retries with backoff on timeouts and 5xx, and a size cap counted on
decompressed bytes while streaming. Every problem becomes an IngestError(stage="fetch").
"""
from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .article import IngestError

USER_AGENT = "kb/0.1 (+news knowledge base; a journalist's research tool; respects robots.txt)"
RETRY_STATUS = {429, 500, 502, 503, 504}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


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


def check_scheme(url: str) -> None:
    """Refuse anything but http(s) URLs with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise IngestError(url, "fetch", f"refused scheme {parts.scheme or '(none)'!r}: only http and https")
    if not parts.hostname:
        raise IngestError(url, "fetch", "no host in URL")


class Fetcher:
    """Fetches URLs politely. Use as a context manager, or call close()."""

    def __init__(self, *, timeout: float = 20, max_bytes: int = 10_000_000, max_redirects: int = 5,
                 retries: int = 2, backoff: float = 0.5, delay: float = 1.0,
                 local_delay: float = 0.0, respect_robots: bool = True,
                 user_agent: str = USER_AGENT, transport: httpx.BaseTransport | None = None):
        self.timeout, self.max_bytes, self.max_redirects = timeout, max_bytes, max_redirects
        self.retries, self.backoff = retries, backoff
        self.delay, self.local_delay = delay, local_delay
        self.respect_robots, self.user_agent = respect_robots, user_agent
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False, timeout=timeout, transport=transport,
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ politeness

    def _wait_turn(self, url: str) -> None:
        """Sleep so that two requests to one host are at least the delay apart."""
        host = (urlsplit(url).hostname or "").lower()
        delay = self.local_delay if host in LOCAL_HOSTS else self.delay
        with self._lock:
            now = time.monotonic()
            wait = self._last.get(host, 0.0) + delay - now
            self._last[host] = max(now, now + wait)
        if wait > 0:
            time.sleep(wait)

    def allowed(self, url: str) -> bool:
        """robots.txt says this user agent may fetch the URL (fetch failures allow)."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin + "/robots.txt")
        rules = self._robots[origin]
        return True if rules is None else rules.can_fetch(self.user_agent, url)

    def _load_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            self._wait_turn(robots_url)
            resp = self._client.get(robots_url, timeout=min(self.timeout, 10), follow_redirects=True)
        except httpx.HTTPError:
            return None
        if resp.status_code != 200 or len(resp.content) > 500_000:
            return None
        rules = urllib.robotparser.RobotFileParser(robots_url)
        rules.parse(resp.text.splitlines())
        return rules

    # ------------------------------------------------------------------ fetching

    def fetch(self, url: str, *, headers: dict | None = None, etag: str | None = None,
              last_modified: str | None = None) -> Response:
        """GET a URL, following up to max_redirects redirects; raises IngestError."""
        check_scheme(url)
        current, seen = url, []
        for _ in range(self.max_redirects + 1):
            if not self.allowed(current):
                raise IngestError(url, "fetch", f"disallowed by robots.txt: {current}")
            resp = self._get_with_retries(url, current, headers, etag, last_modified)
            if resp.status in (301, 302, 303, 307, 308) and "location" in resp.headers:
                seen.append(current)
                nxt = urljoin(current, resp.headers["location"])
                try:
                    check_scheme(nxt)
                except IngestError as exc:
                    raise IngestError(url, "fetch", f"redirect to {nxt}: {exc.reason}") from None
                if nxt in seen:
                    raise IngestError(url, "fetch", f"redirect loop at {nxt}")
                current = nxt
                continue
            return resp
        raise IngestError(url, "fetch", f"too many redirects (more than {self.max_redirects})")

    def _get_with_retries(self, source: str, url: str, headers: dict | None, etag: str | None,
                          last_modified: str | None) -> Response:
        req_headers = dict(headers or {})
        if etag:
            req_headers["If-None-Match"] = etag
        if last_modified:
            req_headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                resp = self._get_once(source, url, req_headers)
            except IngestError as exc:
                retriable = exc.reason.startswith(("timed out", "connection"))
                if not retriable or attempt >= self.retries:
                    raise
            else:
                if resp.status not in RETRY_STATUS or attempt >= self.retries:
                    break
            attempt += 1
            time.sleep(self.backoff * (2 ** (attempt - 1)))
        if resp.status == 304:
            resp.not_modified = True
            return resp
        if resp.status >= 400:
            raise IngestError(source, "fetch", f"HTTP {resp.status} {_reason(resp.status)} for {url}")
        return resp

    def _get_once(self, source: str, url: str, headers: dict) -> Response:
        deadline = time.monotonic() + self.timeout * 3  # total budget for a trickling server
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                rh = {k.lower(): v for k, v in r.headers.items()}
                if r.status_code >= 300 or r.status_code == 204:
                    return Response(str(r.url), r.status_code, rh, b"")
                length = rh.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise IngestError(source, "fetch", f"too large: {length} bytes (limit {self.max_bytes})")
                chunks, total = [], 0
                for chunk in r.iter_bytes():  # decompressed bytes
                    total += len(chunk)
                    if total > self.max_bytes:
                        raise IngestError(source, "fetch", f"too large: more than {self.max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise IngestError(source, "fetch", f"timed out reading {url}")
                    chunks.append(chunk)
                return Response(str(r.url), r.status_code, rh, b"".join(chunks))
        except httpx.TimeoutException:
            raise IngestError(source, "fetch", f"timed out after {self.timeout:g} s: {url}") from None
        except httpx.ConnectError as exc:
            raise IngestError(source, "fetch", f"connection failed (host unreachable?): {_short(exc)}") from None
        except httpx.DecodingError:
            raise IngestError(source, "fetch", f"bad content encoding from {url}") from None
        except httpx.UnsupportedProtocol:
            raise IngestError(source, "fetch", f"refused scheme in {url}") from None
        except httpx.HTTPError as exc:
            raise IngestError(source, "fetch", f"connection error: {type(exc).__name__}: {_short(exc)}") from None


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def fetch(url: str, *, timeout: float = 20, max_bytes: int = 10_000_000, max_redirects: int = 5,
          headers: dict | None = None, etag: str | None = None,
          last_modified: str | None = None) -> Response:
    """Fetch one URL with a short-lived Fetcher (see Fetcher for the rules)."""
    with Fetcher(timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects) as f:
        return f.fetch(url, headers=headers, etag=etag, last_modified=last_modified)
