"""Transformers by name: the value a route stores in ``Route.transformer``.

Adding one is a ``Transformer`` subclass and one line in ``TRANSFORMER_CLASSES``.

``transform`` runs under TRANSFORM_TIME_LIMIT_SECONDS of CPU time (apps.core.deadline):
a transformer that loops over a payload calls ``deadline.check()`` as it goes, and one
that overran fails with a TransformError (permanent: the same event would overrun again).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from apps.core import deadline
from apps.transformers.base import (
    Outbound,
    Transformer,
    TransformError,
    TransformInput,
    UnknownTransformer,
)
from apps.transformers.calendar import CalendarToDatabase
from apps.transformers.discord import GitHubToDiscord
from apps.transformers.forms import FormToEmail
from apps.transformers.passthrough import Passthrough
from apps.transformers.slack import GitHubToSlack

TRANSFORMER_CLASSES: tuple[type[Transformer], ...] = (
    Passthrough,
    GitHubToSlack,
    GitHubToDiscord,
    CalendarToDatabase,
    FormToEmail,
)

TRANSFORMERS: dict[str, Transformer] = {cls.name: cls() for cls in TRANSFORMER_CLASSES}


def get_transformer(name: str) -> Transformer:
    try:
        return TRANSFORMERS[name]
    except KeyError:
        known = ", ".join(TRANSFORMERS)
        raise UnknownTransformer(f"unknown transformer {name!r}; expected one of {known}") from None


def transformer_choices() -> list[tuple[str, str]]:
    """(name, description) pairs, for form choices and the API."""
    return [(name, transformer.description) for name, transformer in TRANSFORMERS.items()]


def transform(name: str, data: TransformInput) -> Outbound:
    transformer = get_transformer(name)
    try:
        with deadline.bounded(settings.TRANSFORM_TIME_LIMIT_SECONDS, f"transformer {name!r}"):
            result = transformer.transform(data)
            deadline.check()
    except deadline.DeadlineExceeded as exc:
        raise TransformError(str(exc)) from None
    except KeyError as exc:
        # A key the payload lacks: the event's fault or the transformer's, never an
        # unknown name; as permanent as before, and now saying which key it was.
        raise TransformError(f"KeyError: {exc}") from exc
    return result


def validate_transformer(name: Any, options: Any) -> list[str]:
    """Messages for a route's transformer name and options; [] when usable."""
    if not isinstance(name, str) or name not in TRANSFORMERS:
        return [f"unknown transformer {name!r}; expected one of {', '.join(TRANSFORMERS)}"]
    return TRANSFORMERS[name].validate_options(options)
