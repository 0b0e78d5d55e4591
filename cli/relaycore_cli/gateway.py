"""The gateway's listen endpoints, seen from the client: the stream of server-sent
events when the gateway offers one, else the long poll, one poll at a time.

    GatewayError ........ the gateway answered, and retrying would not help
     └── Refused ........ 401/403: the token is wrong, revoked, expired or lacks a role
    Unreachable ......... no answer, or a 5xx: the gateway is down or restarting; retry

A poll answers {"events": [...], "cursor": N, "more": bool, "poll_after_seconds": s},
the first one also "stream_url" when the gateway runs its stream process. The stream
sends each event as `id: N`, `event: event`, `data: <the poll's JSON of it>`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from relaycore_cli import __version__

# How long an empty poll may wait on the gateway (it may wait less, or not at all).
WAIT_SECONDS = 2.0
# The stream sends a keepalive every 15 s: this much silence means a dead connection.
STREAM_SILENCE_SECONDS = 45.0


class GatewayError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Refused(GatewayError):
    pass


class Unreachable(Exception):
    pass


@dataclass(frozen=True)
class Batch:
    events: list[dict]
    cursor: int
    more: bool
    pause: float
    stream_url: str | None = None


def _message(response: httpx.Response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return response.text.strip()[:200] or response.reason_phrase


class Gateway:
    def __init__(self, api: str, token: str, source: str) -> None:
        self.url = f"{api.rstrip('/')}/api/sources/{quote(source, safe='')}/listen/"
        self.client = httpx.Client(
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": f"relaycore-cli/{__version__}",
            },
            timeout=httpx.Timeout(10.0, read=WAIT_SECONDS + 15.0),
        )

    def poll(self, params: dict) -> Batch:
        try:
            response = self._get(params)
        except httpx.HTTPError as error:
            raise Unreachable(str(error) or type(error).__name__) from None
        _check(response)
        try:
            answer = response.json()
            return Batch(
                answer["events"],
                int(answer["cursor"]),
                bool(answer["more"]),
                float(answer["poll_after_seconds"]),
                answer.get("stream_url") or None,
            )
        except (ValueError, KeyError, TypeError):
            raise Unreachable("the gateway's answer was not a listen batch") from None

    def follow(self, url: str, cursor: int, events: str) -> Iterator[dict]:
        """The stream's events after `cursor`, as they come, until the connection ends
        (Unreachable). The first item is {} once connected: the stream is live."""
        params = {"after": cursor, **({"events": events} if events else {})}
        headers = {"Last-Event-ID": str(cursor), "Accept": "text/event-stream"}
        timeout = httpx.Timeout(10.0, read=STREAM_SILENCE_SECONDS)
        try:
            with self.client.stream(
                "GET", url, params=params, headers=headers, timeout=timeout
            ) as response:
                if response.status_code != 200:
                    response.read()
                    _check(response)
                yield {}
                yield from _server_sent(response.iter_lines())
        except httpx.HTTPError as error:
            raise Unreachable(str(error) or type(error).__name__) from None
        except ValueError:
            raise Unreachable("the stream sent an event that is not JSON") from None
        raise Unreachable("the stream ended")

    def _get(self, params: dict) -> httpx.Response:
        try:
            return self.client.get(self.url, params=params)
        except httpx.RemoteProtocolError:
            # The server closed an idle kept-alive connection as this poll went out
            # (gunicorn's keepalive): a GET, so once more on a fresh connection.
            return self.client.get(self.url, params=params)

    def start(self, since: str | None) -> Batch:
        """Where a new listener starts (now, or before `since`), and the stream's URL if
        the gateway offers one."""
        return self.poll({"since": since} if since else {})

    def next_batch(self, cursor: int, events: str) -> Batch:
        params = {"after": cursor, "wait": WAIT_SECONDS}
        if events:
            params["events"] = events
        return self.poll(params)

    def close(self) -> None:
        self.client.close()


def _check(response: httpx.Response) -> None:
    if response.status_code >= 500:
        raise Unreachable(f"HTTP {response.status_code}: {_message(response)}")
    if response.status_code in (401, 403):
        raise Refused(response.status_code, _message(response))
    if response.status_code != 200:
        raise GatewayError(response.status_code, _message(response))


def _server_sent(lines: Iterator[str]) -> Iterator[dict]:
    """The events of a text/event-stream: each `event: event` as its JSON; an
    `event: error` (the token revoked or the source deactivated while streaming) as the
    refusal the poll would have answered."""
    kind, data = "message", []
    for line in lines:
        if line:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                kind = value
            elif field == "data":
                data.append(value)
            continue
        if kind == "event" and data:
            yield json.loads("\n".join(data))
        elif kind == "error" and data:
            error = json.loads("\n".join(data)).get("error", {})
            message = error.get("message", "the stream was refused")
            if error.get("code") == "not_found":
                raise GatewayError(404, message)  # the source was deactivated
            raise Refused(403 if error.get("code") == "permission_denied" else 401, message)
        kind, data = "message", []
