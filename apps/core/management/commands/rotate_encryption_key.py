"""Re-encrypt every stored secret under the first FIELD_ENCRYPTION_KEY.

Rotation: put a new key in front (FIELD_ENCRYPTION_KEY=new,old), deploy, run this
command, then drop the old key. Values are read and written as raw column text, so the
field's own decrypt/encrypt hooks never run twice on a value; the writes bypass model
signals, so the audit log is not flooded with no-op changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Model

from apps.core import crypto
from apps.core.fields import EncryptedTextField


@dataclass(frozen=True)
class Column:
    model: type[Model]
    field_name: str
    column: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field_name}"


def encrypted_columns() -> list[Column]:
    return [
        Column(model, field.name, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def reencrypt_column(column: Column) -> int:
    """Rewrite every non-empty value of one column; answers how many were rewritten.

    Each write is a compare-and-set on the ciphertext read: a secret rotated through the
    API meanwhile (a new ciphertext) is re-read and re-encrypted, never overwritten with
    the old value. On PostgreSQL the UPDATE waits for a rotation holding the row lock
    and then finds the row changed.
    """
    quote = connection.ops.quote_name
    table, value_column = quote(column.model._meta.db_table), quote(column.column)
    pk_column = quote(column.model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk_column}, {value_column} FROM {table} "  # noqa: S608 - quoted names
            f"WHERE {value_column} IS NOT NULL AND {value_column} <> ''"
        )
        rows = cursor.fetchall()
    count = 0
    for pk, stored in rows:
        for _ in range(MAX_TRIES):
            if not stored:
                break  # emptied meanwhile: nothing to re-encrypt
            if _compare_and_set(column, table, value_column, pk_column, pk, stored):
                count += 1
                break
            stored = _current(table, value_column, pk_column, pk)
        else:
            raise CommandError(f"{column.label} of row {pk} kept changing; run the command again.")
    return count


# A row rewritten by someone else between our read and our write is read again; one
# that changes this often is being rotated in a loop, and the operator should know.
MAX_TRIES = 5


def _compare_and_set(column: Column, table: str, value_column: str, pk_column: str, pk, stored):
    try:
        fresh = crypto.reencrypt(stored)
    except Exception as exc:  # noqa: BLE001 - name the row, whatever failed
        raise CommandError(
            f"{column.label} of row {pk}: cannot be decrypted with any configured "
            f"key ({type(exc).__name__}). Nothing was changed."
        ) from None
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {value_column} = %s "  # noqa: S608 - quoted names
            f"WHERE {pk_column} = %s AND {value_column} = %s",
            [fresh, pk, stored],
        )
        return cursor.rowcount == 1


def _current(table: str, value_column: str, pk_column: str, pk) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {value_column} FROM {table} WHERE {pk_column} = %s",  # noqa: S608
            [pk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEY."

    def handle(self, *args, **options) -> None:
        total = 0
        with transaction.atomic():
            for column in encrypted_columns():
                count = reencrypt_column(column)
                total += count
                self.stdout.write(f"{column.label}: {count} value(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} value(s) under the first key."))
