"""Change history (django-auditlog) of the configuration: sources, destinations, routes.

Each create, update and delete is logged with its actor and a field diff. A secret's
value never enters a diff: the current secret fields are masked (the diff records that
the secret changed, as "[hidden]", and nothing of its value) and the previous-secret
fields of a rotation are left out. Fields the pipeline itself rewrites all day
(destination health, updated_at) are left out too: the log is about what people changed.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from apps.core.models import Destination, Route, Source

HIDDEN = "[hidden]"
MASKED_FIELDS: dict[type, tuple[str, ...]] = {
    Source: ("secret",),
    Destination: ("auth_header", "signing_secret"),
    Route: (),
}
EXCLUDED_FIELDS: dict[type, tuple[str, ...]] = {
    Source: ("previous_secret", "updated_at"),
    Destination: (
        "previous_signing_secret",
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


def hide(value: str) -> str:
    """auditlog mask callable: whether there is a secret, never any of it.

    auditlog renders a missing value (before a create) as "None".
    """
    return "" if value in ("", "None") else HIDDEN


def register() -> None:
    """Idempotent: registering again replaces the previous registration."""
    for model in AUDITED_MODELS:
        auditlog.register(
            model,
            exclude_fields=list(EXCLUDED_FIELDS[model]),
            mask_fields=list(MASKED_FIELDS[model]),
            mask_callable="apps.core.audit.hide",
        )
