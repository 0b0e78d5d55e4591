"""The data migrations of the trust work, run on rows stored the old way."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from apps.core.models import Destination, Event
from tests.api.factories import make_event
from tests.factories import make_destination, make_source

pytestmark = pytest.mark.django_db
scrub_migration = importlib.import_module("apps.core.migrations.0005_secret_headers_scrub")
encrypt_migration = importlib.import_module("apps.core.migrations.0007_encrypt_destination_urls")
EDITOR = SimpleNamespace(connection=connection)


def apps_at(migration: str):
    """The models as that migration saw them (the same tables, their names of the time)."""
    return MigrationLoader(connection).project_state(("core", migration)).apps


def stored_with(source, headers: dict) -> None:
    """An event as ingest stored it before the schemes declared their secret headers."""
    event = make_event(source)
    Event.objects.filter(pk=event.pk).update(headers=headers)


def test_api_keys_stored_before_are_scrubbed_in_batches(monkeypatch):
    monkeypatch.setattr(scrub_migration, "BATCH", 2)
    keyed = make_source(verification_scheme="api_key", secret="k" * 20)
    custom = make_source(
        verification_scheme="api_key", secret="k" * 20, verification_options={"header": "X-Key"}
    )
    plain = make_source(verification_scheme="none")
    for _ in range(3):
        stored_with(keyed, {"x-api-key": "old-key-0123456789", "x-other": "kept"})
    stored_with(custom, {"x-key": "custom-key-0123456789"})
    stored_with(plain, {"x-api-key": "just-a-header", "cookie": "session=abc"})

    scrub_migration.scrub(apps_at("0005_secret_headers_scrub"), EDITOR)

    rows = [(e.source_id, e.headers) for e in Event.objects.order_by("id")]
    assert rows == [
        *[(keyed.pk, {"x-api-key": "[redacted]", "x-other": "kept"})] * 3,
        (custom.pk, {"x-key": "[redacted]"}),
        (plain.pk, {"x-api-key": "just-a-header", "cookie": "[redacted]"}),
    ]


def test_destination_urls_stored_in_clear_are_encrypted():
    destination = make_destination("https://hooks.slack.com/services/T0/B0/clear-secret-0123")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_destination SET url = %s WHERE id = %s",
            ["https://hooks.slack.com/services/T0/B0/clear-secret-0123", destination.pk],
        )

    then = apps_at("0007_encrypt_destination_urls")
    encrypt_migration.encrypt(then, EDITOR)
    encrypt_migration.encrypt(then, EDITOR)  # a second run changes nothing

    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM core_destination WHERE id = %s", [destination.pk])
        [stored] = cursor.fetchone()
    assert stored.startswith("fernet:") and "clear-secret" not in stored
    assert Destination.objects.get().url.endswith("/clear-secret-0123")
