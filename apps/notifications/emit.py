"""Emitting one notice: its documented body, and one Notification per subscribed channel.

Every body has the same envelope (docs/api.md lists each type's `data`)::

    {"type", "id", "occurred_at", "subject": {"kind", "id", "name"},
     "summary": "<one sentence>", "links": {"dashboard": "<PUBLIC_URL>/..."}, "data": {...}}

Which channels hear of it: active, subscribed to the type (no types = all), and not
limited away from the subject. A channel with neither `sources` nor `destinations` hears
about everything; one with a list hears about the subjects of that kind it lists only
(a channel limited to some sources gets no destination notices, and the reverse).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from apps.core import task_names
from apps.core.queue import enqueue_on_commit
from apps.notifications.models import Channel, Notification

SEND_TASK = task_names.SEND_NOTIFICATION


def new_notice_id() -> str:
    return "ntf_" + secrets.token_hex(12)


def link(path: str) -> str:
    return settings.PUBLIC_URL.rstrip("/") + path


def body(
    type_: str,
    subject: dict[str, Any],
    summary: str,
    links: dict[str, str],
    data: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "type": type_,
        "id": new_notice_id(),
        "occurred_at": now.isoformat().replace("+00:00", "Z"),
        "subject": subject,
        "summary": summary,
        "links": links,
        "data": data,
    }


def subject_key(subject: dict[str, Any]) -> str:
    return f"{subject['kind']}:{subject['id']}"


def wants(channel: Channel, type_: str, subject: dict[str, Any]) -> bool:
    if channel.types and type_ not in channel.types:
        return False
    if not channel.sources and not channel.destinations:
        return True
    listed = {"source": channel.sources, "destination": channel.destinations}
    return subject["id"] in listed.get(subject["kind"], [])


def emit(notice: dict[str, Any]) -> list[int]:
    """Record the notice for every channel that wants it; their sends start on commit."""
    subject = notice["subject"]
    channels = [
        c for c in Channel.objects.filter(is_active=True) if wants(c, notice["type"], subject)
    ]
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    type=notice["type"],
                    subject=subject_key(subject),
                    channel=channel,
                    channel_name=channel.name,
                    body=notice,
                )
                for channel in channels
            ]
        )
        ids = [row.pk for row in rows]
        for pk in ids:
            enqueue_on_commit(SEND_TASK, pk)
    return ids
