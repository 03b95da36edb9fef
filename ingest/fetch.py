"""The only module that touches the network: polite HTTP(S) GETs with httpx.

A `Fetcher` keeps one httpx.Client, a per-host delay between requests, robots.txt rules
cached per host, and a size cap counted on decompressed bytes while streaming. Every
problem becomes an IngestError(stage="fetch").

Time: one total deadline per fetch (`timeout`, default 30 s) covers robots.txt, connect,
headers, body and redirects. It is enforced on every socket operation (each connect, read
and write may only wait for what is left of it) and between body chunks, so a server that
trickles bytes, or headers, costs at most the deadline. Timeouts and failed connects are
not retried: the deadline is spent, and the host gets its next chance with its next URL.
5xx/429 answers and dropped connections are retried (`retries`, with backoff) while the
deadline leaves room. A host that fails `give_up_after` times in a row (no connection, no
answer in time, connection dropped) is given up for the rest of the run: its later URLs
fail at once with "host given up after N failures".
"""
from __future__ import annotations

import threading
import time
import urllib.robotparser
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .article import IngestError

USER_AGENT = "kb/0.1 (+news knowledge base; a journalist's research tool; respects robots.txt)"
RETRY_STATUS = {429, 500, 502, 503, 504}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
ROBOTS_TIMEOUT = 10  # seconds robots.txt may take (within the request's deadline)

#: When the fetch running in this thread must be done (time.monotonic()), or None.
_DEADLINE: ContextVar[float | None] = ContextVar("kb_fetch_deadline", default=None)


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


# --- the deadline on every socket operation ----------------------------------------------

