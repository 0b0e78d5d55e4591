# Attempts carry their destination, indexed with their start: a destination's page
# reads its figures over a window from one range of that index.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0014_routing_verdicts'),
    ]

    operations = [
        migrations.AddField(
            model_name='attempt',
            name='destination',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.destination'),
        ),
        # Attempts recorded before the column: their outcome's destination.
        migrations.RunSQL(
            "UPDATE core_deliveryattempt SET destination_id = (SELECT o.destination_id "
            "FROM core_routeoutcome o WHERE o.id = core_deliveryattempt.outcome_id)",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='attempt',
            index=models.Index(fields=['destination', 'started_at'], name='core_delive_destina_1172f1_idx'),
        ),
    ]
