"""Celery tasks: thin wrappers that take ids and call the pipeline."""

from __future__ import annotations

from celery import shared_task

from apps.delivery import maintenance, pipeline


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
