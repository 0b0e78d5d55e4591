"""Channels in the change history, their secrets masked like those of destinations.

A Slack channel's URL is its password: it is recorded masked (apps.core.audit's
hide_or_mask_url), a webhook channel's signing secret only as "[hidden]". The health
the sender writes (last_error, last_success_at, ...) is left out.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from apps.core.audit import tracked_fields
from apps.notifications.models import Channel

EXCLUDED = ["updated_at", "last_error", "last_success_at", "last_failure_at"]


def register() -> None:
    auditlog.register(
        Channel,
        include_fields=tracked_fields(Channel, EXCLUDED),
        exclude_fields=EXCLUDED,
        mask_fields=["url", "secret"],
        mask_callable="apps.core.audit.hide_or_mask_url",
    )
