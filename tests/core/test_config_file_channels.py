"""Notification channels in relay.yaml: applied, exported with secrets masked, round-tripped."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from apps.notifications.models import Channel

pytestmark = pytest.mark.django_db

SLACK = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX"
CONFIG = f"""
sources:
  - slug: github
    verification: {{scheme: none}}
destinations:
  - name: billing
    url: http://127.0.0.1:9/hook
notification_channels:
  - name: ops
    kind: webhook
    url: http://127.0.0.1:9/notify
    secret: "${{OPS_WHSEC}}"
    types: [destination.failing, destination.recovered]
    destinations: [billing]
  - name: chat
    kind: slack
    url: {SLACK}
    sources: [github]
  - name: on-call
    kind: email
    emails: [oncall@example.com]
    active: false
"""
WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("OPS_WHSEC", WHSEC)
    path = tmp_path / "relay.yaml"
    path.write_text(CONFIG)
    return path


def test_channels_are_applied_with_names_resolved_to_ids(config_file):
    output = run("relay_apply", str(config_file))

    assert "create notification channel 'ops'" in output
    ops = Channel.objects.get(name="ops")
    assert ops.secret == WHSEC
    assert ops.types == ["destination.failing", "destination.recovered"]
    from apps.core.models import Destination, Source

    assert ops.destinations == [Destination.objects.get(name="billing").pk]
    assert Channel.objects.get(name="chat").sources == [Source.objects.get(slug="github").pk]
    assert Channel.objects.get(name="on-call").is_active is False


def test_export_masks_channel_secrets_and_applies_back_unchanged(config_file, tmp_path):
    run("relay_apply", str(config_file))

    exported = run("relay_export")

    assert WHSEC not in exported and "XXXXXXXX" not in exported
    doc = yaml.safe_load(exported)
    ops = next(c for c in doc["notification_channels"] if c["name"] == "ops")
    assert ops["destinations"] == ["billing"] and ops["secret"] == "********"
    again = tmp_path / "exported.yaml"
    again.write_text(exported)
    assert run("relay_apply", str(again)).strip() == "no changes"
    assert Channel.objects.get(name="ops").secret == WHSEC
    assert Channel.objects.get(name="chat").url == SLACK


def test_export_with_secrets_holds_them(config_file):
    run("relay_apply", str(config_file))

    doc = yaml.safe_load(run("relay_export", "--with-secrets"))

    ops = next(c for c in doc["notification_channels"] if c["name"] == "ops")
    assert ops["secret"] == WHSEC


def test_a_webhook_channel_without_a_secret_gets_one(tmp_path):
    path = tmp_path / "relay.yaml"
    path.write_text(
        "notification_channels:\n  - {name: ops, kind: webhook, url: 'http://127.0.0.1:9/'}\n"
    )

    run("relay_apply", str(path))

    assert Channel.objects.get().secret.startswith("whsec_")


def test_an_invalid_channel_applies_nothing(tmp_path):
    path = tmp_path / "relay.yaml"
    path.write_text(
        "destinations:\n  - {name: billing, url: 'http://127.0.0.1:9/'}\n"
        "notification_channels:\n"
        "  - {name: ops, kind: webhook, url: 'http://169.254.169.254/', destinations: [nope]}\n"
        "  - {name: mail, kind: email, emails: [x], types: [destination.exploded]}\n"
    )

    with pytest.raises(CommandError) as raised:
        run("relay_apply", str(path))

    message = str(raised.value)
    assert "notification channel 'ops': unknown destination 'nope'" in message
    assert "notification channel 'ops': url:" in message
    assert "notification channel 'mail': emails:" in message
    assert "unknown type 'destination.exploded'" in message
    assert not Channel.objects.exists()
    from apps.core.models import Destination

    assert not Destination.objects.exists()
