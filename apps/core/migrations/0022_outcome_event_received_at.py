from django.db import migrations, models

# The outcomes that can be (or become) dead letters get their event's receipt time; a
# delivered or filtered outcome only becomes one again through a replay, and an outcome
# left without it is still found by the dead-letter filter, the slower way.
COPY_RECEIVED_AT = """
UPDATE core_routeoutcome
SET event_received_at = (
    SELECT received_at FROM core_webhookdelivery WHERE id = core_routeoutcome.event_id
)
WHERE status IN ('dead_lettered', 'pending', 'retrying', 'delivering', 'held', 'waiting')
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0021_autovacuum_of_the_growing_tables")]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="event_received_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(COPY_RECEIVED_AT, migrations.RunSQL.noop),
    ]
