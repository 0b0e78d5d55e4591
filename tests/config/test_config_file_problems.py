"""relay_apply names every problem of a file, refuses keys it does not know, and says in
the change history who ran it."""

from __future__ import annotations

import getpass
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.config import config_file
from apps.core.models import Route, Source

pytestmark = pytest.mark.django_db

GOOD = """
sources:
  - {slug: github, verification: {scheme: none}}
destinations:
  - {name: sink, url: "http://127.0.0.1:9/hook"}
routes:
  - {name: first, source: github, destination: sink}
  - {name: second, source: github, destination: sink}
  - {name: third, source: github, destination: sink, priority: 5}
"""


def apply(tmp_path, text: str, *args: str) -> str:
    path = tmp_path / "relay.yaml"
    path.write_text(text)
    out = io.StringIO()
    call_command("relay_apply", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failure(tmp_path, text: str) -> str:
    with pytest.raises(CommandError) as raised:
        apply(tmp_path, text)
    return str(raised.value)


def test_it_refuses_a_misspelt_key_and_names_its_place(tmp_path):
    message = failure(tmp_path, GOOD.replace("priority: 5", "priorty: 5"))

    assert "routes[2].priorty: unknown key (did you mean 'priority'?" in message
    assert not Route.objects.exists()


def test_it_refuses_unknown_keys_of_every_kind_of_object(tmp_path):
    text = (
        GOOD.replace("scheme: none}", "scheme: none}, colour: red")
        .replace('hook"}', 'hook", retries: 3}')
        .replace("name: first,", "name: first, orderng_key: $.id,")
    )

    message = failure(tmp_path, text)

    assert "sources[0].colour: unknown key" in message
    assert "destinations[0].retries: unknown key" in message
    assert "routes[0].orderng_key: unknown key" in message
    assert not Source.objects.exists()


def test_a_key_is_accepted_once_it_is_declared(tmp_path, monkeypatch):
    """The check follows the declared field list: a field added there is read."""
    monkeypatch.setattr(config_file, "ROUTE_KEYS", {*config_file.ROUTE_KEYS, "note"})

    assert "create route 'first'" in apply(
        tmp_path, GOOD.replace("name: first,", "name: first, note: x,")
    )


def test_it_reports_every_problem_of_a_route_not_only_the_first(tmp_path, settings):
    settings.DESTINATION_ALLOWED_NETWORKS = []
    text = GOOD.replace(
        "{name: second, source: github, destination: sink}",
        "{name: second, source: nosuch, destination: sink, priority: high,"
        " conditions: [{path: $.ref, op: equal, value: x}]}",
    )

    message = failure(tmp_path, text)

    assert "route 'second': unknown source 'nosuch'" in message
    assert "route 'second': priority:" in message
    assert "route 'second': conditions:" in message
    assert "destination 'sink': url:" in message
    assert "route 'first': destination 'sink' is invalid (see its errors)" in message
    assert "unknown destination" not in message


def test_changes_are_attributed_to_the_os_user_by_default(tmp_path):
    apply(tmp_path, GOOD)

    entry = LogEntry.objects.get(content_type__model="source", action=LogEntry.Action.CREATE)
    assert entry.additional_data == {"actor": getpass.getuser(), "via": "relay_apply"}


def test_the_audit_log_names_the_actor_given_to_relay_apply(tmp_path):
    admin = get_user_model().objects.create_user("alice", password="x-long-password-1")
    set_role(admin, Role.ADMIN)
    client = APIClient()
    client.force_authenticate(admin)

    apply(tmp_path, GOOD, "--actor", "deploy-bot")
    apply(tmp_path, GOOD.replace("priority: 5", "priority: 6"), "--actor", "alice")

    shown = client.get("/api/audit-log/?object_type=route").json()["results"]
    assert [(e["action"], e["actor"]) for e in shown][:2] == [
        ("update", "alice"),
        ("create", "deploy-bot"),
    ]
    by_bot = client.get("/api/audit-log/?actor=deploy-bot").json()["results"]
    assert {e["object_type"] for e in by_bot} == {"source", "destination", "route"}
    update = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == admin


def test_a_channel_with_an_unknown_key_is_named_by_its_place_with_its_other_problems(tmp_path):
    text = GOOD + (
        "notification_channels:\n"
        "  - {name: ops, kind: email, emails: [ops@example.com], typs: [x],"
        " destinations: [nowhere]}\n"
    )

    message = failure(tmp_path, text)

    assert "notification_channels[0].typs: unknown key (did you mean 'types'?" in message
    assert "notification channel 'ops': unknown destination 'nowhere'" in message
