"""GET /api/sources/<slug>/listen/: the poll `relaycore listen` follows."""

from __future__ import annotations

import base64
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.api import listening
from apps.api.authentication import CachedTokenAuthentication
from apps.api.models import ApiToken
from apps.api.tokens import digest_of, revoke
from apps.core.models import Event, EventStatus
from tests.api.conftest import assert_error
from tests.api.factories import make_event
from tests.factories import make_source

OLD = timedelta(minutes=5)


@pytest.fixture(autouse=True)
def forget_cached_tokens():
    """Token ids repeat between tests: a key checked in one must not pass in the next."""
    CachedTokenAuthentication.forget()


def listen(api, slug="github", **params):
    response = api.get(f"/api/sources/{slug}/listen/", params)
    assert response.status_code == 200, response.content
    return response.json()


def old_event(source, **fields):
    return make_event(source, received_at=timezone.now() - OLD, **fields)


def test_it_starts_now_with_no_events(api, source):
    before = old_event(source)

    answer = listen(api)

    assert answer["events"] == []
    assert answer["cursor"] == before.pk


def test_it_answers_accepted_events_after_the_cursor_oldest_first(api, source):
    start = listen(api)["cursor"]
    first = old_event(source, query_string="env=prod")
    old_event(source, status=EventStatus.SIG_FAILED)
    old_event(source, status=EventStatus.DUPLICATE)
    second = old_event(source, event_type="pull_request", status=EventStatus.RECEIVED)
    old_event(make_source(name="Other", slug="other"))

    answer = listen(api, after=start)

    assert [e["id"] for e in answer["events"]] == [first.pk, second.pk]
    shown = answer["events"][0]
    assert shown["method"] == "POST"
    assert shown["query_string"] == "env=prod"
    assert shown["headers"]["x-github-event"] == "push"
    assert base64.b64decode(shown["body_base64"]) == bytes(first.body)
    assert answer["cursor"] == second.pk
    assert listen(api, after=answer["cursor"])["events"] == []


def test_it_leaves_out_headers_whose_secret_was_never_stored(api, source):
    start = listen(api)["cursor"]
    event = old_event(source)
    Event.objects.filter(pk=event.pk).update(
        headers={"authorization": "[redacted]", "x-github-event": "push"}
    )

    (shown,) = listen(api, after=start)["events"]

    assert shown["headers"] == {"x-github-event": "push"}


def test_it_answers_only_the_event_types_asked_for(api, source):
    start = listen(api)["cursor"]
    old_event(source, event_type="push")
    wanted = old_event(source, event_type="pull_request")
    old_event(source, event_type="issues")

    answer = listen(api, after=start, events="pull_request, release")

    assert [e["id"] for e in answer["events"]] == [wanted.pk]


def test_it_starts_before_a_time_to_replay_a_backlog(api, source):
    make_event(source, received_at=timezone.now() - timedelta(hours=3))
    recent = make_event(source, received_at=timezone.now() - timedelta(hours=1))

    start = listen(api, since=(timezone.now() - timedelta(hours=2)).isoformat())

    assert start["more"] is True
    assert [e["id"] for e in listen(api, after=start["cursor"])["events"]] == [recent.pk]


def test_it_cuts_a_batch_at_its_limit_and_says_more_are_waiting(api, source):
    start = listen(api)["cursor"]
    events = [old_event(source) for _ in range(3)]

    answer = listen(api, after=start, limit=2)

    assert [e["id"] for e in answer["events"]] == [e.pk for e in events[:2]]
    assert (answer["more"], answer["poll_after_seconds"]) == (True, 0)


def test_it_holds_back_an_event_younger_than_the_settle_delay(api, source, settings):
    settings.LISTEN_SETTLE_SECONDS = 60
    start = listen(api)["cursor"]
    settled = old_event(source)
    make_event(source)  # just now: a lower id could still commit
    later = old_event(source)

    answer = listen(api, after=start)

    assert [e["id"] for e in answer["events"]] == [settled.pk]
    assert answer["cursor"] == settled.pk
    assert later.pk > answer["cursor"]


def test_it_answers_at_once_and_asks_for_a_pause_when_no_wait_slot_is_free(api, source, settings):
    start = listen(api)["cursor"]
    taken = []
    while listening._wait_slots.acquire(blocking=False):
        taken.append(1)
    try:
        began = time.monotonic()
        answer = listen(api, after=start, wait=2)
        took = time.monotonic() - began
    finally:
        for _ in taken:
            listening._wait_slots.release()

    assert took < 1
    assert (answer["events"], answer["poll_after_seconds"]) == ([], settings.LISTEN_POLL_SECONDS)


@pytest.mark.django_db(transaction=True)
def test_a_waiting_poll_answers_an_event_stored_meanwhile(api, source):
    start = listen(api)["cursor"]

    def store_later() -> None:
        time.sleep(0.3)
        make_event(source, received_at=timezone.now() - OLD)
        connection.close()

    writer = threading.Thread(target=store_later)
    writer.start()
    answer = listen(api, after=start, wait=2)
    writer.join()

    assert len(answer["events"]) == 1
    assert answer["poll_after_seconds"] == 0


def test_it_answers_404_for_an_unknown_source(api, db):
    assert_error(api.get("/api/sources/nope/listen/"), 404, "not_found")


def test_it_refuses_a_bad_cursor(api, source):
    error = assert_error(api.get("/api/sources/github/listen/?after=x"), 400, "validation_error")

    assert "after" in error["fields"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_it_never_skips_an_event_whose_id_commits_after_a_higher_one(api, source, settings):
    """PostgreSQL hands out ids before commit: id N may commit after id N+1."""
    settings.LISTEN_SETTLE_SECONDS = 0.5
    start = listen(api)["cursor"]
    inserted, commit = threading.Event(), threading.Event()
    lower = {}

    def slow_insert() -> None:
        with transaction.atomic():
            lower["id"] = make_event(source).pk
            inserted.set()
            commit.wait(10)
        connection.close()

    writer = threading.Thread(target=slow_insert)
    writer.start()
    inserted.wait(10)
    higher = make_event(source)  # commits first
    assert higher.pk > lower["id"]

    first = listen(api, after=start)
    commit.set()
    writer.join()
    time.sleep(0.6)
    second = listen(api, after=first["cursor"])

    assert first["events"] == []
    assert [e["id"] for e in second["events"]] == [lower["id"], higher.pk]


def test_a_revoked_token_is_refused_once_its_cached_check_runs_out(api, token, source, settings):
    settings.LISTEN_AUTH_CACHE_SECONDS = 0.2
    listen(api)
    revoke(token)

    time.sleep(0.3)
    response = api.get("/api/sources/github/listen/")

    error = assert_error(response, 401, "authentication_failed")
    assert "revoked" in error["message"]


def test_a_cached_token_is_refused_as_soon_as_it_expires(api, token, source, settings):
    settings.LISTEN_AUTH_CACHE_SECONDS = 60
    listen(api)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    CachedTokenAuthentication._cache[digest_of(token.key)][1].expires_at = timezone.now()

    assert_error(api.get("/api/sources/github/listen/"), 401, "authentication_failed")


def test_the_first_answer_offers_the_stream_when_one_is_configured(api, source, settings):
    assert "stream_url" not in listen(api)

    settings.LISTEN_STREAM_URL = "https://gateway.example"
    first, later = listen(api), listen(api, after=0)

    assert first["stream_url"] == "https://gateway.example/api/sources/github/stream/"
    assert "stream_url" not in later
