from __future__ import annotations

from celery import shared_task

from apps.core import task_names
from apps.monitoring import metrics, retention, tallies


@shared_task(name=task_names.COLLECT_METRICS)
def collect_metrics() -> int:
    tallies.advance_all()
    return metrics.collect().pk


@shared_task(name=task_names.PURGE_OLD_PAYLOADS)
def purge_old_payloads() -> int:
    return retention.purge_old_payloads().purged
