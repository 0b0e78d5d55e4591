"""Validation of configuration objects, shared by the admin, the API and relay_apply.

The rules live with the stages that own them (schemes, conditions, transformers, the
SSRF guard); this module only gathers their messages per field. It sits above the
stages, so it imports them directly; the models' clean() reaches it through the hook
of apps/core/validators.py, registered by `register()` in apps.config's ready().
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.core import validators
from apps.core.jsonpath import problem
from apps.core.standard_webhooks import is_valid_secret
from apps.delivery.ssrf import validate_destination_url
from apps.ingestion.verification import SCHEMES
from apps.routing.conditions import validate_conditions
from apps.routing.matching import validate_event_types
from apps.routing.ordering import validate_ordering_key
from apps.transformers.registry import validate_transformer

Errors = validators.Errors
UNSIGNED_WARNING = "This source accepts unsigned requests from anyone who knows its URL."
MAX_URL_LENGTH = 2000


def source_warnings(source) -> list[str]:
    """What an admin should know about a valid source: shown by the API and relay_apply."""
    return [UNSIGNED_WARNING] if source.verification_scheme == "none" else []


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _jsonpath_error(path: str) -> str:
    # regexes in filters must be valid RE2
    message = problem(path)
    return f"invalid JSONPath {path!r}: {message}" if message else ""


def source_errors(source) -> Errors:
    errors: Errors = {}
    scheme = SCHEMES.get(source.verification_scheme)
    if not source.verification_scheme:
        known = ", ".join(sorted(SCHEMES))
        _add(errors, "verification_scheme", f"is required: choose one of {known}")
        return errors
    if scheme is None:
        known = ", ".join(sorted(SCHEMES))
        _add(errors, "verification_scheme", f"unknown scheme; expected one of {known}")
        return errors
    if scheme.needs_secret and not source.secret:
        _add(errors, "secret", f"the {scheme.name} scheme needs a secret")
    if not isinstance(source.verification_options, dict):
        _add(errors, "verification_options", "must be an object")
    else:
        for field, message in scheme.validate_options(source.verification_options).items():
            _add(errors, "verification_options", f"{field}: {message}")
    if source.event_type_path and (message := _jsonpath_error(source.event_type_path)):
        _add(errors, "event_type_path", message)
    return errors


def destination_errors(destination) -> Errors:
    errors: Errors = {}
    if len(destination.url or "") > MAX_URL_LENGTH:
        _add(errors, "url", f"must be at most {MAX_URL_LENGTH} characters")
    try:
        validate_destination_url(destination.url)
    except ValidationError as exc:
        for message in exc.messages:
            _add(errors, "url", message)
    if not 0.5 <= float(destination.timeout_seconds or 0) <= 60:
        _add(errors, "timeout_seconds", "must be between 0.5 and 60 seconds")
    for name in ("signing_secret", "previous_signing_secret"):
        value = getattr(destination, name)
        if value and not is_valid_secret(value):
            _add(errors, name, "must be a whsec_ secret: 'whsec_' followed by base64")
    if destination.auth_header and "\n" in destination.auth_header:
        _add(errors, "auth_header", "must be one line: 'Header-Name: value'")
    return errors


def route_errors(route) -> Errors:
    errors: Errors = {}
    for message in validate_event_types(route.event_types):
        _add(errors, "event_types", message)
    for message in validate_conditions(route.conditions):
        _add(errors, "conditions", message)
    for message in validate_ordering_key(route.ordering_key):
        _add(errors, "ordering_key", message)
    uses_code = route.transformation_id is not None
    if uses_code and route.transformer:
        _add(errors, "transformation", "a route uses a transformer or a transformation, not both")
    elif not uses_code and not route.transformer:
        _add(errors, "transformer", "choose a transformer or a transformation")
    elif uses_code and route.transformation is not None and route.transformation.is_deleted:
        _add(errors, "transformation", "this transformation was deleted")
    if route.transformer:
        for message in validate_transformer(route.transformer, route.transformer_options):
            field = (
                "transformer"
                if message.startswith("unknown transformer")
                else "transformer_options"
            )
            _add(errors, field, message)
    return errors


def transformation_errors(transformation) -> Errors:
    from apps.transformers.javascript import code_problem

    errors: Errors = {}
    if not (transformation.name or "").strip():
        _add(errors, "name", "is required")
    trouble = code_problem(transformation.code)
    if trouble:
        _add(errors, "code", trouble)
    return errors


def register() -> None:
    """Called once from apps.config's ready(): full_clean() of each model runs these."""
    validators.register("core.Source", source_errors)
    validators.register("core.Destination", destination_errors)
    validators.register("core.Route", route_errors)
    validators.register("core.Transformation", transformation_errors)
