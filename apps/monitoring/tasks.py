from __future__ import annotations

from celery import shared_task

from apps.monitoring import metrics, retention, tallies


@shared_task(name="apps.monitoring.tasks.collect_metrics")
def collect_metrics() -> int:
    tallies.advance_all()
    return metrics.collect().pk


@shared_task(name="apps.monitoring.tasks.purge_old_payloads")
def purge_old_payloads() -> int:
    return retention.purge_old_payloads().purged
