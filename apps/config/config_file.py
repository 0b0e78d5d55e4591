"""Configuration as code: sources, destinations, transformations and routes in one YAML
or JSON file.

`apply` upserts sources by slug, destinations, transformations and routes by name (a
route names its JavaScript transformation with `transformation: <name>`), validating every
object exactly as the admin does (model full_clean), and writes nothing unless all of
it is valid. Secrets may be written as ${ENV_VAR} so the file can be committed;
`export` masks them (credential-bearing URLs too, unless --with-secrets), and applying
an exported file keeps the stored secrets. Every source names its verification scheme;
choosing `none` is applied with a warning.

Each kind of object declares its keys below (`*_FIELDS`: a file key and the model field it
sets; `*_KEYS`: those and the keys read by hand). A key outside them is refused with its
place (`routes[2].orderng_key`), so a misspelt or unsupported field is never ignored: a new
field is accepted once it is declared. Every problem of the file is reported, not only an
object's first: a route naming an invalid destination still has its own fields checked.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.config.validation import source_warnings
from apps.core.models import Destination, Route, Source, Transformation
from apps.core.secret_urls import mask_url
from apps.notifications.config import KEYS as CHANNEL_KEYS
from apps.notifications.config import apply_channels, export_channels

MASK = "********"
_ENV_REF = re.compile(r"^\$\{([A-Z_][A-Z0-9_]*)\}$")

SOURCE_FIELDS = {
    "rate_limit_per_minute": "rate_limit_per_minute",
    "event_type_header": "event_type_header",
    "event_type_path": "event_type_path",
    "idempotency_header": "idempotency_header",
    "dedupe_by_body": "dedupe_by_body",
    "active": "is_active",
    # Saved through the model: pausing holds, resuming releases (apps.delivery).
    "paused": "paused",
}
SOURCE_KEYS = {*SOURCE_FIELDS, "slug", "name", "verification"}
DESTINATION_FIELDS = {
    "timeout_seconds": "timeout_seconds",
    "active": "is_active",
    "paused": "paused",
}
DESTINATION_KEYS = {*DESTINATION_FIELDS, "name", "url", "auth_header", "signing_secret"}
TRANSFORMATION_FIELDS = {"description": "description", "code": "code"}
TRANSFORMATION_KEYS = {*TRANSFORMATION_FIELDS, "name"}
ROUTE_FIELDS = {
    "event_types": "event_types",
    "conditions": "conditions",
    "transformer_options": "transformer_options",
    "priority": "priority",
    "rate_limit_per_minute": "rate_limit_per_minute",
    "ordering_key": "ordering_key",
    "ordering_dead_letter_blocks": "ordering_dead_letter_blocks",
    "active": "is_active",
    "paused": "paused",
}
ROUTE_KEYS = {*ROUTE_FIELDS, "name", "source", "destination", "transformer", "transformation"}


class ConfigError(Exception):
    """The file cannot be applied; the message lists every problem found."""


@dataclass
class Plan:
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Sources (by slug) and destinations (by name) of this file, valid or not: a route
    # naming an invalid one is told so instead of "unknown".
    declared: dict[tuple[type, str], Any] = field(default_factory=dict)


def load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"{path} is not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}"
        ) from None
    if not isinstance(doc, dict):
        raise ConfigError(
            "the file must hold a mapping with sources, destinations, transformations, routes"
        )
    unknown = set(doc) - {
        "sources",
        "destinations",
        "transformations",
        "routes",
        "notification_channels",
    }
    if unknown:
        raise ConfigError(f"unknown top-level keys: {', '.join(sorted(unknown))}")
    return doc


def _secret(value: Any, where: str, plan: Plan) -> str | None:
    """None means "keep what is stored" (absent or masked)."""
    if value is None or value == MASK:
        return None
    text = str(value)
    match = _ENV_REF.match(text)
    if match:
        if match.group(1) not in os.environ:
            plan.errors.append(f"{where}: environment variable {match.group(1)} is not set")
            return None
        return os.environ[match.group(1)]
    return text


def _items(doc: dict, key: str, known: set[str], plan: Plan) -> list[dict]:
    """The objects under `key`; each key that `known` does not declare is an error."""
    items = doc.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        plan.errors.append(f"{key} must be a list of mappings")
        return []
    _check_keys(items, key, known, plan)
    return items


def _check_keys(items: list[dict], key: str, known: set[str], plan: Plan) -> None:
    for index, item in enumerate(items):
        for name in sorted(set(item) - known, key=str):
            guess = get_close_matches(str(name), known, n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            plan.errors.append(
                f"{key}[{index}].{name}: unknown key ({hint}known: {', '.join(sorted(known))})"
            )


def _plain(item: dict, fields: dict[str, str]) -> dict[str, Any]:
    return {model_field: item.get(key) for key, model_field in fields.items()}


def _referenced(model: type, key: str, value: Any, label: str, plan: Plan):
    """The source or destination a route names, or None with the reason recorded."""
    kind = model.__name__.lower()
    found = plan.declared.get((model, str(value)))
    if found is not None and found.pk is None:
        plan.errors.append(f"{label}: {kind} {value!r} is invalid (see its errors)")
        return None
    found = found or model.objects.filter(**{key: value}).first()
    if found is None:
        plan.errors.append(f"{label}: unknown {kind} {value!r}")
    return found


def _assign(obj, values: dict[str, Any], label: str, plan: Plan, *, unset: tuple = ()) -> None:
    """Set fields, then validate; record what changed in words. `unset`: fields whose
    problem is already recorded; the others are still checked, nothing is saved."""
    created = obj.pk is None
    diffs = []
    for name, value in values.items():
        if value is None:
            continue
        old = getattr(obj, name, None)  # an unset foreign key raises AttributeError
        if old != value:
            setattr(obj, name, value)
            if name in {"secret", "auth_header", "signing_secret", "code"}:
                diffs.append(f"{name} changed")
            elif name == "url":
                diffs.append(f"url: {mask_url(old or '')!r} -> {mask_url(value)!r}")
            else:
                diffs.append(f"{name}: {old!r} -> {value!r}")
    try:
        obj.full_clean(exclude=list(unset), validate_unique=False)
    except ValidationError as exc:
        for fname, messages in exc.message_dict.items():
            plan.errors.extend(f"{label}: {fname}: {message}" for message in messages)
        return
    if unset:
        return
    if created:
        plan.changes.append(f"create {label}")
    elif diffs:
        plan.changes.append(f"update {label}: " + "; ".join(diffs))
    else:
        return
    obj.save()


def _apply_sources(doc: dict, plan: Plan) -> None:
    for item in _items(doc, "sources", SOURCE_KEYS, plan):
        slug = str(item.get("slug", ""))
        label = f"source {slug!r}"
        source = Source.objects.filter(slug=slug).first() or Source(slug=slug)
        plan.declared[(Source, slug)] = source
        verification = item.get("verification") or {}
        if not isinstance(verification, dict) or not verification.get("scheme"):
            # Never a silent "none": accepting unsigned requests must be written down.
            plan.errors.append(f"{label}: verification.scheme is required (none, github, ...)")
            continue
        options = dict(source.verification_options or {})
        options.update({k: v for k, v in verification.items() if k not in {"scheme", "secret"}})
        values = {
            "name": item.get("name", slug),
            "verification_scheme": verification["scheme"],
            "secret": _secret(verification.get("secret"), label, plan),
            "verification_options": options,
            **_plain(item, SOURCE_FIELDS),
        }
        _assign(source, values, label, plan)
        plan.warnings.extend(f"{label}: {w}" for w in source_warnings(source))


def _apply_destinations(doc: dict, plan: Plan) -> None:
    for item in _items(doc, "destinations", DESTINATION_KEYS, plan):
        name = str(item.get("name", ""))
        label = f"destination {name!r}"
        destination = Destination.objects.filter(name=name).first() or Destination(name=name)
        url = item.get("url")
        if destination.pk and url and url != destination.url and url == mask_url(destination.url):
            url = None  # an exported file: the masked URL means "keep the stored one"
        values = {
            "url": url,
            "auth_header": _secret(item.get("auth_header"), label, plan),
            "signing_secret": _secret(item.get("signing_secret"), label, plan),
            **_plain(item, DESTINATION_FIELDS),
        }
        plan.declared[(Destination, name)] = destination
        _assign(destination, values, label, plan)


def _apply_transformations(doc: dict, plan: Plan) -> None:
    for item in _items(doc, "transformations", TRANSFORMATION_KEYS, plan):
        name = str(item.get("name", ""))
        label = f"transformation {name!r}"
        found = Transformation.objects.filter(name=name).first()
        transformation = found or Transformation(name=name)
        _assign(transformation, _plain(item, TRANSFORMATION_FIELDS), label, plan)


def _route_shaping(item: dict, route: Route, label: str, plan: Plan) -> dict[str, Any]:
    """transformer/transformation values: a named transformation empties the transformer,
    a transformer alone drops the route's transformation."""
    name = item.get("transformation")
    if not name:
        if item.get("transformer"):
            route.transformation = None
        return {"transformer": item.get("transformer")}
    transformation = Transformation.objects.filter(name=name).first()
    if transformation is None:
        plan.errors.append(f"{label}: unknown transformation {name!r}")
        return {}
    return {"transformer": item.get("transformer") or "", "transformation": transformation}


