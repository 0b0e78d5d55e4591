"""Retention: old event content is emptied in bounded batches; rows and counts stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    MetricPoint,
    Outcome,
    OutcomeStatus,
    ReplayVia,
)
from apps.monitoring import retention, tasks
from apps.monitoring.metrics import collect
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db
BODY = b'{"order": 42, "card": "4242"}'


@pytest.fixture(autouse=True)
def retention_settings(settings):
    settings.RETENTION_DAYS = 30
    settings.RETENTION_BATCH_SIZE = 500
    settings.RETENTION_MAX_BATCHES = 100
    settings.RETENTION_PAUSE_SECONDS = 0
    settings.RETENTION_REST_RATIO = 0


@pytest.fixture
def source():
    return make_source()


def event(source, age_days: float, status=EventStatus.ROUTED) -> Event:
    return Event.objects.create(
        source=source,
        received_at=timezone.now() - timedelta(days=age_days),
        headers={"Content-Type": "application/json", "X-Shop": "acme"},
        body=BODY,
        content_type="application/json",
        payload={"order": 42, "card": "4242"},
        event_type="order.paid",
        idempotency_key=f"key-{age_days}-{status}",
        status=status,
    )


def outcome(ev, status) -> Outcome:
    route = make_route(ev.source, make_destination("http://127.0.0.1:9/"))
    return Outcome.objects.create(
        event=ev, route=route, destination=route.destination, status=status, attempt_count=2
    )


def is_purged(ev: Event) -> bool:
    ev.refresh_from_db()
    return bytes(ev.body) == b"" and ev.headers == {} and ev.payload is None


def test_it_empties_the_content_of_old_events_only(source):
    old = event(source, 31)
    old_duplicate = event(source, 45, EventStatus.DUPLICATE)
    recent = event(source, 29)

    result = retention.purge_old_payloads()

    assert result.purged == 2
    assert result.finished
    assert is_purged(old) and is_purged(old_duplicate)
    assert not is_purged(recent)
    assert bytes(recent.body) == BODY


def test_it_keeps_rows_statuses_outcomes_attempt_metadata_and_metrics(source):
    old = event(source, 40)
    done = outcome(old, OutcomeStatus.DELIVERED)
    Attempt.objects.create(
        outcome=done,
        number=1,
        started_at=old.received_at,
        duration_ms=12.5,
        status_code=502,
        response_body="upstream said: order 42 failed",
        error="HTTP 502",
    )
    point = collect()

    retention.purge_old_payloads()

    old.refresh_from_db()
    assert is_purged(old)
    assert (old.status, old.event_type, old.idempotency_key) == (
        EventStatus.ROUTED,
        "order.paid",
        f"key-40-{EventStatus.ROUTED}",
    )
    assert old.content_type == "application/json"
    assert Event.objects.count() == 1
    done.refresh_from_db()
    assert (done.status, done.attempt_count) == (OutcomeStatus.DELIVERED, 2)
    attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.duration_ms, attempt.error) == (502, 12.5, "HTTP 502")
    assert attempt.response_body == ""
    assert MetricPoint.objects.filter(pk=point.pk).exists()


def sent_attempt(done: Outcome, started_at) -> Attempt:
    return Attempt.objects.create(
        outcome=done,
        number=1,
        started_at=started_at,
        duration_ms=8.0,
        status_code=200,
        request_method="POST",
        request_url="https://example.com/hook",
        request_headers={"Content-Type": "application/json", "X-Order": "42"},
        request_body='{"order": 42, "card": "4242"}',
        request_body_size=29,
        response_headers={"X-Request-Id": "r-42"},
        response_body='{"received": 42}',
    )


def test_it_empties_the_request_and_answer_each_attempt_kept_of_an_old_event(source):
    old, recent = event(source, 40), event(source, 2)
    purged = sent_attempt(outcome(old, OutcomeStatus.DELIVERED), old.received_at)
    kept = sent_attempt(outcome(recent, OutcomeStatus.DELIVERED), recent.received_at)

    retention.purge_old_payloads()

    purged.refresh_from_db()
    assert (purged.request_headers, purged.request_body) == ({}, "")
    assert (purged.response_headers, purged.response_body) == ({}, "")
    # What it was stays: the method, where it went, how big it was, how it ended.
    assert (purged.request_method, purged.request_url) == ("POST", "https://example.com/hook")
    assert (purged.request_body_size, purged.status_code) == (29, 200)
    kept.refresh_from_db()
    assert kept.request_body == '{"order": 42, "card": "4242"}'
    assert kept.request_headers["X-Order"] == "42"
    assert kept.response_headers == {"X-Request-Id": "r-42"}


def test_it_leaves_old_events_that_still_have_work_to_do(source):
    unrouted = event(source, 31, EventStatus.RECEIVED)
    retrying = event(source, 31)
    outcome(retrying, OutcomeStatus.RETRYING)
    finished = event(source, 31)
    outcome(finished, OutcomeStatus.DEAD_LETTERED)

    assert retention.purge_old_payloads().purged == 1

    assert not is_purged(unrouted)
    assert not is_purged(retrying)
    assert is_purged(finished)


def test_it_works_in_batches_and_stops_at_the_limit_of_a_run(source, settings):
    settings.RETENTION_BATCH_SIZE = 2
    settings.RETENTION_MAX_BATCHES = 2
    events = [event(source, 31 + n) for n in range(5)]

    first = retention.purge_old_payloads()
    assert (first.purged, first.batches, first.finished) == (4, 2, False)
    # Oldest first: the newest of the old events waits for the next run.
    assert [is_purged(ev) for ev in events] == [False, True, True, True, True]

    second = retention.purge_old_payloads()
    assert (second.purged, second.finished) == (1, True)
    assert all(is_purged(ev) for ev in events)


def test_a_run_with_nothing_left_to_purge_changes_nothing(source):
    event(source, 31)
    retention.purge_old_payloads()
    assert retention.purge_old_payloads().purged == 0


def test_an_event_skipped_for_its_unfinished_work_is_purged_once_it_is_done(source):
    retrying = event(source, 35)
    waiting = outcome(retrying, OutcomeStatus.RETRYING)
    event(source, 31)
    assert retention.purge_old_payloads().purged == 1

    waiting.status = OutcomeStatus.DELIVERED
    waiting.save()

    assert retention.purge_old_payloads().purged == 1
    assert is_purged(retrying)


def test_it_does_nothing_when_retention_is_off(source, settings):
    settings.RETENTION_DAYS = 0
    old = event(source, 3650)
    assert retention.purge_old_payloads().purged == 0
    assert not is_purged(old)


def test_beat_runs_the_purge_task(source, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-old-payloads"]
    assert entry["task"] == "apps.monitoring.tasks.purge_old_payloads"
    event(source, 31)
    assert tasks.purge_old_payloads() == 1


def test_a_purged_event_is_marked_and_cannot_be_replayed():
    from apps.delivery.replay import Requester, replay_outcomes, reroute_event

    source = make_source()
    route = make_route(source, make_destination("http://127.0.0.1:9/"))
    old = timezone.now() - timedelta(days=400)
    event = Event.objects.create(
        source=source, body=b"{}", payload={}, headers={"a": "b"}, status="routed", received_at=old
    )
    Outcome.objects.create(
        event=event,
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DEAD_LETTERED,
    )

    retention.purge_old_payloads()

    event.refresh_from_db()
    assert event.purged_at is not None
    assert replay_outcomes(Outcome.objects.all(), by=Requester("", ReplayVia.CLI)) == 0
    assert reroute_event(event, by=Requester("", ReplayVia.CLI)) == 0


def test_each_batch_starts_after_the_previous_one(source, settings):
    """A run walks forward through the old events: batch after batch from the oldest,
    each one read again every event the run had already purged."""
    settings.RETENTION_BATCH_SIZE = 2
    olds = [event(source, 40 - day) for day in range(5)]
    before = retention.cutoff()

    purged, position = retention.purge_batch(before, None, 2)
    assert purged == 2 and position.pk == olds[1].pk
    # An event older than the position that came to be purgeable since is left to
    # the next run (its mark rescans), not read again by this one.
    late = event(source, 45)
    purged, position = retention.purge_batch(before, None, 2, position)

    assert purged == 2 and position.pk == olds[3].pk
    assert [is_purged(ev) for ev in olds] == [True, True, True, True, False]
    assert not is_purged(late)
    result = retention.purge_old_payloads()
    assert result.finished and all(is_purged(ev) for ev in [*olds, late])


def test_the_purge_rests_in_proportion_to_each_batch_so_it_takes_a_share_of_the_time(settings):
    settings.RETENTION_PAUSE_SECONDS = 0.1
    settings.RETENTION_REST_RATIO = 3
    assert retention.rest_after(0.01) == 0.1  # a quick batch: the fixed pause
    assert retention.rest_after(0.5) == pytest.approx(1.5)  # a slow one: three times it
    settings.RETENTION_REST_RATIO = 0
    assert retention.rest_after(0.5) == 0.1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's WAL")
def test_the_purge_compresses_the_pages_it_writes_whole_into_the_wal(source, settings):
    """After a checkpoint, the first change to a page puts the whole page in the WAL:
    the purge's batches, which touch pages no one has written for weeks, compress those
    images (lz4), so ingest's commits queue behind half as much WAL."""
    body = b'{"commits": [%s]}' % b",".join(b'{"id": "%040d"}' % i for i in range(40))

    def wal_bytes_of_a_purge(tag: str, compress: bool) -> int:
        settings.RETENTION_COMPRESS_WAL = compress
        received = timezone.now() - timedelta(days=40)
        Event.objects.bulk_create(
            Event(
                source=source,
                received_at=received,
                headers={"X-Tag": tag},
                body=body,
                content_type="application/json",
                payload={"tag": tag, "body": body.decode()},
                idempotency_key=f"{tag}-{n}",
                status=EventStatus.ROUTED,
            )
            for n in range(300)
        )
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            start = cursor.fetchone()[0]
            purged, _ = retention.purge_batch(retention.cutoff(), None, 1000)
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", [start])
            assert purged == 300
            return int(cursor.fetchone()[0])

    # Plain first: the compressed batch's setting lasts to the end of the test's
    # transaction, which holds both.
    plain = wal_bytes_of_a_purge("plain", compress=False)
    compressed = wal_bytes_of_a_purge("compressed", compress=True)

    assert compressed < 0.7 * plain, (compressed, plain)  # 0.52 when written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's roles")
def test_a_role_that_may_not_compress_the_wal_still_purges(source, monkeypatch):
    monkeypatch.setattr(retention, "_may_compress_wal", None)
    old = event(source, 31)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE rc_retention_plain NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO rc_retention_plain")
        cursor.execute("SET LOCAL ROLE rc_retention_plain")

    assert retention.purge_old_payloads().purged == 1
    assert is_purged(old)
    assert retention._may_compress_wal is False  # asked once, not again in this process
