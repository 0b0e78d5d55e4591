"""The gateway's listen endpoint, seen from the client: one poll at a time.

    GatewayError ........ the gateway answered, and retrying would not help
     └── Refused ........ 401/403: the token is wrong, revoked, expired or lacks a role
    Unreachable ......... no answer, or a 5xx: the gateway is down or restarting; retry

A poll answers {"events": [...], "cursor": N, "more": bool, "poll_after_seconds": s}.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from relaycore_cli import __version__

# How long an empty poll may wait on the gateway (it may wait less, or not at all).
WAIT_SECONDS = 2.0


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
        if response.status_code >= 500:
            raise Unreachable(f"HTTP {response.status_code}: {_message(response)}")
        if response.status_code in (401, 403):
            raise Refused(response.status_code, _message(response))
        if response.status_code != 200:
            raise GatewayError(response.status_code, _message(response))
        try:
            answer = response.json()
            return Batch(
                answer["events"],
                int(answer["cursor"]),
                bool(answer["more"]),
                float(answer["poll_after_seconds"]),
            )
        except (ValueError, KeyError, TypeError):
            raise Unreachable("the gateway's answer was not a listen batch") from None

    def _get(self, params: dict) -> httpx.Response:
        try:
            return self.client.get(self.url, params=params)
        except httpx.RemoteProtocolError:
            # The server closed an idle kept-alive connection as this poll went out
            # (gunicorn's keepalive): a GET, so once more on a fresh connection.
            return self.client.get(self.url, params=params)

    def start(self, since: str | None) -> int:
        """The cursor a new listener starts from: now, or before `since`."""
        return self.poll({"since": since} if since else {}).cursor

    def next_batch(self, cursor: int, events: str) -> Batch:
        params = {"after": cursor, "wait": WAIT_SECONDS}
        if events:
            params["events"] = events
        return self.poll(params)

    def close(self) -> None:
        self.client.close()
