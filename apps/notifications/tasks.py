"""Celery tasks: thin wrappers that take ids and call the evaluator and the sender."""

from __future__ import annotations

from celery import shared_task

from apps.notifications import evaluate, sending


@shared_task(name="apps.notifications.tasks.evaluate_notifications")
def evaluate_notifications() -> int:
    return len(evaluate.evaluate())


@shared_task(name="apps.notifications.tasks.send_notification")
def send_notification(notification_id: int) -> str:
    return sending.send_notification(notification_id)


@shared_task(name="apps.notifications.tasks.send_due_notifications")
def send_due_notifications() -> int:
    return sending.send_due()
