"""Core's models are checked by the rules apps.config registers, and never unchecked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from apps.core import validators
from apps.core.models import Destination, Event, Route, Source


def test_a_source_is_checked_by_the_rules_of_its_scheme():
    source = Source(name="x", slug="x", verification_scheme="nope")
    with pytest.raises(ValidationError) as raised:
        source.clean()
    assert "unknown scheme" in raised.value.message_dict["verification_scheme"][0]


def test_a_destination_is_checked_by_the_ssrf_guard():
    with pytest.raises(ValidationError) as raised:
        Destination(name="x", url="http://10.0.0.1/", timeout_seconds=5).clean()
    assert "url" in raised.value.message_dict


def test_a_route_is_checked_by_the_transformer_registry():
    with pytest.raises(ValidationError) as raised:
        Route(name="x", transformer="nope", event_types=["*"], conditions=[]).clean()
    assert raised.value.message_dict["transformer"][0].startswith("unknown transformer 'nope'")


def test_a_model_without_registered_rules_refuses_to_validate():
    with pytest.raises(ImproperlyConfigured, match="no validator for core.Event"):
        validators.validate(Event())
