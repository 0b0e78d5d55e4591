"""A secret rotated through the API while rotate_encryption_key runs is kept: the
command never writes back the old value it read. Two real connections, PostgreSQL."""

from __future__ import annotations

import threading
import time
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection, transaction

from apps.api.rotation import rotate_source_secret
from apps.core import crypto
from apps.core.models import Source
from tests.factories import make_source

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite has one writer)"
)


def in_thread(target) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_rotation_committed_while_the_key_rotation_runs_is_not_overwritten(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    source = make_source(verification_scheme="github", secret="the-old-secret-0123456789")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotated, release = threading.Event(), threading.Event()

    def rotate_and_hold() -> None:
        # The API's rotation, its transaction left open: the row stays locked.
        with transaction.atomic():
            rotate_source_secret(Source.objects.get(pk=source.pk), "the-new-secret-0123456789")
            rotated.set()
            release.wait(20)

    api = in_thread(rotate_and_hold)
    assert rotated.wait(20)
    command = in_thread(lambda: call_command("rotate_encryption_key", stdout=StringIO()))
    time.sleep(1.0)  # the command has read the old ciphertext and waits on the row lock
    release.set()
    api.join(20)
    command.join(20)

    fresh = Source.objects.get(pk=source.pk)
    assert fresh.secret == "the-new-secret-0123456789"
    assert fresh.previous_secret == "the-old-secret-0123456789"
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM core_source WHERE id = %s", [source.pk])
        [stored] = cursor.fetchone()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # under the first key now
    crypto._decrypt.cache_clear()
    assert crypto.decrypt(stored) == "the-new-secret-0123456789"


@pytest.mark.django_db(transaction=True)
def test_two_rotations_at_once_both_count(settings):
    source = make_source(verification_scheme="github", secret="secret-zero-0123456789")
    first_in, release = threading.Event(), threading.Event()

    def first() -> None:
        with transaction.atomic():
            rotate_source_secret(Source.objects.get(pk=source.pk), "secret-one-0123456789")
            first_in.set()
            release.wait(20)

    one = in_thread(first)
    assert first_in.wait(20)
    # A second rotation from a stale copy of the row: it must wait, then build on "one".
    two = in_thread(lambda: rotate_source_secret(source, "secret-two-0123456789"))
    time.sleep(0.5)
    release.set()
    one.join(20)
    two.join(20)

    fresh = Source.objects.get(pk=source.pk)
    assert (fresh.secret, fresh.previous_secret) == (
        "secret-two-0123456789",
        "secret-one-0123456789",
    )
