"""Sending recorded notifications: claim, send, record, retry (as deliveries do).

A claim is a conditional UPDATE to `sending` with a lease, so two copies of the task
never send one notification twice at once, and a claim whose worker died is taken
again by `send_due` once its lease runs out. Retries use the delivery's policy
(apps/delivery/policy.py: backoff with jitter, Retry-After honoured, DELIVERY_MAX_ATTEMPTS),
the time kept on the row; a failure is written on the notification and on its channel
(last_error, last_failure_at), and touches nothing else, so a broken channel neither
holds up the others nor any event's delivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.core.logs import log_event
from apps.core.queue import enqueue_on_commit
from apps.delivery import policy
from apps.notifications import transports
from apps.notifications.emit import SEND_TASK
from apps.notifications.models import Channel, Notification, NotificationStatus

logger = logging.getLogger(__name__)
DUE_BATCH = 100
COUNTDOWN_LIMIT_SECONDS = 300.0
S = NotificationStatus


def _due(now: datetime) -> Q:
    waiting = Q(status__in=[S.PENDING, S.RETRYING]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=S.SENDING, lease_expires_at__lt=now)
    return waiting | abandoned


def claim(notification_id: int, now: datetime) -> Notification | None:
    row = (
        Notification.objects.select_related("channel").filter(_due(now), pk=notification_id).first()
    )
    if row is None:
        return None
    lease = now + timedelta(
        seconds=settings.NOTIFY_TIMEOUT_SECONDS + settings.DELIVERY_LEASE_GRACE_SECONDS
    )
    taken = Notification.objects.filter(
        pk=row.pk, status=row.status, updated_at=row.updated_at
    ).update(status=S.SENDING, lease_expires_at=lease, updated_at=now)
    return row if taken else None


def send_notification(notification_id: int, *, retry: bool = True) -> str:
    """One attempt at a notification; answers its status after it (or "skipped")."""
    now = timezone.now()
    row = claim(notification_id, now)
    if row is None:
        return "skipped"
    channel = row.channel
    if channel.deleted_at is not None or not channel.is_active:
        why = "its channel was deleted" if channel.deleted_at else "its channel is inactive"
        return _record(row, transports.Sent(False, why), now, retry=False)
    result = transports.send(channel, row.body)
    return _record(row, result, timezone.now(), retry=retry)


def _record(row: Notification, result: transports.Sent, now: datetime, *, retry: bool) -> str:
    attempts = row.attempts + 1
    next_at = None
    if result.ok:
        status = S.SENT
    elif retry and result.retryable and policy.attempts_left(attempts):
        status = S.RETRYING
        next_at = now + timedelta(seconds=policy.backoff_seconds(attempts, result.retry_after))
    else:
        status = S.FAILED
    Notification.objects.filter(pk=row.pk, status=S.SENDING).update(
        status=status,
        attempts=attempts,
        next_attempt_at=next_at,
        lease_expires_at=None,
        last_status_code=result.status_code,
        last_error=result.error[:2000],
        sent_at=now if result.ok else None,
        updated_at=now,
    )
    _channel_health(row.channel_id, result, now)
    if next_at is not None:
        delay = (next_at - now).total_seconds()
        if delay <= COUNTDOWN_LIMIT_SECONDS:
            enqueue_on_commit(SEND_TASK, row.pk, countdown=delay)
    log_event(
        logger,
        "notification.sent" if result.ok else "notification.failed",
        logging.INFO if result.ok else logging.WARNING,
        notification_id=row.pk,
        channel_id=row.channel_id,
        type=row.type,
        status=status,
        error=result.error or None,
    )
    return status


def _channel_health(channel_id: int, result: transports.Sent, now: datetime) -> None:
    rows = Channel.all_objects.filter(pk=channel_id)
    if result.ok:
        rows.update(last_success_at=now, last_error="")
    else:
        rows.update(last_failure_at=now, last_error=result.error[:2000])


def send_due(now: datetime | None = None) -> int:
    """Send what is due (pending, retries whose time came, claims abandoned)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    for pk in ids:
        send_notification(pk)
    return len(ids)
