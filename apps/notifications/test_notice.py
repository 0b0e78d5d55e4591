"""A channel's "send test notification": one notice of type `test`, sent at once."""

from __future__ import annotations

from django.utils import timezone

from apps.notifications import sending, types
from apps.notifications.emit import body, link
from apps.notifications.models import Channel, Notification


def send_test(channel: Channel) -> Notification:
    """Record a test notice for this channel only, try it once (no retries: the caller
    is waiting for the answer) and answer the notification as it ended."""
    now = timezone.now()
    notice = body(
        types.TEST,
        {"kind": "channel", "id": channel.pk, "name": channel.name},
        f"Test notification for channel {channel.name}: it arrives.",
        {"dashboard": link("/")},
        {"kind": channel.kind},
        now,
    )
    row = Notification.objects.create(
        type=types.TEST,
        subject=f"channel:{channel.pk}",
        channel=channel,
        channel_name=channel.name,
        body=notice,
    )
    sending.send_notification(row.pk, retry=False)
    row.refresh_from_db()
    return row
