"""Replaying one event to the developer's local URL, as the gateway received it."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

import httpx

# Hop-by-hop headers belong to the connection the gateway received, not to the event;
# Host and Content-Length are the new request's own.
NOT_FORWARDED = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


@dataclass(frozen=True)
class Forwarded:
    status: int | None  # None: no answer
    latency_ms: float
    error: str = ""


def target_url(forward: str, query_string: str) -> str:
    """The local URL, with the query string the producer sent (if any) appended."""
    if not query_string:
        return forward
    return f"{forward}{'&' if '?' in forward else '?'}{query_string}"


def headers_of(event: dict) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in event["headers"].items()
        if name.lower() not in NOT_FORWARDED
    ]


class Forwarder:
    def __init__(self, forward: str, timeout: float) -> None:
        self.forward = forward
        # No default headers (httpx adds Accept, User-Agent, ...): only the event's.
        self.client = httpx.Client(timeout=timeout, follow_redirects=False)
        self.client.headers.clear()

    def send(self, event: dict) -> Forwarded:
        body = base64.b64decode(event["body_base64"])
        began = time.monotonic()
        try:
            response = self.client.request(
                event.get("method", "POST"),
                target_url(self.forward, event.get("query_string", "")),
                headers=headers_of(event),
                content=body,
            )
        except httpx.HTTPError as error:
            took = (time.monotonic() - began) * 1000
            return Forwarded(None, took, _short(error))
        return Forwarded(response.status_code, (time.monotonic() - began) * 1000)

    def close(self) -> None:
        self.client.close()


def _short(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.ConnectError):
        return "connection refused (is the local app running?)"
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    return str(error) or type(error).__name__
