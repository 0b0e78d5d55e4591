"""The config file carries a route's ordered delivery: applied, validated, exported."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from apps.core.models import Route

pytestmark = pytest.mark.django_db

CONFIG = """
sources:
  - slug: github
    name: GitHub
    verification: {scheme: none}
destinations:
  - name: sink
    url: http://127.0.0.1:9/hook
routes:
  - name: per repository
    source: github
    destination: sink
    event_types: ["*"]
    transformer: passthrough
    ordering_key: {key}
    ordering_dead_letter_blocks: true
"""


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def write(tmp_path, key: str):
    path = tmp_path / "relay.yaml"
    path.write_text(CONFIG.replace("{key}", key))
    return path


def test_it_applies_and_exports_a_routes_ordering_key_and_dead_letter_rule(tmp_path):
    run("relay_apply", str(write(tmp_path, "$.repository.full_name")))

    route = Route.objects.get()
    assert (route.ordering_key, route.ordering_dead_letter_blocks) == (
        "$.repository.full_name",
        True,
    )
    exported = yaml.safe_load(run("relay_export"))["routes"][0]
    assert exported["ordering_key"] == "$.repository.full_name"
    assert exported["ordering_dead_letter_blocks"] is True
    again = tmp_path / "exported.yaml"
    again.write_text(yaml.safe_dump(yaml.safe_load(run("relay_export"))))
    assert run("relay_apply", str(again)).strip() == "no changes"


def test_a_bad_ordering_key_is_refused_with_its_reason(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("relay_apply", str(write(tmp_path, "repository.full_name")))

    assert "route 'per repository': ordering_key:" in str(raised.value)
    assert "JSONPath starting with $" in str(raised.value)
    assert not Route.objects.exists()
