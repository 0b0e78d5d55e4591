"""Patterns RE2 cannot run (backreferences, lookarounds) are refused when saved, with a
message that names where they are."""

from __future__ import annotations

from apps.core.models import Route, Source
from tests.api.conftest import assert_error


def test_a_route_with_a_backreference_is_refused_naming_the_condition(api, source, destination):
    response = api.post(
        "/api/routes/",
        {
            "name": "r",
            "source": source.pk,
            "destination": destination.pk,
            "conditions": [
                {"path": "$.ref", "op": "equals", "value": "x"},
                {"path": "$.ref", "op": "regex", "value": r"(main)\1"},
            ],
        },
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    [message] = error["fields"]["conditions"]
    assert message.startswith(r"condition 2 ($.ref): invalid regex '(main)\\1': ")
    assert "RE2" in message
    assert not Route.objects.exists()


def test_a_lookaround_in_a_source_event_type_path_is_refused(api):
    response = api.post(
        "/api/sources/",
        {
            "name": "S",
            "slug": "s",
            "verification_scheme": "none",
            "event_type_path": '$.events[?(@.name =~ "(?!x)y")].type',
        },
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    [message] = error["fields"]["event_type_path"]
    assert "invalid regex '(?!x)y'" in message
    assert not Source.objects.filter(slug="s").exists()
