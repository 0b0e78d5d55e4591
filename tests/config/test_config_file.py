"""relay_apply / relay_export: configuration as code, validated like the admin."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from apps.core.models import Destination, Route, Source

pytestmark = pytest.mark.django_db

CONFIG = """
sources:
  - slug: github
    name: GitHub
    verification: {scheme: github, secret: "${GH_SECRET}"}
    rate_limit_per_minute: 600
    event_type_header: X-GitHub-Event
    idempotency_header: X-GitHub-Delivery
destinations:
  - name: sink
    url: http://127.0.0.1:9/hook
    auth_header: "Authorization: Bearer abc"
    timeout_seconds: 5
routes:
  - name: main pushes
    source: github
    destination: sink
    event_types: [push]
    conditions:
      - {path: $.ref, op: equals, value: refs/heads/main}
    transformer: github_to_slack
    priority: 50
    rate_limit_per_minute: 0
    active: true
"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    monkeypatch.setenv("GH_SECRET", "from-the-environment")
    path = tmp_path / "relay.yaml"
    path.write_text(CONFIG)
    return path


def test_apply_creates_everything_and_reads_secrets_from_the_environment(config_file):
    output = run("relay_apply", str(config_file))

    assert "create source 'github'" in output
    assert "create destination 'sink'" in output
    assert "create route 'main pushes'" in output
    source = Source.objects.get(slug="github")
    assert source.secret == "from-the-environment"
    route = Route.objects.get(name="main pushes")
    assert (route.source, route.destination.name, route.priority) == (source, "sink", 50)
    assert Destination.objects.get().auth_header == "Authorization: Bearer abc"


def test_dry_run_writes_nothing(config_file):
    output = run("relay_apply", str(config_file), "--dry-run")
    assert "would create route 'main pushes'" in output
    assert not Source.objects.exists()


def test_applying_twice_changes_nothing(config_file):
    run("relay_apply", str(config_file))
    assert run("relay_apply", str(config_file)).strip() == "no changes"


def test_a_change_is_reported_field_by_field(config_file):
    run("relay_apply", str(config_file))
    config_file.write_text(CONFIG.replace("priority: 50", "priority: 70"))
    assert "update route 'main pushes': priority: 50 -> 70" in run("relay_apply", str(config_file))


def test_export_then_apply_round_trips_and_keeps_masked_secrets(config_file, tmp_path):
    run("relay_apply", str(config_file))
    exported = run("relay_export")

    assert "from-the-environment" not in exported
    assert "Bearer abc" not in exported
    doc = yaml.safe_load(exported)
    assert doc["routes"][0]["conditions"] == [
        {"path": "$.ref", "op": "equals", "value": "refs/heads/main"}
    ]
    again = tmp_path / "exported.yaml"
    again.write_text(exported)
    assert run("relay_apply", str(again)).strip() == "no changes"
    assert Source.objects.get().secret == "from-the-environment"


def test_an_invalid_file_applies_nothing_and_names_every_problem(tmp_path, settings):
    settings.DESTINATION_ALLOWED_NETWORKS = []
    bad = CONFIG.replace("op: equals", "op: equal").replace(
        "http://127.0.0.1:9/hook", "http://169.254.169.254/"
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad.replace('"${GH_SECRET}"', "s"))

    with pytest.raises(CommandError) as failure:
        run("relay_apply", str(path))

    message = str(failure.value)
    assert "destination 'sink': url:" in message
    assert "169.254.169.254" in message
    assert "unknown operator 'equal'" in message or "route 'main pushes'" in message
    assert not Source.objects.exists()


def test_a_missing_environment_variable_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("GH_SECRET", raising=False)
    path = tmp_path / "relay.yaml"
    path.write_text(CONFIG)
    with pytest.raises(CommandError, match="GH_SECRET is not set"):
        run("relay_apply", str(path))


def test_unparseable_files_get_a_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid json"):
        run("relay_apply", str(path))