def _left(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout` cut to what is left of this thread's deadline; `expired` once it passed."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads and writes never wait past the deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                     _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, with connects cut to the deadline and streams wrapped."""

    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(host, port, _left(timeout, httpcore.ConnectTimeout),
                                                       local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, _left(timeout, httpcore.ConnectTimeout),
                                                               socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport() -> httpx.BaseTransport:
    """httpx's own transport, its sockets held to the deadline (see _DeadlineStream).

    httpx has no public hook for the network backend; should its pool change shape, the
    deadline is still checked between body chunks and per operation."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend):
        pool._network_backend = _DeadlineBackend(backend)
    return transport


class Fetcher:
    """Fetches URLs politely. Use as a context manager, or call close().

    `timeout`: seconds one fetch may take in all (robots.txt, redirects, connect, headers,
    body). `retries`: extra attempts after a 5xx/429 answer or a dropped connection, while
    the deadline leaves room. `give_up_after`: failures in a row after which a host is given
    up for the life of this Fetcher (one run)."""

    def __init__(self, *, timeout: float = 30, max_bytes: int = 10_000_000, max_redirects: int = 5,
                 retries: int = 2, backoff: float = 0.5, delay: float = 1.0,
                 local_delay: float = 0.0, respect_robots: bool = True, give_up_after: int = 2,
                 user_agent: str = USER_AGENT, transport: httpx.BaseTransport | None = None):
        self.timeout, self.max_bytes, self.max_redirects = timeout, max_bytes, max_redirects
        self.retries, self.backoff, self.give_up_after = retries, backoff, max(1, give_up_after)
        self.delay, self.local_delay = delay, local_delay
        self.respect_robots, self.user_agent = respect_robots, user_agent
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False, timeout=timeout, transport=transport or deadline_transport(),
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._failures: dict[str, int] = {}      # host -> failures in a row
        self._given_up: dict[str, str] = {}      # host -> the last failure's reason
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
        """robots.txt says this user agent may fetch the URL. An answer other than 200 allows;
        no answer at all (no connection, timeout) raises HostFailure: RFC 9309 says an
        unreachable robots.txt means "disallow", and it is not cached, so it is asked again."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(url, origin + "/robots.txt")
        rules = self._robots[origin]
        return True if rules is None else rules.can_fetch(self.user_agent, url)

    def _load_robots(self, source: str, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        self._check_host(source, robots_url)
        self._wait_turn(robots_url)
        body = b""
        try:
            with self._client.stream("GET", robots_url, timeout=ROBOTS_TIMEOUT, follow_redirects=True) as r:
                self._host_answered(robots_url)
                if r.status_code != 200:
                    return None
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > 500_000:
                        return None
        except (httpx.TimeoutException, httpx.ConnectError) as exc:
            raise self._host_failure(source, robots_url, exc, "robots.txt",
                                     min(self.timeout, ROBOTS_TIMEOUT)) from None
        except httpx.HTTPError:
            return None
        rules = urllib.robotparser.RobotFileParser(robots_url)
        rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules

    # ------------------------------------------------------------------ hosts that keep failing

    def given_up(self, url: str) -> bool:
        """The URL's host failed `give_up_after` times in a row in this run."""
        return host_key(url) in self._given_up

    def _check_host(self, source: str, url: str) -> None:
        host = host_key(url)
        if host in self._given_up:
            raise IngestError(source, "fetch", f"host given up after {self.give_up_after} failures in this run: "
                                               f"{host} (last: {self._given_up[host]})")

    def _note_failure(self, exc: HostFailure) -> None:
        with self._lock:
            count = self._failures[exc.host] = self._failures.get(exc.host, 0) + 1
            if count >= self.give_up_after:
                self._given_up[exc.host] = exc.reason

    def _host_answered(self, url: str) -> None:
        with self._lock:
            self._failures.pop(host_key(url), None)

    def _host_failure(self, source: str, url: str, exc: BaseException, what: str = "",
                      limit: float | None = None) -> HostFailure:
        """The HostFailure for a timeout, a failed connect or a dropped connection."""
        prefix = f"{what}: " if what else ""
        if isinstance(exc, httpx.TimeoutException):
            reason = f"timed out after {limit or self.timeout:g} s: {prefix}{url}"
        elif isinstance(exc, httpx.ConnectError):
            reason = f"connection failed (host unreachable?): {prefix}{_short(exc)}"
        else:
            reason = f"connection error: {prefix}{type(exc).__name__}: {_short(exc)}"
        return HostFailure(source, reason, host_key(url))

    # ------------------------------------------------------------------ fetching

    def fetch(self, url: str, *, headers: dict | None = None, etag: str | None = None,
              last_modified: str | None = None) -> Response:
        """GET a URL within one deadline, following up to max_redirects redirects; raises IngestError."""
        check_scheme(url)
        token = _DEADLINE.set(time.monotonic() + self.timeout)
        try:
            return self._follow(url, headers, etag, last_modified)
        except HostFailure as exc:
            self._note_failure(exc)
            raise
        finally:
            _DEADLINE.reset(token)

    def _follow(self, url: str, headers: dict | None, etag: str | None, last_modified: str | None) -> Response:
        current, seen = url, []
        for _ in range(self.max_redirects + 1):
            self._check_host(url, current)
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

    def _room_for(self, pause: float) -> bool:
        """A pause of `pause` s and a new attempt still fit in the deadline."""
        deadline = _DEADLINE.get()
        return deadline is None or time.monotonic() + pause < deadline

    def _get_with_retries(self, source: str, url: str, headers: dict | None, etag: str | None,
                          last_modified: str | None) -> Response:
        req_headers = dict(headers or {})
        if etag:
            req_headers["If-None-Match"] = etag
        if last_modified:
            req_headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            pause = self.backoff * (2 ** attempt)
            self._wait_turn(url)
            try:
                resp = self._get_once(source, url, req_headers)
            except HostFailure as exc:  # timeouts and failed connects: the deadline is spent, not retried
                dropped = exc.reason.startswith("connection error")
                if not dropped or attempt >= self.retries or not self._room_for(pause):
                    raise
            else:
                if resp.status not in RETRY_STATUS or attempt >= self.retries or not self._room_for(pause):
                    break
            attempt += 1
            time.sleep(pause)
        if resp.status == 304:
            resp.not_modified = True
            return resp
        if resp.status >= 400:
            raise IngestError(source, "fetch", f"HTTP {resp.status} {_reason(resp.status)} for {url}")
        return resp

    def _get_once(self, source: str, url: str, headers: dict) -> Response:
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                self._host_answered(url)
                return self._read_body(source, url, r)
        except httpx.DecodingError:
            raise IngestError(source, "fetch", f"bad content encoding from {url}") from None
        except httpx.UnsupportedProtocol:
            raise IngestError(source, "fetch", f"refused scheme in {url}") from None
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise self._host_failure(source, url, exc) from None
        except httpx.HTTPError as exc:
            raise IngestError(source, "fetch", f"connection error: {type(exc).__name__}: {_short(exc)}") from None

    def _read_body(self, source: str, url: str, r: httpx.Response) -> Response:
        """The body of a streamed answer, within the size cap and the deadline."""
        rh = {k.lower(): v for k, v in r.headers.items()}
        if r.status_code >= 300 or r.status_code == 204:
            return Response(str(r.url), r.status_code, rh, b"")
        length = rh.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise IngestError(source, "fetch", f"too large: {length} bytes (limit {self.max_bytes})")
        deadline = _DEADLINE.get()
        chunks, total = [], 0
        for chunk in r.iter_bytes():  # decompressed bytes
            total += len(chunk)
            if total > self.max_bytes:
                raise IngestError(source, "fetch", f"too large: more than {self.max_bytes} bytes")
            if deadline is not None and time.monotonic() > deadline:
                raise httpx.ReadTimeout("the request's deadline passed")
            chunks.append(chunk)
        return Response(str(r.url), r.status_code, rh, b"".join(chunks))


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def fetch(url: str, *, timeout: float = 30, max_bytes: int = 10_000_000, max_redirects: int = 5,
          headers: dict | None = None, etag: str | None = None,
          last_modified: str | None = None) -> Response:
    """Fetch one URL with a short-lived Fetcher (see Fetcher for the rules)."""
    with Fetcher(timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects) as f:
        return f.fetch(url, headers=headers, etag=etag, last_modified=last_modified)
