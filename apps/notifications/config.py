"""Channels in the config file (relay.yaml `notification_channels:`), applied and exported.

    notification_channels:
      - name: ops
        kind: webhook            # email | slack | webhook
        url: https://ops.example.com/relaycore
        secret: ${OPS_WHSEC}     # webhook only; generated when absent
        types: [destination.failing, destination.disabled]
        sources: [github]        # slugs; empty = all
        destinations: [billing]  # names; empty = all
        active: true
      - name: on-call
        kind: email
        emails: [oncall@example.com]

Channels are upserted by name, validated as the API validates them, and written only
when the whole file is valid (the caller's transaction). The export masks a webhook
secret and a Slack URL unless `with_secrets`; applying an exported file keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from apps.core.models import Destination, Source
from apps.core.secret_urls import mask_url
from apps.core.standard_webhooks import generate_secret
from apps.notifications.models import Channel

MASK = "********"
# The keys of a channel in the file; any other is refused by the file's reader.
KEYS = {"name", "kind", "url", "emails", "secret", "types", "sources", "destinations", "active"}


def apply_channels(
    items: Any, secret: Callable[[Any, str], str | None]
) -> tuple[list[str], list[str]]:
    """Upsert the channels; answers (changes, errors). `secret` resolves ${ENV} references
    and masks (None = keep the stored value), as for the other objects of the file."""
    changes: list[str] = []
    errors: list[str] = []
    if items is None:
        return changes, errors
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return changes, ["notification_channels must be a list of mappings"]
    for item in items:
        _apply_one(item, secret, changes, errors)
    return changes, errors


def _apply_one(item: dict, secret, changes: list[str], errors: list[str]) -> None:
    name = str(item.get("name", ""))
    label = f"notification channel {name!r}"
    # Unknown keys are reported by the caller with their place (apps.config.config_file);
    # the known ones are still checked, so that every problem is named at once.
    channel = Channel.objects.filter(name=name).first() or Channel(name=name)
    created = channel.pk is None
    sources, missing = _ids(Source, "slug", item.get("sources"))
    destinations, missing_d = _ids(Destination, "name", item.get("destinations"))
    errors += [f"{label}: unknown source {m!r}" for m in missing]
    errors += [f"{label}: unknown destination {m!r}" for m in missing_d]
    url = item.get("url")
    if url is not None:
        url = secret(url, label)
        if url is not None and channel.pk and url == mask_url(channel.url):
            url = None  # an exported file: keep the stored URL
    values = {
        "kind": item.get("kind"),
        "url": url,
        "emails": item.get("emails"),
        "secret": secret(item.get("secret"), label),
        "types": item.get("types"),
        "sources": sources,
        "destinations": destinations,
        "is_active": item.get("active"),
    }
    diffs = []
    for field, value in values.items():
        if value is not None and getattr(channel, field) != value:
            setattr(channel, field, value)
            diffs.append(
                f"{field} changed" if field in ("url", "secret") else f"{field}: {value!r}"
            )
    if channel.kind == "webhook" and not channel.secret:
        channel.secret = generate_secret()
    try:
        channel.full_clean(validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.extend(f"{label}: {field}: {message}" for message in messages)
        return
    if created or diffs:
        changes.append(f"create {label}" if created else f"update {label}: " + "; ".join(diffs))
        channel.save()


def _ids(model, key: str, values: Any) -> tuple[list[int] | None, list[str]]:
    if values is None:
        return None, []
    if not isinstance(values, list):
        return None, [repr(values)]
    found = dict(model.objects.filter(**{f"{key}__in": values}).values_list(key, "pk"))
    missing = [str(v) for v in values if v not in found]
    return sorted(found[v] for v in values if v in found), missing


def export_channels(with_secrets: bool = False) -> list[dict[str, Any]]:
    slugs = dict(Source.objects.values_list("pk", "slug"))
    names = dict(Destination.objects.values_list("pk", "name"))
    exported = []
    for channel in Channel.objects.order_by("name"):
        item: dict[str, Any] = {"name": channel.name, "kind": channel.kind}
        if channel.kind == "email":
            item["emails"] = list(channel.emails)
        else:
            item["url"] = channel.url if with_secrets else mask_url(channel.url)
        if channel.secret:
            item["secret"] = channel.secret if with_secrets else MASK
        item["types"] = list(channel.types)
        item["sources"] = [slugs[i] for i in channel.sources if i in slugs]
        item["destinations"] = [names[i] for i in channel.destinations if i in names]
        item["active"] = channel.is_active
        exported.append(item)
    return exported
