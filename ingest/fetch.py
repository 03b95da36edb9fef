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

Many hosts at once: `AsyncFetcher` (asyncio, httpx) keeps the same rules for up to
`concurrency` fetches at a time ($KB_FETCH_CONCURRENCY, 16), one per host, `delay` apart
($KB_FETCH_DELAY, 1 s); ingest/crawl.py runs it.
"""
from __future__ import annotations

import asyncio
import threading
import time
import urllib.robotparser
from contextvars import ContextVar
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .article import IngestError
from .politeness import (LOCAL_HOSTS, RETRY_STATUS, ROBOTS_TIMEOUT, USER_AGENT, HostFailure,  # noqa: F401
                         Call, Response, answer_head, check_scheme, env_number, final_response, host_key, robots_rules, short)

#: When the fetch running in this thread must be done (time.monotonic()), or None.
_DEADLINE: ContextVar[float | None] = ContextVar("kb_fetch_deadline", default=None)


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
                 retries: int = 2, backoff: float = 0.5, delay: float | None = None,
                 local_delay: float = 0.0, respect_robots: bool = True, give_up_after: int = 2,
                 user_agent: str = USER_AGENT, transport: httpx.BaseTransport | None = None,
                 concurrency: int | None = None):
        self.timeout, self.max_bytes, self.max_redirects = timeout, max_bytes, max_redirects
        self.retries, self.backoff, self.give_up_after = retries, backoff, max(1, give_up_after)
        self.delay = env_number("KB_FETCH_DELAY", 1.0) if delay is None else delay
        self.local_delay = local_delay
        self.concurrency = max(1, int(env_number("KB_FETCH_CONCURRENCY", 16, 1) if concurrency is None
                                      else concurrency))
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
        self.ahead: dict[str, Callable[[], Response]] = {}  # url -> its answer, fetched ahead

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ politeness

    def _reserve_turn(self, url: str, peek: bool = False) -> float:
        """Seconds to wait before the host's next request, the delay after its last one;
        the turn is taken (booked for the caller) unless `peek`."""
        host = (urlsplit(url).hostname or "").lower()
        delay = self.local_delay if host in LOCAL_HOSTS else self.delay
        with self._lock:
            now = time.monotonic()
            wait = self._last.get(host, 0.0) + delay - now
            if not peek:
                self._last[host] = max(now, now + wait)
        return wait

    def _turn_done(self, url: str) -> None:
        """The host's next turn counts from now, when its last request ended (not only from
        when it was booked: a busy process may have sent it late)."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            self._last[host] = max(self._last.get(host, 0.0), time.monotonic())

    def _wait_turn(self, url: str) -> None:
        """Sleep so that two requests to one host are at least the delay apart."""
        wait = self._reserve_turn(url)
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
        return robots_rules(robots_url, body)

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
            reason = f"connection failed (host unreachable?): {prefix}{short(exc)}"
        else:
            reason = f"connection error: {prefix}{type(exc).__name__}: {short(exc)}"
        return HostFailure(source, reason, host_key(url))

    # ------------------------------------------------------------------ fetching

    def fetch(self, url: str, *, headers: dict | None = None, etag: str | None = None,
              last_modified: str | None = None) -> Response:
        """GET a URL within one deadline, following up to max_redirects redirects; raises IngestError.
        A URL fetched ahead (ingest/crawl.py, `ahead`) is taken from there."""
        if url in self.ahead and not (headers or etag or last_modified):
            return self.ahead.pop(url)()
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
            nxt = self._redirect(url, current, resp, seen)
            if nxt is None:
                return resp
            current = nxt
        raise IngestError(url, "fetch", f"too many redirects (more than {self.max_redirects})")

    @staticmethod
    def _redirect(source: str, current: str, resp: Response, seen: list[str]) -> str | None:
        """Where a redirect answer points (checked), or None for any other answer."""
        if resp.status not in (301, 302, 303, 307, 308) or "location" not in resp.headers:
            return None
        seen.append(current)
        nxt = urljoin(current, resp.headers["location"])
        try:
            check_scheme(nxt)
        except IngestError as exc:
            raise IngestError(source, "fetch", f"redirect to {nxt}: {exc.reason}") from None
        if nxt in seen:
            raise IngestError(source, "fetch", f"redirect loop at {nxt}")
        return nxt

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
        return final_response(source, url, resp)

    def _get_once(self, source: str, url: str, headers: dict) -> Response:
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                self._host_answered(url)
                return self._read_body(source, url, r)
        except httpx.HTTPError as exc:
            raise self._http_error(source, url, exc) from None

    def _http_error(self, source: str, url: str, exc: httpx.HTTPError) -> IngestError:
        """The recorded failure of an httpx error (a timeout or a lost connection counts
        against the host)."""
        if isinstance(exc, httpx.DecodingError):
            return IngestError(source, "fetch", f"bad content encoding from {url}")
        if isinstance(exc, httpx.UnsupportedProtocol):
            return IngestError(source, "fetch", f"refused scheme in {url}")
        if isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)):
            return self._host_failure(source, url, exc)
        return IngestError(source, "fetch", f"connection error: {type(exc).__name__}: {short(exc)}")

    def _read_body(self, source: str, url: str, r: httpx.Response) -> Response:
        """The body of a streamed answer, within the size cap and the deadline."""
        rh, done = answer_head(source, r, self.max_bytes)
        if done is not None:
            return done
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


