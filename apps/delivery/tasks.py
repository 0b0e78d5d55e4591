"""Celery tasks: thin wrappers that take ids and call the pipeline."""

from __future__ import annotations

from celery import shared_task

from apps.delivery import batch, maintenance, pipeline


@shared_task(name="apps.delivery.tasks.process_events")
def process_events(event_ids: list[int]) -> int:
    """Route a batch of stored events and start their deliveries (sent in the background
    by apps.delivery.sender, so this returns before the destinations answer)."""
    outcomes = batch.route_events(event_ids)
    batch.deliver_claimed(outcomes)
    return len(outcomes)


@shared_task(name="apps.delivery.tasks.deliver_outcomes")
def deliver_outcomes(outcome_ids: list[int]) -> int:
    outcomes = batch.claim_many(outcome_ids)
    batch.deliver_claimed(outcomes)
    return len(outcomes)


# One event at a time: messages queued by earlier versions, and the tests.
@shared_task(name="apps.delivery.tasks.process_event")
def process_event(event_id: int) -> int:
    outcome_ids = pipeline.route_event(event_id, keep_first=True)
    if outcome_ids:
        pipeline.deliver(outcome_ids[0])
    return len(outcome_ids)


@shared_task(name="apps.delivery.tasks.deliver_outcome")
def deliver_outcome(outcome_id: int) -> str:
    return pipeline.deliver(outcome_id)


@shared_task(name="apps.delivery.tasks.dispatch_due")
def dispatch_due() -> int:
    return maintenance.dispatch_due()


@shared_task(name="apps.delivery.tasks.sweep_unrouted")
def sweep_unrouted() -> int:
    return maintenance.sweep_unrouted()
