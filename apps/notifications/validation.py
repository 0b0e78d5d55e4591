"""What a channel must be, checked the same way by the API, the admin and the config file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apps.core.standard_webhooks import is_valid_secret
from apps.notifications.types import SUBSCRIBABLE

Errors = dict[str, list[str]]
MAX_URL_LENGTH = 2000
MAX_EMAILS = 50


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def channel_errors(channel) -> Errors:
    from apps.delivery.ssrf import validate_destination_url

    errors: Errors = {}
    if channel.kind in ("slack", "webhook"):
        if not channel.url:
            _add(errors, "url", f"a {channel.kind} channel needs a URL")
        elif len(channel.url) > MAX_URL_LENGTH:
            _add(errors, "url", f"must be at most {MAX_URL_LENGTH} characters")
        else:
            try:
                validate_destination_url(channel.url)
            except ValidationError as exc:
                errors.setdefault("url", []).extend(exc.messages)
    if channel.kind == "email":
        _email_errors(channel.emails, errors)
    if channel.secret and not is_valid_secret(channel.secret):
        _add(errors, "secret", "must be a whsec_ secret: 'whsec_' followed by base64")
    _list_errors(channel, errors)
    return errors


def _email_errors(emails, errors: Errors) -> None:
    if not isinstance(emails, list) or not emails:
        _add(errors, "emails", "an email channel needs a list of addresses")
        return
    if len(emails) > MAX_EMAILS:
        _add(errors, "emails", f"at most {MAX_EMAILS} addresses")
    for address in emails:
        try:
            validate_email(address)
        except ValidationError:
            _add(errors, "emails", f"{address!r} is not an e-mail address")


def _list_errors(channel, errors: Errors) -> None:
    from apps.core.models import Destination, Source

    types = channel.types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        _add(errors, "types", "must be a list of notification type names")
    else:
        for name in types:
            if name not in SUBSCRIBABLE:
                _add(errors, "types", f"unknown type {name!r} (one of {', '.join(SUBSCRIBABLE)})")
    for field, model in (("sources", Source), ("destinations", Destination)):
        ids = getattr(channel, field)
        if not isinstance(ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63 for i in ids
        ):
            # Ids are positive 64-bit integers: a larger one is no id (and would overflow
            # the database's integer, a 500 instead of this message).
            _add(errors, field, "must be a list of ids")
            continue
        known = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for missing in sorted(set(ids) - known):
            _add(errors, field, f"no {model._meta.verbose_name} with id {missing}")


def raise_for(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)