def fetch(url: str, *, timeout: float = 30, max_bytes: int = 10_000_000, max_redirects: int = 5,
          headers: dict | None = None, etag: str | None = None,
          last_modified: str | None = None) -> Response:
    """Fetch one URL with a short-lived Fetcher (see Fetcher for the rules)."""
    with Fetcher(timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects) as f:
        return f.fetch(url, headers=headers, etag=etag, last_modified=last_modified)


# --- many hosts at once -------------------------------------------------------------------

class AsyncFetcher:
    """The Fetcher's rules on asyncio: many hosts at once, one request at a time per host.

    It shares its Fetcher's settings and per-host state (politeness clock, robots.txt rules,
    failures, hosts given up). A fetch waits for its host's turn, then for one of the
    `concurrency` slots, and only then starts its deadline: a slow host delays no other."""

    def __init__(self, base: Fetcher, concurrency: int):
        self.base = base
        n = max(1, concurrency)
        self._slots, self._hosts = asyncio.Semaphore(n), {}  # host -> asyncio.Lock
        self._client = httpx.AsyncClient(headers=dict(base._client.headers), follow_redirects=False,
                                         timeout=base.timeout,
                                         limits=httpx.Limits(max_connections=n, max_keepalive_connections=n))

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _turn(self, url: str) -> None:
        await asyncio.sleep(max(0.0, self.base._reserve_turn(url)))

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET a URL as Fetcher.fetch does (same deadline, caps and errors)."""
        b = self.base
        check_scheme(url)
        async with self._hosts.setdefault(host_key(url), asyncio.Lock()):
            b._check_host(url, url)
            await asyncio.sleep(max(0.0, b._reserve_turn(url, peek=True)))
            async with self._slots:
                call = Call(url)
                try:
                    async with asyncio.timeout(b.timeout) as cm:
                        call.deadline = cm.when() or 0.0
                        return await self._follow(call, etag, last_modified)
                except TimeoutError:
                    limit = min(b.timeout, ROBOTS_TIMEOUT) if call.what else b.timeout
                    exc = HostFailure(url, f"timed out after {limit:g} s: {call.what}{call.url}", host_key(call.url))
                    b._note_failure(exc)
                    raise exc from None
                except HostFailure as exc:
                    b._note_failure(exc)
                    raise

    async def _follow(self, call: Call, etag: str | None, last_modified: str | None) -> Response:
        b, url = self.base, call.source
        current, seen = url, []
        for _ in range(b.max_redirects + 1):
            b._check_host(url, current)
            if not await self._allowed(call, current):
                raise IngestError(url, "fetch", f"disallowed by robots.txt: {current}")
            call.url, call.what = current, ""
            resp = await self._get_with_retries(call, current, etag, last_modified)
            nxt = b._redirect(url, current, resp, seen)
            if nxt is None:
                return resp
            current = nxt
        raise IngestError(url, "fetch", f"too many redirects (more than {b.max_redirects})")

    async def _allowed(self, call: Call, url: str) -> bool:
        b, origin = self.base, "{0.scheme}://{0.netloc}".format(urlsplit(url)).lower()
        if b.respect_robots and origin not in b._robots:
            b._robots[origin] = await self._load_robots(call, origin + "/robots.txt")
        return b.allowed(url)  # the rules are cached now: no request

    async def _load_robots(self, call: Call, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        b = self.base
        b._check_host(call.source, robots_url)
        await self._turn(robots_url)
        call.url, call.what = robots_url, "robots.txt: "
        body = b""
        try:
            async with asyncio.timeout(ROBOTS_TIMEOUT):
                async with self._client.stream("GET", robots_url, timeout=ROBOTS_TIMEOUT,
                                               follow_redirects=True) as r:
                    b._host_answered(robots_url)
                    if r.status_code != 200:
                        return None
                    async for chunk in r.aiter_bytes():
                        body += chunk
                        if len(body) > 500_000:
                            return None
        except (TimeoutError, httpx.TimeoutException, httpx.ConnectError) as exc:
            exc = httpx.ReadTimeout("robots.txt") if isinstance(exc, TimeoutError) else exc
            raise b._host_failure(call.source, robots_url, exc, "robots.txt",
                                  min(b.timeout, ROBOTS_TIMEOUT)) from None
        except httpx.HTTPError:
            return None
        finally:
            b._turn_done(robots_url)
        return robots_rules(robots_url, body)

    async def _get_with_retries(self, call: Call, url: str, etag: str | None,
                                last_modified: str | None) -> Response:
        b = self.base
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            pause = b.backoff * (2 ** attempt)
            await self._turn(url)
            try:
                resp = await self._get_once(call.source, url, headers)
            except HostFailure as exc:  # timeouts and failed connects: not retried
                if not exc.reason.startswith("connection error") or attempt >= b.retries or not call.room(pause):
                    raise
            else:
                if resp.status not in RETRY_STATUS or attempt >= b.retries or not call.room(pause):
                    break
            attempt += 1
            await asyncio.sleep(pause)
        return final_response(call.source, url, resp)

    async def _get_once(self, source: str, url: str, headers: dict) -> Response:
        b = self.base
        try:
            async with self._client.stream("GET", url, headers=headers) as r:
                b._host_answered(url)
                rh, done = answer_head(source, r, b.max_bytes)
                if done is not None:
                    return done
                chunks, total = [], 0
                async for chunk in r.aiter_bytes():  # decompressed bytes
                    total += len(chunk)
                    if total > b.max_bytes:
                        raise IngestError(source, "fetch", f"too large: more than {b.max_bytes} bytes")
                    chunks.append(chunk)
                return Response(str(r.url), r.status_code, rh, b"".join(chunks))
        except httpx.HTTPError as exc:
            raise b._http_error(source, url, exc) from None
        finally:
            b._turn_done(url)
