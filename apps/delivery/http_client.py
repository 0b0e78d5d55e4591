"""One hardened HTTP client for every outbound request.

``send()`` posts a body and answers a ``SendResult``; it never raises, so the delivery
task alone decides what to do with a failure. Underneath, each destination has a pool
(per process) whose transport checks every request with the SSRF guard, dials only the
addresses it checked and holds every socket wait to the request's deadline
(apps.delivery.transport). Connections stay keyed by host name, so TLS verifies the
name and a connection opened for one host is never reused for another that happens to
share its address.

What ``send()`` makes of each failure::

    ssrf.DestinationError
     ├── UnsafeDestination         the guard's message               permanent
     └── HostNotFound              "could not resolve <host>"        retryable
    httpx.TimeoutException         "timed out after N s"             retryable
    httpx.ConnectError             "connection refused", TLS, ...    retryable
    httpx.TransportError (others)  "connection reset", ...           retryable
    httpx.InvalidURL, UnsupportedProtocol, LocalProtocolError        permanent
    HTTP 2xx                       ok
    HTTP 3xx                       "redirect to <url> not followed"  permanent
    HTTP 408, 409, 425, 429, 5xx   "HTTP <status> <reason>"          retryable
    HTTP other 4xx                 "HTTP <status> <reason>"          permanent

Each failure also gets an error kind (apps.core.models.ErrorKind, ``failure_kind`` and
``status_kind``): the guard's refusal ``ssrf_refused``, a timeout ``timeout``, an
unresolved host or any other transport error ``connection``, 4xx/5xx by class, and the
rest (redirects, invalid URLs) ``other``. Failures of one kind and one destination are
one Issue.
"""

from __future__ import annotations

import email.utils
import logging
import os
import re
import ssl
import threading
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from apps.core import secret_urls
from apps.core.models import ErrorKind
from apps.delivery.ssrf import DestinationError, HostNotFound
from apps.delivery.transport import GuardedTransport, parsed_url, request_deadline

logger = logging.getLogger(__name__)

USER_AGENT = "RelayCore/0.1 (+webhook gateway)"
CONNECT_TIMEOUT = 5.0
EXCERPT_BYTES = 4096
MAX_RETRY_AFTER = 86400.0
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})
# Past the excerpt, read this much more so the connection can go back to the pool;
# a bigger body is cheaper to drop with its connection than to download.
_DRAIN_BYTES = 64 * 1024


# -- The clients: one pool per destination ----------------------------------------------

# One shared pool made each request scan every destination's connections under its one
# lock: with ten busy destinations, a third of a worker's Python time. A pool per key (a
# destination) holds that one's, at most its cap. One unused this long is closed: longer
# than any request may take (timeouts end by 60 s), so none is still running on it.
IDLE_POOL_SECONDS = 120.0


@dataclass
class _Pool:
    transport: GuardedTransport
    client: httpx.Client  # around the transport, for callers that want a client
    last_used: float = 0.0


_pools: dict[Hashable, _Pool] = {}
_pools_lock = threading.Lock()
_last_sweep = 0.0


def get_client(key: Hashable = None) -> httpx.Client:
    """The process's pooled client for `key` (None: the shared one), created on first use."""
    return _pool_for(key, time.monotonic()).client


def _pool_for(key: Hashable, now: float) -> _Pool:
    """The key's pool, marked used now; at most once per IDLE_POOL_SECONDS, the pools
    unused that long are closed. Only a new pool or a sweep takes the lock."""
    global _last_sweep
    pool = _pools.get(key)
    idle: list[_Pool] = []
    if pool is None or now - _last_sweep > IDLE_POOL_SECONDS:
        with _pools_lock:
            if now - _last_sweep > IDLE_POOL_SECONDS:
                _last_sweep = now
                for other_key, other in list(_pools.items()):
                    if other_key is not None and now - other.last_used > IDLE_POOL_SECONDS:
                        idle.append(_pools.pop(other_key))
            pool = _pools.get(key)
            if pool is None:
                transport = GuardedTransport()
                pool = _pools[key] = _Pool(transport, _build_client(transport))
    pool.last_used = now
    for old in idle:
        old.client.close()
    return pool


