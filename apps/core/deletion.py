"""Deleting configuration without losing history.

What a delete does (API, admin, config file, shell: every path calls `soft_delete`):

- the row gets `deleted_at` and disappears from the default manager, so from every
  list, lookup, routing table, export and metric; a new object may take its name/slug;
- its events, outcomes and attempts stay, and still show its name;
- a source: its routes are deleted with it, and its URL answers 404 unknown_source;
- a destination: refused (DestinationInUse) while live routes deliver to it;
- a transformation: refused (TransformationInUse) while live routes use it; its
  versions stay, so attempts still name the code that shaped them;
- a route or a destination: its outcomes still waiting (pending, retrying) are
  dead-lettered with the reason, so nothing is dropped unseen. An attempt already in
  flight finishes; the worker sends nothing more for a deleted route or destination.

Only retention (apps/monitoring/retention.py) ever empties stored payloads.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from apps.core.models import Destination, Outcome, OutcomeStatus, Route, Source, Transformation

# Held outcomes wait too, and those behind an earlier event of their ordering key: a
# deleted route or destination ends them with the reason.
WAITING = (
    OutcomeStatus.PENDING,
    OutcomeStatus.RETRYING,
    OutcomeStatus.HELD,
    OutcomeStatus.WAITING,
)


class DestinationInUse(Exception):
    """A destination that live routes still deliver to cannot be deleted."""

    def __init__(self, route_names: list[str]) -> None:
        self.route_names = route_names
        super().__init__(
            f"Routes still deliver to this destination ({', '.join(route_names)}): "
            "delete them or point them elsewhere first."
        )


class TransformationInUse(Exception):
    """A transformation that live routes still use cannot be deleted."""

    def __init__(self, route_names: list[str]) -> None:
        self.route_names = route_names
        super().__init__(
            f"Routes still use this transformation ({', '.join(route_names)}): "
            "delete them or give them another transformer first."
        )


def soft_delete(obj: Model) -> None:
    """Delete a Source, Destination, Route or Transformation as described above; again is
    a no-op."""
    if obj.deleted_at is not None:
        return
    with transaction.atomic():
        if isinstance(obj, Source):
            for route in obj.routes.all():
                soft_delete(route)
        elif isinstance(obj, Destination):
            names = sorted(obj.routes.values_list("name", flat=True)[:5])
            if names:
                raise DestinationInUse(names)
        elif isinstance(obj, Transformation):
            names = sorted(obj.routes.values_list("name", flat=True)[:5])
            if names:
                raise TransformationInUse(names)
        _mark(obj)
        if isinstance(obj, Route):
            _end_waiting(Outcome.objects.filter(route=obj), "its route was deleted")
        elif isinstance(obj, Destination):
            _end_waiting(Outcome.objects.filter(destination=obj), "its destination was deleted")


def _mark(obj: Model) -> None:
    from auditlog.context import disable_auditlog
    from auditlog.receivers import log_delete

    obj.deleted_at = timezone.now()
    # One "delete" entry in the change history, rather than an update of deleted_at.
    with disable_auditlog():
        obj.save(update_fields=["deleted_at", "updated_at"])
    log_delete(sender=type(obj), instance=obj)


def _end_waiting(outcomes, reason: str) -> int:
    return outcomes.filter(status__in=WAITING).update(
        status=OutcomeStatus.DEAD_LETTERED,
        next_attempt_at=None,
        last_error=reason,
        updated_at=timezone.now(),
    )
