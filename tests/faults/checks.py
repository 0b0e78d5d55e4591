"""Sending a known set of events, and the count every fault test ends with.

The invariant: every event answered 200 "accepted" was committed, routed, and each of
its outcomes ended delivered (the destination saw it at least once) or dead-lettered
with its attempts on record. Nothing answered 200 may be missing.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass

import httpx
from django.db import connection

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from tests.factories import github_signature
from tests.sink import Sink

SECRET = "fault-secret"
FINAL = (OutcomeStatus.DELIVERED, OutcomeStatus.DEAD_LETTERED)


@dataclass(frozen=True)
class Answer:
    n: int
    status: int  # 0: no HTTP answer at all
    body: dict
    seconds: float

    @property
    def accepted_id(self) -> int | None:
        if self.status == 200 and self.body.get("status") == "accepted":
            return int(self.body["delivery_id"])
        return None


class Producer:
    """A webhook producer: signed GitHub-style events, each with its own delivery id."""

    def __init__(self, base_url: str, slug: str) -> None:
        self.url = f"{base_url}/webhooks/receive/{slug}/"
        self.run = uuid.uuid4().hex[:8]
        self.client = httpx.Client(timeout=15)

    def post(self, n: int) -> Answer:
        body = json.dumps({"n": n, "run": self.run}).encode()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "push",
            "X-GitHub-Delivery": f"{self.run}-{n}",
            "X-Hub-Signature-256": github_signature(SECRET, body),
        }
        began = time.monotonic()
        try:
            response = self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError:
            return Answer(n, 0, {}, time.monotonic() - began)
        try:
            answer = response.json()
        except ValueError:
            answer = {"not_json": response.text[:200]}
        return Answer(n, response.status_code, answer, time.monotonic() - began)

    def post_all(
        self, numbers: range | list[int], pause: float = 0.0, into: list[Answer] | None = None
    ) -> list[Answer]:
        """Send one after another; each answer is appended to `into` as it comes."""
        answers = [] if into is None else into
        for n in numbers:
            answers.append(self.post(n))
            time.sleep(pause)
        return answers

    def in_background(self, numbers: range, pause: float) -> tuple[threading.Thread, list[Answer]]:
        """Keep sending while the test breaks something; the list fills as answers come."""
        answers: list[Answer] = []
        thread = threading.Thread(target=self.post_all, args=(numbers, pause, answers), daemon=True)
        thread.start()
        return thread, answers

    def retry_refused(self, answers: list[Answer], rounds: int = 10) -> list[Answer]:
        """What a producer does with a 503: send the same event again a little later,
        until it is answered 200. Answers every retry's answer."""
        final = {a.n: a for a in answers}
        retries: list[Answer] = []
        for _ in range(rounds):
            pending = [n for n, a in final.items() if a.status != 200]
            if not pending:
                break
            time.sleep(0.5)
            for n in pending:
                final[n] = self.post(n)
                retries.append(final[n])
        return retries

    def close(self) -> None:
        self.client.close()


def accepted_ids(answers: list[Answer]) -> list[int]:
    return [a.accepted_id for a in answers if a.accepted_id is not None]


def send_accepted(producer: Producer, numbers: range | list[int]) -> list[int]:
    """Send events with nothing broken yet: every one must be accepted."""
    answers = producer.post_all(numbers)
    refused = [(a.n, a.status, a.body) for a in answers if a.accepted_id is None]
    assert not refused, f"refused with nothing broken: {refused[:5]}"
    return accepted_ids(answers)


def assert_every_event_accepted_once(answers: list[Answer]) -> None:
    """Over first tries and retries, each event got an "accepted" at least once. A
    "duplicate" for an event never accepted would mean its key was taken but its row
    never written: an event lost at the door."""
    accepted = {a.n for a in answers if a.accepted_id is not None}
    never = sorted({a.n for a in answers} - accepted)
    assert not never, f"never accepted: {never}; their answers: " + str(
        [(a.n, a.status, a.body) for a in answers if a.n in never][:10]
    )


def assert_only_200_or_503(answers: list[Answer]) -> int:
    """During an outage the answer is 200 (stored) or 503 (retry later), nothing else.
    Answers how many were refused."""
    wrong = [(a.n, a.status, a.body) for a in answers if a.status not in (200, 503)]
    assert not wrong, f"answers other than 200/503: {wrong[:10]}"
    refused = [a for a in answers if a.status == 503]
    assert all(a.body.get("error", {}).get("code") == "unavailable" for a in refused)
    return len(refused)


def _reconnected(query):
    """The test's own connection may have died with the database: start a new one."""
    try:
        return query()
    except Exception:  # noqa: BLE001 - any error of a stale connection: reconnect once
        connection.close()
        return query()


def _settled(event_ids: list[int], routes: int) -> bool:
    outcomes = Outcome.objects.filter(event_id__in=event_ids)
    return (
        outcomes.count() == len(event_ids) * routes
        and not outcomes.exclude(status__in=FINAL).exists()
    )


def _state(event_ids: list[int]) -> str:
    events = list(Event.objects.filter(pk__in=event_ids).values_list("status", flat=True))
    outcomes = list(
        Outcome.objects.filter(event_id__in=event_ids).values_list(
            "status", "attempt_count", "last_error"
        )
    )
    return (
        f"{len(events)}/{len(event_ids)} events: {sorted(set(events))}; outcomes: {outcomes[:20]}"
    )


def wait_settled(event_ids: list[int], routes: int = 1, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _reconnected(lambda: _settled(event_ids, routes)):
            return
        time.sleep(0.25)
    raise AssertionError(f"not every accepted event settled in {timeout} s: {_state(event_ids)}")


def assert_nothing_lost(
    event_ids: list[int], sinks: list[Sink], routes: int = 1, timeout: float = 60.0
) -> dict[str, int]:
    """The invariant. Answers how many outcomes ended in each final state."""
    assert event_ids, "no event was accepted: the test proved nothing"
    wait_settled(event_ids, routes, timeout)
    stored = Event.objects.filter(pk__in=event_ids)
    assert stored.count() == len(set(event_ids)), "an event answered 200 was not stored"
    assert not stored.exclude(status=EventStatus.ROUTED).exists()
    seen = {r.headers.get("x-relaycore-event-id") for sink in sinks for r in sink.requests}
    tally = {OutcomeStatus.DELIVERED: 0, OutcomeStatus.DEAD_LETTERED: 0}
    for outcome in Outcome.objects.filter(event_id__in=event_ids).prefetch_related("attempts"):
        attempts = list(outcome.attempts.all())
        assert len(attempts) >= max(outcome.attempt_count, 1), f"attempts missing: {outcome}"
        if outcome.status == OutcomeStatus.DELIVERED:
            assert any(a.succeeded for a in attempts), f"delivered without a 2xx: {outcome}"
            assert str(outcome.event_id) in seen, f"delivered but never arrived: {outcome}"
        tally[outcome.status] += 1
    return tally
