"""A body-only signature does not cover the id header, so a captured request sent again
with a new id must still be a duplicate: for those schemes the body hash is the key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from apps.core import standard_webhooks
from apps.core.models import Event, EventStatus
from tests.factories import github_signature, make_source
from tests.ingestion.test_receive import post

pytestmark = pytest.mark.django_db
SECRET = "replay-protection-secret-0123456789"
BODY = b'{"action": "opened", "number": 7}'


def github_post(client, slug: str, delivery: str, body: bytes = BODY):
    return post(
        client,
        slug,
        body,
        **{"X-Hub-Signature-256": github_signature(SECRET, body), "X-GitHub-Delivery": delivery},
    )


def test_a_captured_github_request_replayed_with_a_new_delivery_id_is_a_duplicate(client):
    make_source(slug="gh", verification_scheme="github", secret=SECRET)

    first = github_post(client, "gh", "delivery-1")
    replayed = github_post(client, "gh", "forged-delivery-2")

    assert first.json()["status"] == "accepted"
    assert replayed.status_code == 200
    assert replayed.json() == {"status": "duplicate"}
    stored = Event.objects.get(status=EventStatus.RECEIVED)
    assert stored.idempotency_key == "sha256:" + hashlib.sha256(BODY).hexdigest()


def test_githubs_own_redelivery_of_the_same_body_stays_a_duplicate(client):
    make_source(slug="gh", verification_scheme="github", secret=SECRET)

    github_post(client, "gh", "delivery-1")

    assert github_post(client, "gh", "delivery-1").json() == {"status": "duplicate"}


def test_a_different_body_is_a_new_event(client):
    make_source(slug="gh", verification_scheme="github", secret=SECRET)

    github_post(client, "gh", "delivery-1")

    assert github_post(client, "gh", "delivery-1", b'{"n": 2}').json()["status"] == "accepted"


def test_a_shopify_body_replayed_under_another_webhook_id_is_a_duplicate(client):
    make_source(slug="shop", verification_scheme="shopify", secret=SECRET)
    signature = base64.b64encode(hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest())
    headers = {"X-Shopify-Hmac-Sha256": signature.decode()}

    first = post(client, "shop", BODY, **headers, **{"Idempotency-Key": "a"})
    again = post(client, "shop", BODY, **headers, **{"Idempotency-Key": "b"})

    assert (first.json()["status"], again.json()["status"]) == ("accepted", "duplicate")


def test_a_source_that_turns_body_dedupe_off_keys_by_the_id_header_again(client):
    make_source(slug="gh", verification_scheme="github", secret=SECRET, dedupe_by_body=False)

    first = github_post(client, "gh", "delivery-1")
    second = github_post(client, "gh", "delivery-2")

    assert (first.json()["status"], second.json()["status"]) == ("accepted", "accepted")
    keys = set(Event.objects.values_list("idempotency_key", flat=True))
    assert keys == {"delivery-1", "delivery-2"}


def test_standard_webhooks_keeps_its_signed_id_as_the_key(client):
    secret = standard_webhooks.generate_secret()
    make_source(slug="sw", verification_scheme="standard_webhooks", secret=secret)

    def send(msg_id: str):
        timestamp = int(time.time())
        signature = standard_webhooks.sign(msg_id, timestamp, BODY, [secret])
        headers = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp)}
        return post(client, "sw", BODY, **headers, **{"webhook-signature": signature})

    # The id is signed: a new one cannot be forged, so the same body under two signed
    # ids is two events, and the same signed id twice is a duplicate.
    assert send("msg_1").json()["status"] == "accepted"
    assert send("msg_2").json()["status"] == "accepted"
    assert send("msg_1").json() == {"status": "duplicate"}
