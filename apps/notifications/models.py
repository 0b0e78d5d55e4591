"""Notification channels, the notifications sent through them, and what was last told.

Channel        where operators hear about changes of state (e-mail, Slack, a signed
               webhook), which notification types it wants, for which sources and
               destinations. Deleted softly, like the rest of the configuration.
Notification   one notice on one channel: its JSON body, its delivery status and retry
               schedule (the same shape as an outcome: rows, claims, leases).
NoticeState    per (type, subject): the state operators were last told about and when a
               notice was last emitted; the evaluator compares it with the rows of today
               (apps/notifications/evaluate.py) and debounces on it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from apps.core.fields import EncryptedTextField
from apps.core.models import SoftDeletable


class ChannelKind(models.TextChoices):
    EMAIL = "email"
    SLACK = "slack"
    WEBHOOK = "webhook"


class Channel(SoftDeletable):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ChannelKind.choices)
    # Slack and webhook: where to POST. Encrypted: a Slack incoming-webhook URL is a token.
    url = EncryptedTextField(blank=True, default="")
    emails = models.JSONField(default=list, blank=True)
    # Webhook channels sign with their own whsec_ secret (Standard Webhooks).
    secret = EncryptedTextField(blank=True, default="")
    # Notification type names; empty = every type.
    types = models.JSONField(default=list, blank=True)
    # Ids; both empty = every source and destination (see apps/notifications/emit.py).
    sources = models.JSONField(default=list, blank=True)
    destinations = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    # The channel's own health, written by the sender.
    last_error = models.TextField(blank=True, default="")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(SoftDeletable.Meta):
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(deleted_at__isnull=True),
                name="channel_name_unique_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def clean(self) -> None:
        from apps.notifications.validation import channel_errors, raise_for

        raise_for(channel_errors(self))

    def delete(self, using=None, keep_parents=False) -> tuple[int, dict[str, int]]:
        """Soft: the channel leaves every list, its notifications stay readable; those
        not yet sent are failed with the reason, so nothing waits on a deleted channel."""
        from apps.core.deletion import _mark

        if self.deleted_at is not None:
            return 0, {}
        _mark(self)
        Notification.objects.filter(channel=self, status__in=WAITING).update(
            status=NotificationStatus.FAILED,
            next_attempt_at=None,
            last_error="its channel was deleted",
            updated_at=timezone.now(),
        )
        return 1, {self._meta.label: 1}


class NotificationStatus(models.TextChoices):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"


WAITING = (NotificationStatus.PENDING, NotificationStatus.RETRYING, NotificationStatus.SENDING)


class Notification(models.Model):
    type = models.CharField(max_length=64)
    # "destination:5", "source:3", "channel:2" (a test)
    subject = models.CharField(max_length=100)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="notifications")
    # Kept so the list reads well whatever later becomes of the channel.
    channel_name = models.CharField(max_length=200)
    body = models.JSONField()
    status = models.CharField(
        max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    # While SENDING: when the claim runs out (the sender died; the next sweep takes it).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["type", "subject"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject} -> {self.channel_name}"


class NoticeState(models.Model):
    type = models.CharField(max_length=64)
    subject = models.CharField(max_length=100)
    # What operators were last told: "on"/"off" for a condition (failing, disabled, a
    # signature burst); unused by the dead-letter digest.
    state = models.CharField(max_length=16, default="off")
    # When `state` was entered; for the digest, the end of the last one.
    since = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "subject"], name="one_notice_state")]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}: {self.state}"
