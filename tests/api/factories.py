"""Builders for stored events, outcomes and attempts (the API reads them)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.utils import timezone

from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    Outcome,
    OutcomeStatus,
    Route,
    Source,
)


def make_event(
    source: Source,
    payload: dict | None = None,
    *,
    event_type: str = "push",
    status: str = EventStatus.ROUTED,
    received_at: datetime | None = None,
    **fields,
) -> Event:
    payload = {"ref": "refs/heads/main"} if payload is None else payload
    body = json.dumps(payload).encode()
    return Event.objects.create(
        source=source,
        payload=payload,
        body=body,
        content_type="application/json",
        headers={"content-type": "application/json", "x-github-event": event_type},
        event_type=event_type,
        status=status,
        received_at=received_at or timezone.now(),
        idempotency_key=fields.pop("idempotency_key", f"key-{datetime.now().timestamp()}"),
        **fields,
    )


def make_outcome(
    event: Event, route: Route, status: str = OutcomeStatus.DEAD_LETTERED, **fields
) -> Outcome:
    return Outcome.objects.create(
        event=event, route=route, destination=route.destination, status=status, **fields
    )


def make_attempt(outcome: Outcome, number: int = 1, status_code: int | None = 500, **fields):
    started = fields.pop("started_at", timezone.now() - timedelta(seconds=number))
    return Attempt.objects.create(
        outcome=outcome,
        destination_id=outcome.destination_id,
        number=number,
        started_at=started,
        duration_ms=fields.pop("duration_ms", 12.5),
        status_code=status_code,
        response_body=fields.pop("response_body", "upstream broke"),
        error=fields.pop("error", "" if status_code else "connection refused"),
    )
