"""Change history (django-auditlog) of the configuration: sources, destinations, routes,
transformations (whose code is no secret: its diff is the code itself).

Each create, update and delete is logged with its actor and a field diff. A secret's
value never enters a diff: the current secret fields are masked (the diff records that
the secret changed, as "[hidden]", and nothing of its value) and the previous-secret
fields of a rotation are left out; a destination URL that carries a credential is
recorded masked as the API shows it to non-admins (apps.core.secret_urls). Fields the
pipeline itself rewrites all day (destination health, updated_at) are left out too: the
log is about what people changed. Only a model's own columns are tracked: without that
list auditlog writes a create's reverse relations (`routes`, `events`, as
"core.Route.None") and the `id` and `created_at` the entry already carries.

Changes made outside a request (`manage.py relay_apply`, `create_api_token`) name their
actor with
`attributed_to`: a RelayCore user of that name, else the name itself (an OS user),
kept in the entry's additional_data.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterable, Iterator

from auditlog.context import set_extra_data
from auditlog.registry import auditlog
from django.contrib.auth import get_user_model
from django.db.models import Model

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
# The entry itself says which object (object_id) and when (timestamp).
NEVER_TRACKED = ("id", "created_at")


def tracked_fields(model: type[Model], excluded: Iterable[str]) -> list[str]:
    """The columns of `model` a diff shows: its concrete fields but the excluded ones."""
    skip = {*NEVER_TRACKED, *excluded}
    return [field.name for field in model._meta.concrete_fields if field.name not in skip]


def shown_changes(model: type[Model] | None, changes: dict, *, created: bool) -> dict[str, list]:
    """An entry's diff as the log shows it: its tracked fields (filtering on reading too
    keeps entries written before the field list clean) and, for a create, those given a
    value. An update keeps every pair: a changed secret is ["[hidden]", "[hidden]"]."""
    tracked = None
    if model is not None and auditlog.contains(model):
        tracked = set(auditlog.get_model_fields(model)["include_fields"]) or None
    return {
        name: list(pair)
        for name, pair in changes.items()
        if (tracked is None or name in tracked) and not (created and _left_empty(pair))
    }


def _left_empty(pair) -> bool:
    # A create lists fields left empty as "None" -> "None" (or "" -> "" when masked).
    return isinstance(pair, list | tuple) and len(pair) == 2 and pair[0] == pair[1]


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
            include_fields=tracked_fields(model, EXCLUDED_FIELDS[model]),
            exclude_fields=list(EXCLUDED_FIELDS[model]),
            mask_fields=list(MASKED_FIELDS[model]),
            mask_callable=MASK_CALLABLES[model],
        )


def os_user(fallback: str) -> str:
    """The operating-system user running a command: who its changes are by, unless it is
    told (--actor); `fallback` where this uid has no name (some containers)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return fallback


@contextlib.contextmanager
def attributed_to(name: str, via: str) -> Iterator[None]:
    """Audit entries written inside are by `name`: its user if there is one, else the
    bare name, with the command (`via`) that made the change."""
    user = get_user_model().objects.filter(username=name).first()
    context = {"additional_data": {"actor": name, "via": via}}
    if user is not None:
        context["actor"] = user
    with set_extra_data(context):
        yield


def actor_name(entry) -> str | None:
    """Who made an entry's change: a user's name, a command's actor, or None (the system)."""
    if entry.actor_id:
        return entry.actor.get_username()
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    return data.get("actor") or None
