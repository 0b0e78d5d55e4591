"""`manage.py rotate_encryption_key` re-encrypts every secret under the first key."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core.models import Destination, Source
from tests.factories import make_destination, make_source

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def token_of(stored: str) -> bytes:
    return stored.removeprefix("fernet:").encode()


@pytest.fixture
def stored(settings, db):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    source = make_source(verification_scheme="github", secret="source-secret-value")
    source.previous_secret = "older-source-secret"
    source.save()
    destination = make_destination(
        "https://93.184.216.34/", auth_header="X-Key: header-value", signing_secret="whsec_c2VjcmV0"
    )
    return source, destination


def test_it_reencrypts_every_secret_under_the_first_key(settings, stored):
    source, destination = stored
    before = raw("core_source", "secret", source.pk)
    assert Fernet(OLD_KEY).decrypt(token_of(before)) == b"source-secret-value"

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_encryption_key", stdout=StringIO())

    after = raw("core_source", "secret", source.pk)
    assert after != before
    assert Fernet(NEW_KEY).decrypt(token_of(after)) == b"source-secret-value"
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key can go now
    source = Source.objects.get(pk=source.pk)
    destination = Destination.objects.get(pk=destination.pk)
    assert source.secret == "source-secret-value"
    assert source.previous_secret == "older-source-secret"
    assert destination.auth_header == "X-Key: header-value"
    assert destination.signing_secret == "whsec_c2VjcmV0"


def test_it_leaves_empty_values_alone(settings, stored):
    source, _ = stored
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    call_command("rotate_encryption_key", stdout=StringIO())

    assert raw("core_destination", "previous_signing_secret", stored[1].pk) == ""


def test_it_changes_nothing_when_a_value_cannot_be_decrypted(settings, stored):
    source, destination = stored
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key was dropped too early
    before = raw("core_destination", "auth_header", destination.pk)

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_encryption_key", stdout=StringIO())

    assert raw("core_destination", "auth_header", destination.pk) == before
