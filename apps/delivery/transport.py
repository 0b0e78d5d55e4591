"""The transport under every outbound request: the SSRF guard, checked addresses only,
and a deadline on every socket wait (the layers apps.delivery.http_client describes).

    GuardedTransport    checks the URL with the SSRF guard for every request and pins
                        the addresses it checked to this request
    _PinnedBackend      opens new connections to the pinned addresses only: the host
                        name is never looked up a second time (no DNS rebinding)
    _DeadlineStream     shortens every socket wait to the request's overall deadline
                        (``request_deadline``), so a server trickling bytes cannot hold
                        a worker
"""

from __future__ import annotations

import contextvars
import functools
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from apps.delivery.ssrf import DestinationError, IPAddress, check_url

LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=30.0)
# Writes go out in slices so the deadline is looked at between them.
_WRITE_SLICE = 16 * 1024

# -- Per-request state: which addresses were checked, when the request must end -----------

_pinned: contextvars.ContextVar[tuple[str, tuple[IPAddress, ...]] | None] = contextvars.ContextVar(
    "relaycore_pinned_addresses", default=None
)
request_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "relaycore_deadline", default=None
)


def _within_deadline(timeout: float | None, expired: type[Exception]) -> float | None:
    """The socket timeout to use now: ``timeout``, shortened to what the deadline leaves."""
    deadline = request_deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the request's overall deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every wait ends by the current request's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), _WRITE_SLICE):
            piece = buffer[start : start + _WRITE_SLICE]
            self._stream.write(piece, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to the addresses the transport checked for this request, never a name."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        pinned = _pinned.get()
        if pinned is None or pinned[0] != host:
            # Fail closed: a connection the guard did not vouch for is not opened.
            raise DestinationError(f"{host} was not checked before connecting")
        error: Exception = httpcore.ConnectError(f"no address to connect to for {host}")
        for ip in pinned[1]:
            try:
                timeout_now = _within_deadline(timeout, httpcore.ConnectTimeout)
                stream = super().connect_tcp(
                    str(ip), port, timeout_now, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc  # like a browser, try the next address of the name
                continue
            return _DeadlineStream(stream)
        raise error


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that refuses unsafe destinations and dials only checked IPs."""

    def __init__(
        self,
        *,
        limits: httpx.Limits = LIMITS,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        # One context for every transport: loading the CA bundle costs milliseconds of
        # CPU, and each destination has a transport of its own.
        ssl_context = ssl_context or shared_ssl_context()
        super().__init__(verify=ssl_context, limits=limits, http2=False, trust_env=False)
        # httpx offers no public way to choose httpcore's network backend, so the pool
        # it built is replaced by an identical one around ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=_PinnedBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        addresses = check_url(str(request.url))
        token = _pinned.set((request.url.raw_host.decode("ascii"), tuple(addresses)))
        try:
            return super().handle_request(request)
        finally:
            _pinned.reset(token)


@functools.lru_cache(maxsize=1024)
def parsed_url(url: str) -> httpx.URL:
    """httpx parses a URL in Python; a destination's is the same for every request."""
    return httpx.URL(url)
