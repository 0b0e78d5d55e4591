"""Plain builders for configuration objects, saved through the ORM."""

from __future__ import annotations

import hashlib
import hmac
import itertools

from apps.core.models import Destination, Route, Source

_seq = itertools.count(1)


def make_source(**fields) -> Source:
    n = next(_seq)
    values = {"name": f"source {n}", "slug": f"source-{n}", "verification_scheme": "none"}
    values.update(fields)
    return Source.objects.create(**values)


def make_destination(url: str, **fields) -> Destination:
    values = {"name": f"destination {next(_seq)}", "url": url, "timeout_seconds": 5}
    values.update(fields)
    return Destination.objects.create(**values)


def make_route(source: Source, destination: Destination, **fields) -> Route:
    values = {"name": f"route {next(_seq)}", "source": source, "destination": destination}
    values.update(fields)
    return Route.objects.create(**values)


def github_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
