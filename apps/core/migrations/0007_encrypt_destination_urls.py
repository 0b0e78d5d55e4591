"""Encrypt the destination URLs stored in clear before `url` became an encrypted field
(Slack, Discord and many other webhook URLs carry their token). Raw column text is read
and written, so the field's own hooks never run on a value twice; a value already
encrypted is left alone, so the migration can run again safely."""

import json

from django.db import migrations

from apps.core import crypto


def _rewrite(schema_editor, change) -> None:
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("core_destination")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {quote('url')} FROM {table}")  # noqa: S608 - quoted names
        rows = cursor.fetchall()
    for pk, stored in rows:
        fresh = change(stored or "")
        if fresh != stored:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote('url')} = %s WHERE id = %s",  # noqa: S608
                    [fresh, pk],
                )


def encrypt(apps, schema_editor):
    _rewrite(
        schema_editor,
        lambda value: value if not value or value.startswith(crypto.PREFIX) else crypto.encrypt(value),
    )


def mask_audit_urls(apps, schema_editor):
    """Diffs logged before URLs were masked in the audit log: mask them now."""
    from apps.core.secret_urls import mask_url

    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="core", model="destination").first()
    if kind is None:
        return
    for entry in LogEntry.objects.filter(content_type=kind).iterator():
        changes = entry.changes
        if isinstance(changes, str):
            changes = json.loads(changes or "{}")
        pair = (changes or {}).get("url")
        if not isinstance(pair, list):
            continue
        masked = [mask_url(v) if isinstance(v, str) else v for v in pair]
        if masked != pair:
            changes["url"] = masked
            entry.changes = changes if not isinstance(entry.changes, str) else json.dumps(changes)
            entry.save(update_fields=["changes"])


def decrypt(apps, schema_editor):
    _rewrite(
        schema_editor,
        lambda value: crypto.decrypt(value) if value.startswith(crypto.PREFIX) else value,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_trust_fields"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
        migrations.RunPython(mask_audit_urls, migrations.RunPython.noop, elidable=True),
    ]
