"""Events whose routing keeps failing are set aside, so that none wedges the pipeline.

An event whose routing raises or runs out of time (apps.routing.matching.RoutingError)
stays ``received`` with the reason in ``error`` and one more on ``routing_failures``, and
the sweeper tries it again later. The ROUTING_MAX_FAILURES-th failure makes it
``routing_failed``: the sweeper leaves it alone, and a re-route (API, admin), once its
routes are fixed, tries again and clears the count.

``error`` reads ``routing attempt 2 of 3 failed: <reason>``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Case, F, Value, When

from apps.core.logs import log_event
from apps.core.models import Event, EventStatus

logger = logging.getLogger(__name__)
ERROR_LENGTH = Event._meta.get_field("error").max_length


def failure_text(attempt: int, reason: str) -> str:
    text = f"routing attempt {attempt} of {settings.ROUTING_MAX_FAILURES} failed: {reason}"
    return text if len(text) <= ERROR_LENGTH else text[: ERROR_LENGTH - 1] + "…"


def record_failure(event: Event, reason: str) -> bool:
    """Count one failed routing of a received event (inside the caller's transaction);
    answers whether it is now set aside."""
    attempt = event.routing_failures + 1
    limit = settings.ROUTING_MAX_FAILURES
    Event.objects.filter(pk=event.pk, status=EventStatus.RECEIVED).update(
        routing_failures=F("routing_failures") + 1,
        error=failure_text(attempt, reason),
        status=Case(
            When(routing_failures__gte=limit - 1, then=Value(EventStatus.ROUTING_FAILED)),
            default=F("status"),
        ),
    )
    set_aside = attempt >= limit
    log_event(
        logger,
        "event.routing_set_aside" if set_aside else "event.routing_failed",
        logging.WARNING,
        event_id=event.pk,
        attempt=attempt,
        reason=reason[:200],
    )
    return set_aside