def close_client() -> None:
    """Close every pooled connection; the next request starts afresh."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.client.close()


def _build_client(transport: GuardedTransport) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        timeout=httpx.Timeout(10.0, connect=CONNECT_TIMEOUT),
        follow_redirects=False,
        trust_env=False,  # no proxies or .netrc from the environment
    )


def _forget_clients_after_fork() -> None:
    # A forked worker must not share the parent's sockets, nor inherit a held lock.
    global _pools, _pools_lock
    _pools = {}
    _pools_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_clients_after_fork)


# -- send() ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    duration_ms: float
    response_body: str
    response_headers: dict[str, str]
    error: str
    retryable: bool
    retry_after: float | None
    error_kind: str = ""  # an ErrorKind for a failure, empty for a success
    # The headers as they went out (httpx's own included), in their order and casing;
    # empty when the request could not even be built.
    request_headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def send(
    url: str, body: bytes, headers: Mapping[str, str], timeout: float, pool: Hashable = None
) -> SendResult:
    """POST ``body`` to ``url`` within ``timeout`` seconds overall, on the connections of
    ``pool`` (a destination's id; None: the shared pool); never raises."""
    started = time.monotonic()
    token = request_deadline.set(started + timeout)
    sent: dict[str, str] = {}
    try:
        transport = _pool_for(pool, started).transport
        response, excerpt = _post(transport, url, body, headers, timeout, sent)
    except Exception as exc:
        error, retryable = _describe_failure(exc, url, timeout)
        # A message quoting the URL (httpx's do) must not store a Slack or Discord token.
        error = secret_urls.mask_in_text(error, url)
        kind = failure_kind(exc)
        return SendResult(None, _elapsed_ms(started), "", {}, error, retryable, None, kind, sent)
    finally:
        request_deadline.reset(token)
    return replace(_result(url, response, excerpt, _elapsed_ms(started)), request_headers=sent)


# The headers every request starts with, in the order httpx.Client puts them.
_BASE_HEADERS = (
    ("Accept", "*/*"),
    ("Accept-Encoding", "identity"),
    ("Connection", "keep-alive"),
    ("User-Agent", USER_AGENT),
)


def _post(
    transport: GuardedTransport,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    sent: dict[str, str],
) -> tuple[httpx.Response, bytes]:
    """Send, and fill `sent` with the request's headers as soon as they are known, so a
    request that then fails still says what it sent.

    The request goes straight to the pool's transport: httpx.Client's own layers (auth,
    redirects, which are never followed here, a cookie jar, hooks) were a fifth of a
    delivery's Python time and none of them applies. The request is the one the client
    built: the same headers in the same order, the same timeouts."""
    outgoing = httpx.Headers(_BASE_HEADERS)
    outgoing.update(headers)
    outgoing["User-Agent"] = USER_AGENT
    limits = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
    request = httpx.Request(
        "POST",
        parsed_url(url),
        content=body,
        headers=outgoing,
        extensions={"timeout": limits.as_dict()},
    )
    sent.update(
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
    )
    response = transport.handle_request(request)
    response.request = request
    try:
        return response, _read_excerpt(response)
    finally:
        response.close()


def _read_excerpt(response: httpx.Response) -> bytes:
    """The first EXCERPT_BYTES of the body, read as it streams in (raw, never inflated)."""
    kept = bytearray()
    seen = 0
    try:
        for chunk in response.iter_raw():
            if len(kept) < EXCERPT_BYTES:
                kept += chunk[: EXCERPT_BYTES - len(kept)]
            seen += len(chunk)
            if seen >= EXCERPT_BYTES + _DRAIN_BYTES:
                break
    except httpx.HTTPError:
        pass  # the status line is the answer; a body cut short does not change it
    return bytes(kept)


def _result(url: str, response: httpx.Response, excerpt: bytes, duration_ms: float) -> SendResult:
    status = response.status_code
    error, retryable = _judge_status(url, response)
    return SendResult(
        status_code=status,
        duration_ms=duration_ms,
        response_body=excerpt.decode("utf-8", errors="replace"),
        response_headers=dict(response.headers),
        error=error,
        retryable=retryable,
        retry_after=None if not error else parse_retry_after(response.headers.get("Retry-After")),
        error_kind=status_kind(status),
    )


def status_kind(status: int) -> str:
    """The error kind of an answer with this status ("" for a success)."""
    if 200 <= status < 300:
        return ""
    if 400 <= status < 500:
        return ErrorKind.HTTP_4XX
    if 500 <= status < 600:
        return ErrorKind.HTTP_5XX
    return ErrorKind.OTHER  # a redirect not followed, or a status outside the classes


def _judge_status(url: str, response: httpx.Response) -> tuple[str, bool]:
    status = response.status_code
    if 200 <= status < 300:
        return "", False
    if 300 <= status < 400:
        location = response.headers.get("location")
        if not location:
            return f"redirect (HTTP {status}) without a location not followed", False
        return f"redirect to {clean_url(urljoin(url, location))} not followed", False
    summary = f"HTTP {status} {response.reason_phrase}".strip()
    return summary, status in RETRYABLE_STATUSES or status >= 500


def _describe_failure(exc: Exception, url: str, timeout: float) -> tuple[str, bool]:
    """A short message for a request that got no answer, and whether to try again."""
    if isinstance(exc, HostNotFound):
        return str(exc), True
    if isinstance(exc, DestinationError):
        return str(exc), False
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connect timed out after {min(CONNECT_TIMEOUT, timeout):g} s", True
    if isinstance(exc, httpx.PoolTimeout):
        return f"timed out after {timeout:g} s waiting for a free connection", True
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s", True
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid URL: {exc}", False
    if isinstance(exc, httpx.LocalProtocolError):
        return f"invalid request: {exc}", False
    if isinstance(exc, httpx.TransportError):
        return _describe_transport_error(exc), True
    logger.exception("delivery.http.unexpected_error url=%s", clean_url(url))
    return f"unexpected error: {type(exc).__name__}", True


def failure_kind(exc: Exception) -> str:
    """The error kind of a request that got no answer (the same tree as above)."""
    if isinstance(exc, HostNotFound):
        return ErrorKind.CONNECTION
    if isinstance(exc, DestinationError):
        return ErrorKind.SSRF_REFUSED
    if isinstance(exc, httpx.TimeoutException):
        return ErrorKind.TIMEOUT
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return ErrorKind.OTHER
    if isinstance(exc, httpx.TransportError):
        return ErrorKind.CONNECTION
    return ErrorKind.OTHER


def _describe_transport_error(exc: httpx.TransportError) -> str:
    cause = _root_cause(exc)
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, ConnectionResetError):
        return "connection reset by the destination"
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed: {cause.verify_message}"
    if isinstance(cause, ssl.SSLError):
        return f"TLS handshake failed: {cause.reason or cause}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"invalid response from the destination: {exc}"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {cause}"
    return f"connection failed: {cause}"


def _root_cause(exc: BaseException) -> BaseException:
    # httpcore chains the socket error implicitly (__context__), httpx explicitly.
    seen = {id(exc)}
    while (inner := exc.__cause__ or exc.__context__) is not None and id(inner) not in seen:
        exc = inner
        seen.add(id(exc))
    return exc


# -- Helpers -----------------------------------------------------------------------------


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), max one day."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+", value, flags=re.ASCII):
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def clean_url(url: str) -> str:
    """The URL without credentials, query or fragment, and a secret path (Slack,
    Discord) masked: safe for logs and messages."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "<invalid URL>"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return secret_urls.mask_url(urlunsplit((parts.scheme, netloc, parts.path, "", "")))


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
