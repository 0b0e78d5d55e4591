"""Event -> Outcome -> Attempt: the models take the words the code uses. The tables keep
their first names (db_table), so nothing moves in the database; only Django's state and
the content types (admin log, audit log) follow the new names."""

from django.db import migrations

RENAMES = (
    ("WebhookDelivery", "Event", "core_webhookdelivery"),
    ("RouteOutcome", "Outcome", "core_routeoutcome"),
    ("DeliveryAttempt", "Attempt", "core_deliveryattempt"),
)


def rename_content_types(apps, schema_editor, forwards=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new, _table in RENAMES:
        before, after = (old, new) if forwards else (new, old)
        ContentType.objects.filter(app_label="core", model=before.lower()).update(
            model=after.lower()
        )


def rename_back(apps, schema_editor):
    rename_content_types(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_event_routing_failures"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                op
                for old, new, table in RENAMES
                for op in (
                    migrations.AlterModelTable(name=old.lower(), table=table),
                    migrations.RenameModel(old_name=old, new_name=new),
                )
            ]
            + [
                migrations.AlterModelOptions(
                    name="event", options={"ordering": ["-received_at", "-id"]}
                )
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, rename_back),
    ]
