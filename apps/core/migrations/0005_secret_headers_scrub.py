"""Scrub secrets from the headers of events stored before each scheme declared its secret
headers: the API key (the source's chosen header and the default X-API-Key) and any
Authorization, Proxy-Authorization or Cookie value become "[redacted]".

The rules are written out here rather than imported from the schemes, so the migration
keeps doing what it did when the schemes change. Batches of BATCH rows, each its own
transaction: a large events table is never one giant transaction or lock.
"""

from django.db import migrations, transaction

REDACTED = "[redacted]"
BATCH = 1000
ALWAYS = ("authorization", "proxy-authorization", "cookie")


def secret_headers(scheme: str, options) -> list[str]:
    names = list(ALWAYS)
    if scheme == "api_key":
        names.append("x-api-key")
        header = options.get("header") if isinstance(options, dict) else None
        if isinstance(header, str) and header:
            names.append(header.lower())
    return names


def scrubbed(headers, names: list[str]):
    if not isinstance(headers, dict):
        return None
    changed = {
        key: REDACTED
        for key, value in headers.items()
        if key.lower() in names and value != REDACTED
    }
    return {**headers, **changed} if changed else None


def scrub(apps, schema_editor):
    Source = apps.get_model("core", "Source")
    Event = apps.get_model("core", "WebhookDelivery")
    for source in Source.objects.only("id", "verification_scheme", "verification_options"):
        names = secret_headers(source.verification_scheme, source.verification_options)
        last_id = 0
        while True:
            rows = list(
                Event.objects.filter(source_id=source.id, id__gt=last_id)
                .order_by("id")
                .only("id", "headers")[:BATCH]
            )
            if not rows:
                break
            last_id = rows[-1].id
            dirty = []
            for row in rows:
                headers = scrubbed(row.headers, names)
                if headers is not None:
                    row.headers = headers
                    dirty.append(row)
            if dirty:
                with transaction.atomic(using=schema_editor.connection.alias):
                    Event.objects.bulk_update(dirty, ["headers"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0004_metric_tallies"),
    ]

    operations = [
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=True),
    ]
