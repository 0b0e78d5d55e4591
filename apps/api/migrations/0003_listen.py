"""An index for `relaycore listen`: a source's events after an id, in id order.

The poll (apps/api/listening.py) reads `source_id = ? AND id > ? ORDER BY id`; without
this index it would walk every event since the cursor, of every source. It lives here,
with the listener, as plain SQL that both PostgreSQL and SQLite understand.
"""

from django.db import migrations

INDEX = "listen_event_source_id"


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_api_tokens"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON core_webhookdelivery (source_id, id)",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
