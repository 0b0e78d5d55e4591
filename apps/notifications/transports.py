"""How a notice leaves, per channel kind: a lookup table of small senders.

Each answers a `Sent` and never raises; the sender (apps/notifications/sending.py)
applies the retry policy. Slack and webhook channels go through the delivery's
SSRF-guarded client; e-mail through Django's e-mail framework (SMTP from settings).

    email     plain text: the summary and the links          SMTP errors: retryable,
                                                             refused recipients: not
    slack     incoming-webhook JSON: `text` and `blocks`     as http_client.send says
    webhook   the JSON body, Standard Webhooks headers signed with the channel's secret
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from apps.core.standard_webhooks import outbound_headers
from apps.delivery import http_client
from apps.notifications.models import Channel


@dataclass(frozen=True)
class Sent:
    ok: bool
    error: str = ""
    retryable: bool = False
    retry_after: float | None = None
    status_code: int | None = None


def _http(url: str, payload: bytes, headers: dict[str, str]) -> Sent:
    result = http_client.send(url, payload, headers, settings.NOTIFY_TIMEOUT_SECONDS)
    return Sent(result.ok, result.error, result.retryable, result.retry_after, result.status_code)


def encode(notice: dict[str, Any]) -> bytes:
    return json.dumps(notice, separators=(",", ":"), sort_keys=True).encode()


def send_webhook(channel: Channel, notice: dict[str, Any]) -> Sent:
    payload = encode(notice)
    headers = {"Content-Type": "application/json"}
    # webhook-id is the notice's id: the same on every retry, so a receiver deduplicates.
    headers.update(
        outbound_headers(notice["id"], payload, [channel.secret] if channel.secret else [])
    )
    return _http(channel.url, payload, headers)


def slack_message(notice: dict[str, Any]) -> dict[str, Any]:
    links = " · ".join(f"<{url}|{name}>" for name, url in notice["links"].items())
    return {
        "text": notice["summary"],
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": notice["type"]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": notice["summary"]}},
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"{links} · {notice['occurred_at']}"},
                ],
            },
        ],
    }


def send_slack(channel: Channel, notice: dict[str, Any]) -> Sent:
    payload = json.dumps(slack_message(notice)).encode()
    return _http(channel.url, payload, {"Content-Type": "application/json"})


def email_text(notice: dict[str, Any]) -> str:
    lines = [notice["summary"], ""]
    lines += [f"{name}: {url}" for name, url in notice["links"].items()]
    lines += ["", f"type: {notice['type']}", f"at: {notice['occurred_at']}", f"id: {notice['id']}"]
    return "\n".join(lines) + "\n"


def send_email(channel: Channel, notice: dict[str, Any]) -> Sent:
    message = EmailMessage(
        subject=f"[RelayCore] {notice['summary']}"[:200],
        body=email_text(notice),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(channel.emails),
        connection=get_connection(timeout=settings.NOTIFY_TIMEOUT_SECONDS),
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        return Sent(False, f"recipients refused: {', '.join(exc.recipients)}", retryable=False)
    except smtplib.SMTPResponseException as exc:
        return Sent(False, f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}", retryable=True)
    except (smtplib.SMTPException, OSError) as exc:
        return Sent(False, f"SMTP failed: {type(exc).__name__}: {exc}"[:500], retryable=True)
    return Sent(True)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


SENDERS: dict[str, Callable[[Channel, dict[str, Any]], Sent]] = {
    "email": send_email,
    "slack": send_slack,
    "webhook": send_webhook,
}


def send(channel: Channel, notice: dict[str, Any]) -> Sent:
    sender = SENDERS.get(channel.kind)
    if sender is None:
        return Sent(False, f"unknown channel kind {channel.kind!r}")
    return sender(channel, notice)
