"""Celery tasks: thin wrappers that take ids and call the one delivery path (batch).

The names are apps.core.task_names. The two one-id tasks are what earlier versions
queued: they stay registered so that such messages still drain, and hand their id to
the batch path like any other.
"""

from __future__ import annotations

from celery import shared_task

from apps.core import task_names
from apps.delivery import batch, maintenance


@shared_task(name=task_names.PROCESS_EVENTS)
def process_events(event_ids: list[int]) -> int:
    """Route a batch of stored events and start their deliveries (sent in the background
    by apps.delivery.sender, so this returns before the destinations answer)."""
    outcomes = batch.route_events(event_ids)
    batch.deliver_claimed(outcomes)
    return len(outcomes)


@shared_task(name=task_names.DELIVER_OUTCOMES)
def deliver_outcomes(outcome_ids: list[int]) -> int:
    outcomes = batch.claim_many(outcome_ids)
    batch.deliver_claimed(outcomes)
    return len(outcomes)


@shared_task(name=task_names.LEGACY_PROCESS_EVENT)
def process_event(event_id: int) -> int:
    return process_events([event_id])


@shared_task(name=task_names.LEGACY_DELIVER_OUTCOME)
def deliver_outcome(outcome_id: int) -> int:
    return deliver_outcomes([outcome_id])


@shared_task(name=task_names.DISPATCH_DUE)
def dispatch_due() -> int:
    return maintenance.dispatch_due()


@shared_task(name=task_names.SWEEP_UNROUTED)
def sweep_unrouted() -> int:
    return maintenance.sweep_unrouted()
