"""Where a configuration model's clean() finds the rules that live above core.

A source, destination or route is valid only by rules that belong to the stages
(verification schemes, route conditions, transformers, the SSRF guard). Core sits below
them and imports none, so apps.config registers one validator per model here in its
AppConfig.ready(), and the model's clean() calls it. A model with no validator refuses
to be validated rather than pass unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError

Errors = dict[str, list[str]]
Validator = Callable[[Any], Errors]

_validators: dict[str, Validator] = {}


def register(label: str, validator: Validator) -> None:
    """`label` is the model's "app_label.ModelName", e.g. "core.Source"."""
    _validators[label] = validator


def validate(instance: Any) -> None:
    """Raise Django's ValidationError with every problem of `instance`, per field."""
    label = instance._meta.label
    validator = _validators.get(label)
    if validator is None:
        raise ImproperlyConfigured(f"no validator for {label}: is apps.config installed?")
    errors = validator(instance)
    if errors:
        raise ValidationError(errors)
