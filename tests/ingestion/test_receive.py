"""POST /webhooks/receive/<slug>/: every answer a producer can get, and what is stored."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from django.db import OperationalError

from apps.core import storage
from apps.core.models import Event, EventStatus, Source
from apps.core.redis import get_redis
from tests.factories import github_signature, make_source

pytestmark = pytest.mark.django_db

GITHUB_SECRET = "It's a Secret to Everybody"


def post(client, slug, body: bytes | str = b"{}", content_type="application/json", **headers):
    if isinstance(body, str):
        body = body.encode()
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.post(f"/webhooks/receive/{slug}/", data=body, content_type=content_type, **extra)


@pytest.fixture
def github(db):
    return make_source(slug="gh", verification_scheme="github", secret=GITHUB_SECRET)


def signed(client, source_slug, body: bytes, **headers):
    return post(
        client,
        source_slug,
        body,
        **{"X-Hub-Signature-256": github_signature(GITHUB_SECRET, body)},
        **headers,
    )


def test_it_accepts_a_signed_event_and_stores_it_before_answering(client, github):
    body = b'{"ref": "refs/heads/main"}'
    response = signed(client, "gh", body, **{"X-GitHub-Event": "push", "X-GitHub-Delivery": "d-1"})

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    event = Event.objects.get(pk=response.json()["delivery_id"])
    assert event.status == EventStatus.RECEIVED
    assert event.event_type == "push"
    # GitHub signs only the body: the body's hash is the key, not the unsigned id header.
    assert event.idempotency_key == "sha256:" + hashlib.sha256(body).hexdigest()
    assert bytes(event.body) == body
    assert event.payload == {"ref": "refs/heads/main"}


def test_it_enqueues_routing_only_after_the_commit(
    client, github, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = signed(client, "gh", b"{}", **{"X-GitHub-Event": "ping"})
    assert response.status_code == 200
    assert len(callbacks) == 1


def test_it_accepts_githubs_published_signature_vector(client, github):
    response = post(
        client,
        "gh",
        "Hello, World!",
        content_type="text/plain",
        **{
            "X-Hub-Signature-256": (
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
            )
        },
    )
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.payload is None  # not JSON: stored raw, not parsed
    assert event.body_text() == "Hello, World!"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Hub-Signature-256": github_signature("wrong secret", b'{"a": 1}')},
        {"X-Hub-Signature-256": github_signature(GITHUB_SECRET, b'{"a": 2}')},  # tampered
        {},  # missing
        {"X-Hub-Signature-256": "sha256=not-hex"},  # malformed
        {"X-Hub-Signature-256": "md5=abc"},
    ],
    ids=["wrong-secret", "tampered-body", "missing", "malformed", "wrong-prefix"],
)
def test_it_rejects_a_bad_signature_with_401_and_keeps_a_sig_failed_row(client, github, headers):
    response = post(client, "gh", b'{"a": 1}', **headers)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature_invalid"
    assert response.json()["error"]["message"]
    event = Event.objects.get()
    assert event.status == EventStatus.SIG_FAILED
    assert event.error


def test_refused_requests_are_kept_only_up_to_the_per_minute_cap(client, github, settings):
    settings.SIG_FAILED_RECORDS_PER_MINUTE = 3

    answers = [post(client, "gh", b'{"junk": %d}' % n).status_code for n in range(10)]

    assert answers == [401] * 10  # every one refused, stored or not
    assert Event.objects.filter(status=EventStatus.SIG_FAILED).count() == 3
    # The other seven are still counted, for /metrics.
    settings.METRICS_TOKEN = "t"
    scrape = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert 'relaycore_signature_failures_unstored_total{source="gh"} 7.0' in scrape
    # The cap is per source: another source still records its own.
    make_source(slug="other", verification_scheme="github", secret="x")
    assert post(client, "other", b"{}").status_code == 401
    assert Event.objects.filter(source__slug="other").count() == 1


def test_a_cap_of_zero_keeps_no_refused_request(client, github, settings):
    settings.SIG_FAILED_RECORDS_PER_MINUTE = 0

    assert post(client, "gh", b"{}").status_code == 401
    assert not Event.objects.exists()


def test_it_accepts_hex_hmac_in_a_configured_header_with_or_without_prefix(client):
    make_source(
        slug="custom",
        verification_scheme="hmac_sha256",
        secret="s3cret",
        verification_options={"header": "X-Acme-Signature"},
    )
    digest = github_signature("s3cret", b"{}").removeprefix("sha256=")
    assert post(client, "custom", b"{}", **{"X-Acme-Signature": digest}).status_code == 200
    prefixed = "sha256=" + digest
    response = post(
        client, "custom", b"{}", **{"X-Acme-Signature": prefixed, "Idempotency-Key": "2"}
    )
    assert response.status_code == 200


def test_it_answers_404_for_an_unknown_or_inactive_source(client):
    make_source(slug="off", is_active=False)
    for slug in ("nope", "off"):
        response = post(client, slug)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "unknown_source"
    assert not Event.objects.exists()


def test_it_refuses_a_body_over_the_limit_with_413(client, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 100
    make_source(slug="small")
    response = post(client, "small", b"x" * 101)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not Event.objects.exists()


def test_it_answers_405_json_for_other_methods(client):
    make_source(slug="s")
    response = client.get("/webhooks/receive/s/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_repeated_delivery_id_is_a_duplicate_and_is_not_routed(
    client, github, django_capture_on_commit_callbacks
):
    headers = {"X-GitHub-Delivery": "same", "X-GitHub-Event": "push"}
    first = signed(client, "gh", b"{}", **headers)
    with django_capture_on_commit_callbacks() as callbacks:
        second = signed(client, "gh", b"{}", **headers)

    assert first.json()["status"] == "accepted"
    assert second.status_code == 200
    assert second.json() == {"status": "duplicate"}
    assert callbacks == []
    statuses = sorted(Event.objects.values_list("status", flat=True))
    assert statuses == [EventStatus.DUPLICATE, EventStatus.RECEIVED]


def test_without_a_key_header_the_body_hash_is_the_key(client):
    make_source(slug="plain")
    assert post(client, "plain", b'{"n": 1}').json()["status"] == "accepted"
    assert post(client, "plain", b'{"n": 1}').json()["status"] == "duplicate"
    assert post(client, "plain", b'{"n": 2}').json()["status"] == "accepted"


def test_keys_are_per_source(client):
    make_source(slug="a")
    make_source(slug="b")
    assert post(client, "a", b"{}", **{"Idempotency-Key": "k"}).json()["status"] == "accepted"
    assert post(client, "b", b"{}", **{"Idempotency-Key": "k"}).json()["status"] == "accepted"


def test_a_key_is_accepted_again_once_it_expires(client, settings):
    settings.IDEMPOTENCY_TTL_SECONDS = 1
    make_source(slug="ttl")
    assert post(client, "ttl", b"{}", **{"Idempotency-Key": "k"}).json()["status"] == "accepted"
    assert post(client, "ttl", b"{}", **{"Idempotency-Key": "k"}).json()["status"] == "duplicate"
    time.sleep(1.1)
    assert post(client, "ttl", b"{}", **{"Idempotency-Key": "k"}).json()["status"] == "accepted"


def test_a_configured_idempotency_header_wins(client):
    make_source(slug="shop", idempotency_header="X-Shopify-Webhook-Id")
    headers = {"X-Shopify-Webhook-Id": "w1"}
    assert post(client, "shop", b'{"a": 1}', **headers).json()["status"] == "accepted"
    assert post(client, "shop", b'{"a": 2}', **headers).json()["status"] == "duplicate"


def test_over_the_source_rate_limit_it_answers_429_with_retry_after(client):
    make_source(slug="limited", rate_limit_per_minute=3)
    answers = [post(client, "limited", f'{{"n": {n}}}') for n in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert answers[3].json()["error"]["code"] == "rate_limited"
    assert 1 <= int(answers[3]["Retry-After"]) <= 120
    assert Event.objects.count() == 3


def test_form_posts_are_stored_raw_and_parsed(client):
    make_source(slug="form", event_type_header="")
    body = "name=Ada+Lovelace&email=ada%40example.com&topic=a&topic=b"
    response = post(client, "form", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.payload == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "topic": ["a", "b"],
    }
    assert event.body_text() == body


def test_the_event_type_can_come_from_a_jsonpath(client):
    make_source(slug="stripe", event_type_header="", event_type_path="$.type")
    post(client, "stripe", json.dumps({"type": "invoice.paid"}))
    assert Event.objects.get().event_type == "invoice.paid"


def test_google_calendar_headers_are_merged_into_the_payload(client):
    make_source(slug="cal", event_type_header="")
    response = post(
        client,
        "cal",
        b"",
        content_type="",
        **{
            "X-Goog-Channel-ID": "chan-1",
            "X-Goog-Resource-State": "exists",
            "X-Goog-Message-Number": "7",
        },
    )
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.payload["__goog_meta"]["channel-id"] == "chan-1"
    assert event.payload["__goog_meta"]["resource-state"] == "exists"
    assert event.event_type == "exists"


def test_credentials_sent_by_the_producer_are_not_stored(client):
    make_source(
        slug="keyed",
        verification_scheme="api_key",
        secret="k-123",
        verification_options={"header": "X-Api-Key"},
    )
    response = post(client, "keyed", b"{}", **{"X-Api-Key": "k-123", "Authorization": "Bearer t"})
    assert response.status_code == 200
    headers = Event.objects.get().headers
    assert headers["x-api-key"] == "[redacted]"
    assert headers["authorization"] == "[redacted]"


def test_with_redis_down_it_answers_503_and_stores_nothing(client, settings):
    make_source(slug="s")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = post(client, "s", b"{}")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert response["Retry-After"]
    assert not Event.objects.exists()


def test_with_redis_down_a_bad_signature_is_still_refused_with_401(client, github, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = post(client, "gh", b'{"a": 1}', **{"X-Hub-Signature-256": "sha256=00"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature_invalid"
    assert not Event.objects.exists()  # the cap could not be checked: not kept


def test_a_failed_insert_answers_503_and_releases_the_key(client, monkeypatch):
    make_source(slug="s")
    original = storage.insert_event_rows

    def failing_insert(rows):
        if any(row[storage.STATUS_AT] == EventStatus.RECEIVED for row in rows):
            raise OperationalError("database went away")
        return original(rows)

    monkeypatch.setattr(storage, "insert_event_rows", failing_insert)
    response = post(client, "s", b"{}", **{"Idempotency-Key": "retry-me"})
    assert response.status_code == 503
    monkeypatch.undo()

    retried = post(client, "s", b"{}", **{"Idempotency-Key": "retry-me"})
    assert retried.json()["status"] == "accepted"


def test_healthz_reports_database_and_redis(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down.json()["redis"].startswith("down")
    assert get_redis().connection_pool.connection_kwargs["port"] == 1


def test_a_source_changed_elsewhere_is_seen_within_the_cache_time(client, settings):
    settings.SOURCE_CACHE_SECONDS = 0.3
    make_source(slug="cached")
    assert post(client, "cached", b'{"n": 1}').status_code == 200

    # As another process would: a plain UPDATE, no signal reaches this one.
    Source.objects.filter(slug="cached").update(is_active=False)
    time.sleep(0.35)

    assert post(client, "cached", b'{"n": 2}').status_code == 404


def test_multipart_forms_are_parsed_with_files_described(client):
    make_source(slug="upload", event_type_header="")
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="name"\r\n\r\n'
        b"Ada\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="cv"; filename="cv.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n"
        b"%PDF-1.4 binary\r\n"
        b"--XyZ--\r\n"
    )
    response = post(client, "upload", body, content_type="multipart/form-data; boundary=XyZ")

    assert response.status_code == 200
    event = Event.objects.get()
    assert event.payload == {
        "name": "Ada",
        "cv": {"filename": "cv.pdf", "content_type": "application/pdf", "size": 15},
    }
    assert bytes(event.body) == body


def test_a_broken_multipart_body_is_stored_raw_without_a_payload(client):
    make_source(slug="broken", event_type_header="")
    response = post(client, "broken", b"not multipart at all", content_type="multipart/form-data")
    assert response.status_code == 200
    assert Event.objects.get().payload is None
