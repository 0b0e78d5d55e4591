"""The stream process (python -m relaycore.stream) as a client sees it: server-sent
events of a source's accepted events, on the test gateway's stream port."""

from __future__ import annotations

import base64
import json
import threading

import httpx
import pytest

from tests.e2e.conftest import wait_until


class Stream:
    """One open stream, read in a thread: its events as they come."""

    def __init__(self, url: str, token: str, params: dict | None = None, **headers: str):
        self.events: list[dict] = []
        self.ready: dict | None = None
        self.comments = 0
        self.ended = threading.Event()
        self.client = httpx.Client(timeout=httpx.Timeout(10, read=30))
        self.request = self.client.build_request(
            "GET", url, params=params, headers={"Authorization": f"Bearer {token}", **headers}
        )
        self.response = self.client.send(self.request, stream=True)
        assert self.response.status_code == 200, self.response.read()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        wait_until(lambda: self.ready, timeout=10, message="no ready event")

    def _read(self) -> None:
        kind, data = "message", []
        try:
            for line in self.response.iter_lines():
                if line.startswith(":"):
                    self.comments += 1
                elif line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif not line and data:
                    found = json.loads("\n".join(data))
                    if kind == "ready":
                        self.ready = found
                    else:
                        self.events.append(found)
                    kind, data = "message", []
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    @property
    def ids(self) -> list[int]:
        return [event["id"] for event in self.events]

    def wait_for(self, n: int, timeout: float = 10) -> list[dict]:
        wait_until(lambda: len(self.events) >= n, timeout=timeout, message=f"{self.events}")
        return self.events

    def close(self) -> None:
        self.response.close()
        self.client.close()


@pytest.fixture
def streams(gateway, github):
    opened: list[Stream] = []

    def open_stream(token: str, params: dict | None = None, **headers: str) -> Stream:
        url = f"{gateway.stream_url}/api/sources/{github.slug}/stream/"
        stream = Stream(url, token, params, **headers)
        opened.append(stream)
        return stream

    yield open_stream
    for stream in opened:
        stream.close()
    # Ids start again at 1 in the next test (its sequences are reset): no feed may
    # outlive this one with its cursor.
    wait_until(lambda: gateway.subscribers() == 0, timeout=10, message="streams left open")


def accepted_id(gateway, slug: str, kind: str = "push") -> int:
    response, _ = gateway.send(slug, kind)
    assert response.status_code == 200, response.text
    return response.json()["delivery_id"]


def test_it_streams_each_accepted_event_with_the_request_as_received(
    gateway, github, viewer_token, streams
):
    stream = streams(viewer_token)
    response, body = gateway.send(github.slug, query="env=prod")
    refused, _ = gateway.send(github.slug, sign=False)

    [event] = stream.wait_for(1)

    assert refused.status_code == 401
    assert event["id"] == response.json()["delivery_id"] > stream.ready["cursor"]
    assert base64.b64decode(event["body_base64"]) == body
    assert event["query_string"] == "env=prod"
    assert event["headers"]["x-github-event"] == "push"
    assert event["event_type"] == "push"
    wait_until(lambda: stream.comments >= 1, timeout=10, message="no keepalive")  # 2 s here
    assert len(stream.events) == 1  # the refused one never comes


def test_a_stream_behind_catches_up_then_follows_live_without_gap_or_repeat(
    gateway, github, viewer_token, streams
):
    first = streams(viewer_token)  # the source's feed is running
    before = [accepted_id(gateway, github.slug) for _ in range(6)]
    first.wait_for(6)
    sending = threading.Thread(
        target=lambda: after.extend(accepted_id(gateway, github.slug) for _ in range(10))
    )
    after: list[int] = []
    sending.start()
    behind = streams(viewer_token, {"after": first.ready["cursor"]})
    sending.join(30)

    behind.wait_for(16)
    first.wait_for(16)

    assert behind.ids == before + after == first.ids


def test_last_event_id_wins_over_after_and_types_are_filtered(
    gateway, github, viewer_token, streams
):
    ids = [accepted_id(gateway, github.slug, kind) for kind in ("push", "issues", "push")]
    resumed = streams(
        viewer_token, {"after": 0, "events": "push"}, **{"Last-Event-ID": str(ids[0])}
    )

    resumed.wait_for(1)

    assert resumed.ready["cursor"] == ids[0]
    wait_until(lambda: resumed.comments >= 1, timeout=10, message="no keepalive")
    assert resumed.ids == [ids[2]]


def test_a_closed_stream_frees_its_subscriber(gateway, github, viewer_token, streams):
    stream = streams(viewer_token)
    wait_until(lambda: gateway.subscribers() == 1, timeout=10, message="not subscribed")

    stream.close()

    wait_until(lambda: gateway.subscribers() == 0, timeout=10, message="still subscribed")


@pytest.mark.parametrize(
    ("authorization", "status", "message"),
    [
        ("", 401, "Authentication credentials were not provided."),
        ("Bearer rc_notatoken_xxx", 401, "Invalid token."),
    ],
)
def test_a_bad_token_is_refused_with_json_before_the_stream_starts(
    gateway, github, authorization, status, message
):
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(
        f"{gateway.stream_url}/api/sources/{github.slug}/stream/", headers=headers, timeout=10
    )

    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["message"] == message


def test_an_unknown_source_is_a_404(gateway, viewer_token):
    response = httpx.get(
        f"{gateway.stream_url}/api/sources/nope/stream/",
        headers={"Authorization": f"Bearer {viewer_token}"},
        timeout=10,
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_revoked_token_ends_its_stream(gateway, github, viewer_token, streams):
    from apps.api.models import ApiToken
    from apps.api.tokens import digest_of, revoke

    stream = streams(viewer_token)
    revoke(ApiToken.objects.get(digest=digest_of(viewer_token)))

    assert stream.ended.wait(15)  # at the next keepalive (2 s here)


@pytest.mark.parametrize("after", ["x", "-1", "²", str(2**63)])
def test_a_bad_after_is_a_400_naming_it(gateway, github, viewer_token, after):
    response = httpx.get(
        f"{gateway.stream_url}/api/sources/{github.slug}/stream/",
        params={"after": after},
        headers={"Authorization": f"Bearer {viewer_token}"},
        timeout=10,
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("after: must be an event id")


def test_a_deactivated_source_ends_its_stream_and_the_listener_says_why(
    gateway, github, viewer_token, streams, sink, listeners
):
    stream = streams(viewer_token)
    listener = listeners(gateway, viewer_token, github.slug, sink.url)
    listener.wait_for_line("streaming")
    github.is_active = False
    github.save()

    assert stream.ended.wait(20)  # the next keepalive (2 s here) after the source cache
    assert wait_until(lambda: listener.proc.poll(), timeout=30) == 2
    assert f"the gateway answered 404: No active source with slug '{github.slug}'." in (
        listener.err.read_text()
    )