def _apply_routes(doc: dict, plan: Plan) -> None:
    for item in _items(doc, "routes", ROUTE_KEYS, plan):
        name = str(item.get("name", ""))
        label = f"route {name!r}"
        source = _referenced(Source, "slug", item.get("source"), label, plan)
        destination = _referenced(Destination, "name", item.get("destination"), label, plan)
        route = Route.objects.filter(name=name).first() or Route(name=name)
        values = {
            "source": source,
            "destination": destination,
            **_route_shaping(item, route, label, plan),
            **_plain(item, ROUTE_FIELDS),
        }
        unset = tuple(f for f, obj in (("source", source), ("destination", destination)) if not obj)
        _assign(route, values, label, plan, unset=unset)


def _apply_channels(doc: dict, plan: Plan) -> None:
    # A later stage's objects: imported here, so core imports no stage at load time.
    items = doc.get("notification_channels")
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        _check_keys(items, "notification_channels", CHANNEL_KEYS, plan)
    changes, errors = apply_channels(items, lambda value, where: _secret(value, where, plan))
    plan.changes += changes
    plan.errors += errors


class _Rollback(Exception):
    pass


def apply(doc: dict[str, Any], *, dry_run: bool = False) -> list[str]:
    """Apply the whole file or nothing. Answers the changes, raises ConfigError."""
    return apply_plan(doc, dry_run=dry_run).changes


