"""relay_apply refuses regexes RE2 cannot run, naming the route and its condition."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from apps.core.models import Route, Source
from tests.config.test_config_file import CONFIG, run

pytestmark = pytest.mark.django_db


def test_a_backreference_in_a_route_condition_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("GH_SECRET", "s")
    bad = CONFIG.replace(
        "      - {path: $.ref, op: equals, value: refs/heads/main}",
        "      - {path: $.ref, op: equals, value: refs/heads/main}\n"
        "      - {path: $.ref, op: regex, value: '^(refs)/\\1'}",
    )
    assert "regex" in bad
    path = tmp_path / "relay.yaml"
    path.write_text(bad)

    with pytest.raises(CommandError) as failure:
        run("relay_apply", str(path))

    message = str(failure.value)
    assert "route 'main pushes'" in message
    assert "condition 2 ($.ref): invalid regex '^(refs)/\\\\1'" in message
    assert "RE2" in message
    assert not Source.objects.exists() and not Route.objects.exists()
