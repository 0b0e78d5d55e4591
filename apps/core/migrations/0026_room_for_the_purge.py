"""Room on each page of the events and the attempts for the rewrite that retention makes.

Retention empties an old event's content and its attempts' recorded requests and answers
with an UPDATE. With the pages packed full (fillfactor 100) the new, smaller row found no
room beside the old one, so it went to another page, with an entry in each of the
table's indexes: 6.9 KB of WAL per purged event, written while ingest's commits wait for
that same WAL to reach the disk. With 5 % of each events page and 10 % of each attempts
page left free as rows are inserted, the rewrite stays on its page and touches no index
(a HOT update): 4.3 KB per purged event, purges 15-20 % faster, for 6 % more pages of
events and 1 % more of attempts (docs/performance.md, "Retention beside ingest").

Only pages written from now on keep the room; ALTER TABLE ... SET takes a lock that lets
reads and writes go on. Nothing on SQLite.
"""

from django.db import migrations

FILLFACTOR = {"core_webhookdelivery": 95, "core_deliveryattempt": 90}


def leave_room(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, percent in FILLFACTOR.items():
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


def pack_full(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FILLFACTOR:
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("core", "0025_metric_tally_candidate_xmax")]

    operations = [migrations.RunPython(leave_room, pack_full)]
