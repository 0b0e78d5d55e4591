from django.db import migrations, models

from apps.core.index_operations import AddIndexOnline


class Migration(migrations.Migration):
    # The index builds CONCURRENTLY on PostgreSQL (apps/core/index_operations.py).
    atomic = False

    dependencies = [("core", "0022_outcome_event_received_at")]

    operations = [
        AddIndexOnline(
            model_name="outcome",
            index=models.Index(
                condition=models.Q(status="dead_lettered"),
                fields=["event_received_at"],
                name="outcome_dead_letters_by_time",
            ),
        ),
    ]
