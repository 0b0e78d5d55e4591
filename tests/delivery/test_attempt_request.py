"""Each attempt keeps the request it sent, masked, and the answer's headers, bounded:
events go through the one delivery path to a real local HTTP server, and the stored
attempt is compared with what that server received."""

from __future__ import annotations

import json

import pytest

from apps.core.models import Attempt, Event, EventStatus
from apps.core.standard_webhooks import generate_secret
from apps.delivery import batch, tasks
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply

pytestmark = pytest.mark.django_db(transaction=True)

AUTH_TOKEN = "s3cr3t-bearer-token-0042"
URL_TOKEN = "url-token-9f8e7d"


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()


def deliver(source, payload: dict) -> Attempt:
    event = Event.objects.create(
        source=source,
        body=json.dumps(payload).encode(),
        payload=payload,
        content_type="application/json",
        event_type="push",
        status=EventStatus.RECEIVED,
    )
    tasks.process_events([event.pk])
    assert batch.wait_idle(timeout=30)
    return Attempt.objects.get(outcome__event=event)


def every_stored_text(attempt: Attempt) -> str:
    row = Attempt.objects.filter(pk=attempt.pk).values().get()
    return json.dumps(row, default=str)


def test_it_records_the_request_as_sent_with_the_signature_and_secrets_masked(sink):
    source = make_source()
    destination = make_destination(
        f"{sink.url}?token={URL_TOKEN}&team=core",
        auth_header=f"Authorization: Bearer {AUTH_TOKEN}",
        signing_secret=generate_secret(),
    )
    make_route(source, destination)

    attempt = deliver(source, {"ref": "refs/heads/main"})

    [received] = sink.wait_for(1)
    assert received.headers["authorization"] == f"Bearer {AUTH_TOKEN}"
    signature = received.headers["webhook-signature"]
    assert signature.startswith("v1,") and len(signature) > 20
    assert attempt.request_method == "POST"
    assert attempt.request_url == f"{sink.url}?token=***&team=core"
    headers = attempt.request_headers
    assert headers["webhook-signature"] == "v1,[redacted]"
    assert headers["Authorization"] == "[redacted]"
    assert headers["webhook-id"] == received.headers["webhook-id"]
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("RelayCore/")
    assert headers["X-RelayCore-Attempt"] == "1"
    assert attempt.request_body == received.body.decode()
    assert attempt.request_body_size == len(received.body)
    assert attempt.request_body_truncated is False
    stored = every_stored_text(attempt)
    for secret in (AUTH_TOKEN, URL_TOKEN, signature.removeprefix("v1,")):
        assert secret not in stored


def test_an_auth_header_of_its_own_name_is_masked_too(sink):
    source = make_source()
    make_route(source, make_destination(sink.url, auth_header=f"X-Api-Token: {AUTH_TOKEN}"))

    attempt = deliver(source, {"n": 1})

    assert sink.wait_for(1)[0].headers["x-api-token"] == AUTH_TOKEN
    assert attempt.request_headers["X-Api-Token"] == "[redacted]"
    assert AUTH_TOKEN not in every_stored_text(attempt)


def test_a_body_over_the_limit_is_cut_and_its_whole_size_kept(sink, settings):
    settings.ATTEMPT_BODY_LIMIT_BYTES = 100
    source = make_source()
    make_route(source, make_destination(sink.url))

    attempt = deliver(source, {"text": "x" * 500})

    [received] = sink.wait_for(1)
    assert len(received.body) > 500  # the destination got all of it
    assert attempt.request_body == received.body[:100].decode()
    assert attempt.request_body_size == len(received.body)
    assert attempt.request_body_truncated is True


def test_the_answer_headers_are_kept_bounded_with_cookies_masked(sink):
    headers = {"X-Request-Id": "req-77", "Set-Cookie": "session=abc123", "X-Long": "w" * 3000}
    many = {f"X-Extra-{n}": "v" * 10 for n in range(60)}
    sink.default = Reply(status=202, headers=headers | many)
    source = make_source()
    make_route(source, make_destination(sink.url))

    attempt = deliver(source, {"n": 1})

    kept = {name.lower(): value for name, value in attempt.response_headers.items()}
    assert kept["x-request-id"] == "req-77"
    assert kept["set-cookie"] == "[redacted]"
    assert "abc123" not in every_stored_text(attempt)
    assert len(kept) == 50  # of 60-odd
    assert max(len(value) for value in kept.values()) == 1024  # X-Long, cut


def test_a_request_that_failed_on_the_network_still_says_what_it_sent():
    source = make_source()
    # The discard port: nothing listens there, the connection is refused.
    make_route(source, make_destination("http://127.0.0.1:9/hook", auth_header=AUTH_TOKEN))

    attempt = deliver(source, {"n": 1})

    assert attempt.status_code is None and attempt.error
    assert attempt.request_method == "POST"
    assert attempt.request_headers["Authorization"] == "[redacted]"
    assert json.loads(attempt.request_body) == {"n": 1}
    assert attempt.response_headers == {}


def test_an_answer_holding_nul_bytes_is_recorded_with_them_replaced(sink):
    # PostgreSQL's text refuses NUL: the attempt must still be written (and the outcome
    # delivered), not fail its record until the lease runs out.
    sink.default = Reply(status=200, body=b'{"a":"x\x00y"}\x00')
    source = make_source()
    make_route(source, make_destination(sink.url))

    attempt = deliver(source, {"n": 1})

    assert attempt.status_code == 200
    assert attempt.response_body == '{"a":"x\ufffdy"}\ufffd'
    assert attempt.outcome.status == "delivered"
