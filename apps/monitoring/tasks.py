from __future__ import annotations

from celery import shared_task

from apps.monitoring import metrics


@shared_task(name="apps.monitoring.tasks.collect_metrics")
def collect_metrics() -> int:
    return metrics.collect().pk