def apply_plan(doc: dict[str, Any], *, dry_run: bool = False) -> Plan:
    """As apply(), answering the whole plan: its changes and its warnings."""
    plan = Plan()
    try:
        with transaction.atomic():
            _apply_sources(doc, plan)
            _apply_destinations(doc, plan)
            _apply_transformations(doc, plan)
            _apply_routes(doc, plan)
            _apply_channels(doc, plan)
            if plan.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if plan.errors:
        raise ConfigError("\n".join(plan.errors))
    return plan


def export(*, with_secrets: bool = False) -> dict[str, Any]:
    """Secrets masked (and credential-bearing URLs masked as in the API), unless
    `with_secrets`: then the file holds every secret in clear, for a backup."""

    def mask(value: str) -> str | None:
        if with_secrets:
            return value or None
        return MASK if value else None

    sources = [
        {
            "slug": s.slug,
            "name": s.name,
            "verification": {
                "scheme": s.verification_scheme,
                "secret": mask(s.secret),
                **s.verification_options,
            },
            "rate_limit_per_minute": s.rate_limit_per_minute,
            "event_type_header": s.event_type_header,
            "event_type_path": s.event_type_path,
            "idempotency_header": s.idempotency_header,
            "dedupe_by_body": s.dedupe_by_body,
            "active": s.is_active,
            "paused": s.paused,
        }
        for s in Source.objects.order_by("slug")
    ]
    destinations = [
        {
            "name": d.name,
            "url": d.url if with_secrets else mask_url(d.url),
            "auth_header": mask(d.auth_header),
            "signing_secret": mask(d.signing_secret),
            "timeout_seconds": d.timeout_seconds,
            "active": d.is_active,
            "paused": d.paused,
        }
        for d in Destination.objects.order_by("name")
    ]
    routes = [
        {
            "name": r.name,
            "source": r.source.slug,
            "destination": r.destination.name,
            "event_types": r.event_types,
            "conditions": r.conditions,
            "transformer": r.transformer,
            "transformation": r.transformation.name if r.transformation_id else None,
            "transformer_options": r.transformer_options,
            "priority": r.priority,
            "rate_limit_per_minute": r.rate_limit_per_minute,
            "ordering_key": r.ordering_key,
            "ordering_dead_letter_blocks": r.ordering_dead_letter_blocks,
            "active": r.is_active,
            "paused": r.paused,
        }
        for r in Route.objects.select_related("source", "destination", "transformation").order_by(
            "name"
        )
    ]
    transformations = [
        {"name": t.name, "description": t.description, "code": t.code}
        for t in Transformation.objects.order_by("name")
    ]
    return {
        "sources": sources,
        "destinations": destinations,
        "transformations": transformations,
        "routes": routes,
        "notification_channels": export_channels(with_secrets),
    }
