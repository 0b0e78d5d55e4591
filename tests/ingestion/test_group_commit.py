"""Group commit at ingest: concurrent requests of one process share one admission round
trip and one INSERT, and each is answered after the commit that holds its row.

To make a batch gather for certain, a test holds the event table's write lock (as a long
commit would): the first request's INSERT waits on it, and the requests that arrive
meanwhile queue behind that batch. Once all of them are queued the lock is let go.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client

from apps.core import storage
from apps.core.models import Event, EventStatus, Source
from apps.ingestion import intake
from tests.factories import make_source

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 8


def post(slug: str, key: str, body: bytes = b'{"n": 1}'):
    try:
        return Client().post(
            f"/webhooks/receive/{slug}/",
            data=body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
    finally:
        connections.close_all()  # this thread's connection


def wait_for(predicate, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


@contextlib.contextmanager
def event_table_locked() -> Iterator[None]:
    """Hold the lock an INSERT into the event table needs, until the block ends."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {Event._meta.db_table} IN EXCLUSIVE MODE")
        else:  # SQLite: a write takes the database's one write lock
            cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE id < 0")
        yield


def send_together(slug: str, keys: list[str], gathered=None) -> list:
    """Post one request per key from threads of their own while the first batches are
    held (as many as may be in flight, one request each), and let them go once all the
    other requests are queued behind them; answers in the keys' order."""
    answers: list = [None] * len(keys)
    leaders = intake.most_in_flight()

    def one(i: int) -> None:
        answers[i] = post(slug, keys[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(keys))]
    with gathered or event_table_locked():
        for n, thread in enumerate(threads, 1):
            thread.start()
            if n <= leaders:
                wait_for(lambda n=n: intake.in_flight() == n, "a batch to start")
        wait_for(lambda: intake.queued() == len(keys) - leaders, "the requests to queue up")
    for thread in threads:
        thread.join(30)
    return answers


def transactions_of(ids: list[int]) -> int:
    """How many transactions wrote these rows (PostgreSQL: the rows' xmin)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(DISTINCT xmin::text) FROM {Event._meta.db_table} WHERE id = ANY(%s)",
            [ids],
        )
        return cursor.fetchone()[0]


def test_concurrent_requests_share_one_commit_and_each_gets_its_own_id():
    source = make_source(slug="grouped")
    keys = [f"k-{n}" for n in range(REQUESTS)]

    answers = send_together(source.slug, keys)

    assert [a.status_code for a in answers] == [200] * REQUESTS
    assert {a.json()["status"] for a in answers} == {"accepted"}
    ids = [a.json()["delivery_id"] for a in answers]
    stored = dict(Event.objects.filter(source=source).values_list("pk", "idempotency_key"))
    # Every request is answered with the id of its own row.
    assert {pk: stored[pk] for pk in ids} == dict(zip(ids, keys, strict=True))
    assert len(stored) == REQUESTS
    if connection.vendor == "postgresql":
        # The first requests' batches, then one for all those that queued behind them.
        assert transactions_of(ids) == intake.most_in_flight() + 1


def test_duplicates_inside_one_batch_accept_exactly_one():
    source = make_source(slug="dupes")
    leaders = intake.most_in_flight()
    same = REQUESTS - leaders  # all in the batch queued behind the first ones
    keys = [*(f"lead-{n}" for n in range(leaders)), *["same"] * same]

    answers = send_together(source.slug, keys)

    statuses = [a.json()["status"] for a in answers[leaders:]]
    assert sorted(statuses) == ["accepted"] + ["duplicate"] * (same - 1)
    rows = list(Event.objects.filter(source=source, idempotency_key="same").values("status"))
    assert sorted(r["status"] for r in rows) == (
        [EventStatus.DUPLICATE] * (same - 1) + [EventStatus.RECEIVED]
    )


def test_a_failed_batch_answers_503_to_each_and_gives_back_their_keys(monkeypatch):
    source = make_source(slug="failing")
    keys = [f"retry-{n}" for n in range(REQUESTS)]
    held, batches = threading.Event(), []

    def failing_insert(rows):
        batches.append(len(rows))
        held.wait(20)  # the first batch stays in flight until the others queued
        # (Not an OperationalError: that one is run again on a fresh connection first.)
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(storage, "insert_event_rows", failing_insert)

    @contextlib.contextmanager
    def release_after() -> Iterator[None]:
        yield
        held.set()

    answers = send_together(source.slug, keys, gathered=release_after())
    monkeypatch.undo()

    leaders = intake.most_in_flight()
    assert sorted(batches) == [1] * leaders + [REQUESTS - leaders]
    assert [a.status_code for a in answers] == [503] * REQUESTS
    assert {a.json()["error"]["code"] for a in answers} == {"unavailable"}
    assert not Event.objects.filter(source=source).exists()
    # Their keys were given back: each retry is accepted, none taken for a duplicate.
    retried = [post(source.slug, key).json()["status"] for key in keys]
    assert retried == ["accepted"] * REQUESTS
    assert Event.objects.filter(source=source).count() == REQUESTS


def test_a_row_the_database_refuses_fails_alone_in_its_batch():
    """A source removed from the database while its request waited (sources are only
    marked deleted, so by hand): that request gets 404, the others of its batch are
    stored."""
    kept, doomed = make_source(slug="kept"), make_source(slug="doomed")
    answers: dict[str, object] = {}

    def one(slug: str, key: str) -> None:
        answers[key] = post(slug, key)

    leaders = intake.most_in_flight()
    kept_keys = [f"k-{n}" for n in range(leaders + 2)]
    threads = [threading.Thread(target=one, args=("kept", key)) for key in kept_keys]
    threads.append(threading.Thread(target=one, args=("doomed", "gone")))
    with event_table_locked():
        for n, thread in enumerate(threads[:leaders], 1):
            thread.start()
            wait_for(lambda n=n: intake.in_flight() == n, "a batch to start")
        for thread in threads[leaders:]:
            thread.start()
        wait_for(lambda: intake.queued() == len(threads) - leaders, "the requests to queue up")
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Source._meta.db_table} WHERE id = %s", [doomed.pk])
    for thread in threads:
        thread.join(30)

    assert answers["gone"].status_code == 404
    assert {answers[key].status_code for key in kept_keys} == {200}
    assert Event.objects.filter(source=kept).count() == len(kept_keys)
