"""A refused request is kept bounded: at most SIG_FAILED_BODY_BYTES of its body (with the
whole body's size and hash), and at most SIG_FAILED_BYTES_PER_HOUR of body a source."""

from __future__ import annotations

import hashlib

import pytest

from apps.core.models import Event, EventStatus
from apps.ingestion import refusals
from tests.factories import make_source
from tests.ingestion.test_receive import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def github(db):
    return make_source(slug="gh", verification_scheme="github", secret="s" * 32)


def refuse(client, body: bytes):
    return post(client, "gh", body, **{"X-Hub-Signature-256": "sha256=" + "0" * 64})


def test_a_refused_body_keeps_4_kib_and_the_whole_bodys_size_and_hash(client, github):
    body = b"x" * 100_000

    assert refuse(client, body).status_code == 401

    row = Event.objects.get(status=EventStatus.SIG_FAILED)
    assert len(bytes(row.body)) == 4096
    assert row.body_truncated
    assert row.body_size == 100_000
    assert row.body_sha256 == hashlib.sha256(body).hexdigest()


def test_the_event_detail_shows_the_truncation(client, github, api):
    refuse(client, b"y" * 5000)
    event = Event.objects.get()

    detail = api.get(f"/api/deliveries/{event.pk}/").json()

    assert detail["body_truncated"] is True
    assert detail["body_size"] == 5000
    assert detail["body_sha256"] == hashlib.sha256(b"y" * 5000).hexdigest()
    assert len(detail["body"]) == 4096


def test_a_small_refused_body_is_kept_whole(client, github, api):
    refuse(client, b'{"a": 1}')

    detail = api.get(f"/api/deliveries/{Event.objects.get().pk}/").json()

    assert (detail["body_truncated"], detail["body_size"]) == (False, 8)


def test_past_the_hourly_byte_budget_refusals_are_answered_401_and_only_counted(
    client, github, settings
):
    settings.SIG_FAILED_BYTES_PER_HOUR = 10_000
    answers = [refuse(client, b"z" * 4096).status_code for _ in range(4)]

    assert answers == [401] * 4
    assert Event.objects.count() == 2  # 8 KiB kept; the third would pass 10 000
    assert refusals.unstored_totals() == {github.pk: 2}


def test_the_budget_is_per_source(client, github, settings):
    settings.SIG_FAILED_BYTES_PER_HOUR = 5000
    other = make_source(slug="other", verification_scheme="github", secret="t" * 32)
    refuse(client, b"z" * 4096)

    post(client, "other", b"w" * 4096, **{"X-Hub-Signature-256": "sha256=" + "0" * 64})

    assert Event.objects.filter(source=other).count() == 1
