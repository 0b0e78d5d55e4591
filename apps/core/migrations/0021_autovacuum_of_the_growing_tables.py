"""Autovacuum of the three tables that grow with traffic, sooner than PostgreSQL's default.

By default a table is vacuumed after inserts of a fifth of its size (and updates of a
fifth): at 5 million events, only after a million more. Until then the newest pages are
not marked all-visible, and the dashboard's counts over the last day, which read only
an index, fetch every recent row from the table as well (the summary's day count went
from 6 to 26 ms with 30,000 unvacuumed events on top of 2 million; docs/performance.md,
"Growth"). At a hundredth of the table (plus autovacuum's base 1,000 rows), vacuum keeps
up with the newest rows; an insert-only vacuum reads only the pages changed since the
last one. The outcomes' status changes leave dead rows: those too at a fiftieth.

ALTER TABLE ... SET takes a lock that lets reads and writes go on. Nothing on SQLite.
"""

from django.db import migrations

TABLES = ("core_webhookdelivery", "core_routeoutcome", "core_deliveryattempt")
SETTINGS = {
    "autovacuum_vacuum_insert_scale_factor": "0.01",
    "autovacuum_vacuum_scale_factor": "0.02",
    "autovacuum_analyze_scale_factor": "0.02",
}


def tune(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    options = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET ({options})")


def untune(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("core", "0020_outcome_dead_letters")]

    operations = [migrations.RunPython(tune, untune)]
