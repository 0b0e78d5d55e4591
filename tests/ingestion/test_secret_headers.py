"""Headers that carry a source's secret (an API key, Basic credentials) are redacted
before an event is stored, for the scheme's default header as well as a chosen one."""

from __future__ import annotations

import base64
import logging

import pytest

from apps.core.models import Event
from tests.factories import make_source
from tests.ingestion.test_receive import post

pytestmark = pytest.mark.django_db
KEY = "api-key-value-0123456789abcdef"


def stored_headers() -> dict:
    return Event.objects.get().headers


def test_the_default_api_key_header_is_not_stored(client):
    make_source(slug="k", verification_scheme="api_key", secret=KEY)

    assert post(client, "k", b"{}", **{"X-API-Key": KEY}).status_code == 200

    assert stored_headers()["x-api-key"] == "[redacted]"


def test_a_chosen_api_key_header_and_the_default_one_are_not_stored(client):
    options = {"header": "X-Key"}
    make_source(slug="k", verification_scheme="api_key", secret=KEY, verification_options=options)

    post(client, "k", b"{}", **{"X-Key": KEY, "X-API-Key": "an-old-key-0123456789"})

    headers = stored_headers()
    assert headers["x-key"] == "[redacted]"
    assert headers["x-api-key"] == "[redacted]"


def test_a_refused_api_key_is_not_stored_either(client):
    make_source(slug="k", verification_scheme="api_key", secret=KEY)

    assert post(client, "k", b"{}", **{"X-API-Key": "wrong-" + KEY}).status_code == 401

    assert stored_headers()["x-api-key"] == "[redacted]"


def test_basic_auth_credentials_are_not_stored_or_logged(client, caplog):
    options = {"username": "u"}
    make_source(
        slug="b", verification_scheme="basic_auth", secret=KEY, verification_options=options
    )
    credentials = base64.b64encode(f"u:{KEY}".encode()).decode()
    caplog.set_level(logging.DEBUG)

    post(client, "b", b"{}", Authorization=f"Basic {credentials}")
    post(client, "b", b"{}", Authorization="Basic " + base64.b64encode(b"u:wrong").decode())

    assert {row.headers["authorization"] for row in Event.objects.all()} == {"[redacted]"}
    assert credentials not in caplog.text and KEY not in caplog.text


def test_other_schemes_keep_their_headers(client):
    make_source(slug="n", verification_scheme="none")

    post(client, "n", b"{}", **{"X-API-Key": "not-a-secret-here"})

    assert stored_headers()["x-api-key"] == "not-a-secret-here"
