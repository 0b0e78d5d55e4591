"""Change history (django-auditlog) of the configuration: sources, destinations, routes.

Each create, update and delete is logged with its actor and a field diff. Secrets never
enter a diff, and neither do fields the pipeline itself rewrites all day (destination
health, updated_at): the log is about what people changed.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from apps.core.models import Destination, Route, Source

SECRET_FIELDS: dict[type, tuple[str, ...]] = {
    Source: ("secret", "previous_secret"),
    Destination: ("auth_header", "signing_secret", "previous_signing_secret"),
    Route: (),
}
NOISY_FIELDS: dict[type, tuple[str, ...]] = {
    Source: ("updated_at",),
    Destination: (
        "updated_at",
        "consecutive_failures",
        "disabled_until",
        "last_error",
        "last_success_at",
        "last_failure_at",
    ),
    Route: ("updated_at",),
}
AUDITED_MODELS = (Source, Destination, Route)


def excluded_fields(model: type) -> list[str]:
    return [*SECRET_FIELDS[model], *NOISY_FIELDS[model]]


def register() -> None:
    """Idempotent: registering again replaces the previous registration."""
    for model in AUDITED_MODELS:
        auditlog.register(model, exclude_fields=excluded_fields(model))
