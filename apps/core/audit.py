"""Change history (django-auditlog) of the configuration: sources, destinations, routes,
transformations (whose code is no secret: its diff is the code itself).

Each create, update and delete is logged with its actor and a field diff. A secret's
value never enters a diff: the current secret fields are masked (the diff records that
the secret changed, as "[hidden]", and nothing of its value) and the previous-secret
fields of a rotation are left out; a destination URL that carries a credential is
recorded masked as the API shows it to non-admins (apps.core.secret_urls). Fields the
pipeline itself rewrites all day (destination health, updated_at) are left out too: the
log is about what people changed.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from apps.core.models import Destination, Route, Source, Transformation
from apps.core.secret_urls import mask_url

HIDDEN = "[hidden]"
MASKED_FIELDS: dict[type, tuple[str, ...]] = {
    Source: ("secret",),
    Destination: ("url", "auth_header", "signing_secret"),
    Route: (),
    Transformation: (),
}
MASK_CALLABLES: dict[type, str] = {
    Source: "apps.core.audit.hide",
    Destination: "apps.core.audit.hide_or_mask_url",
    Route: "apps.core.audit.hide",
    Transformation: "apps.core.audit.hide",
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
    # version follows code; the diff of code says the change.
    Transformation: ("updated_at",),
}
AUDITED_MODELS = (Source, Destination, Route, Transformation)


def hide(value: str) -> str:
    """auditlog mask callable: whether there is a secret, never any of it.

    auditlog renders a missing value (before a create) as "None".
    """
    return "" if value in ("", "None") else HIDDEN


def hide_or_mask_url(value: str) -> str:
    """A destination's URL keeps what mask_url() shows (scheme, host, the path of a URL
    without a credential); its other masked fields are secrets, hidden whole."""
    if value.startswith(("http://", "https://")):
        return mask_url(value)
    return hide(value)


def register() -> None:
    """Idempotent: registering again replaces the previous registration."""
    for model in AUDITED_MODELS:
        auditlog.register(
            model,
            exclude_fields=list(EXCLUDED_FIELDS[model]),
            mask_fields=list(MASKED_FIELDS[model]),
            mask_callable=MASK_CALLABLES[model],
        )
