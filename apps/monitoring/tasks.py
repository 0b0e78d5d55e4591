from __future__ import annotations

from celery import shared_task

from apps.core import task_names
from apps.monitoring import destination_hours, metrics, retention, tallies


@shared_task(name=task_names.COLLECT_METRICS)
def collect_metrics() -> int:
    return metrics.collect().pk


@shared_task(name=task_names.ADVANCE_TALLIES)
def advance_tallies() -> None:
    tallies.advance_all()


@shared_task(name=task_names.PURGE_OLD_PAYLOADS)
def purge_old_payloads() -> int:
    return retention.purge_old_payloads().purged


@shared_task(name=task_names.ROLL_UP_DESTINATION_HOURS)
def roll_up_destination_hours() -> int:
    return destination_hours.roll_up()
