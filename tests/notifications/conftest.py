"""Fixtures for notifications: channels, a real SMTP server, a failing destination."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from apps.core.models import Event, EventStatus
from apps.core.standard_webhooks import generate_secret
from apps.delivery import batch, tasks
from apps.notifications.models import Channel
from tests.factories import make_destination, make_route, make_source
from tests.sink import Reply, Sink


@dataclass
class Inbox:
    """What the SMTP server received: (envelope sender, recipients, raw message)."""

    messages: list[tuple[str, list[str], str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode())
        )
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"expected {count} e-mails, got {len(self.messages)}"
        return self.messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and the settings that point Django at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "relaycore@example.com"
    yield inbox
    controller.stop()


def webhook_channel(url: str, **fields) -> Channel:
    values = {"name": f"hook {url}", "kind": "webhook", "url": url, "secret": generate_secret()}
    values.update(fields)
    return Channel.objects.create(**values)


@dataclass
class Pipe:
    """A source routed to a destination at a sink: events go through the real pipeline."""

    source: object
    destination: object
    sink: object

    def deliver(self, count: int = 1, status: int = 200) -> list[str]:
        self.sink.respond(*[Reply(status=status) for _ in range(count)])
        results = []
        for _ in range(count):
            event = Event.objects.create(
                source=self.source,
                body=b"{}",
                payload={},
                content_type="application/json",
                event_type="push",
                status=EventStatus.RECEIVED,
            )
            tasks.process_events([event.pk])  # the one delivery path, sender threads and all
            assert batch.wait_idle(timeout=30)
            results += list(event.outcomes.values_list("status", flat=True))
        self.destination.refresh_from_db()
        return results


@pytest.fixture
def pipe(transactional_db, sink):
    """Committed rows: the sender's threads read them on their own connections."""
    source = make_source(name="GitHub", slug="github")
    destination = make_destination(sink.url, name="billing")
    make_route(source, destination, name="all")
    yield Pipe(source, destination, sink)
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be flushed


def bodies(notification_sink) -> list[dict]:
    return [json.loads(r.body) for r in notification_sink.requests]


@pytest.fixture
def hooks():
    """A second real HTTP server: the receiver of webhook and Slack notifications."""
    server = Sink()
    yield server
    server.close()
