"""API bodies over API_MAX_BODY_BYTES answer 413 before they are read or parsed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.handlers.wsgi import WSGIHandler

from apps.core.models import Source
from tests.api.conftest import assert_error

LIMIT = 2000


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.API_MAX_BODY_BYTES = LIMIT
    settings.WEBHOOK_MAX_BODY_BYTES = 10 * LIMIT  # a wider webhook limit must not widen it


def source_body(size: int) -> bytes:
    body = json.dumps({"name": "big", "slug": "big", "verification_scheme": "none", "x": ""})
    return body.replace('"x": ""', '"x": "' + "a" * max(0, size - len(body)) + '"').encode()


def test_a_login_body_over_the_limit_answers_413_before_authentication(anon, user):
    body = json.dumps({"username": "alice", "password": "p" * (2 * LIMIT)})

    response = anon.post("/api/auth/login/", body, content_type="application/json")

    error = assert_error(response, 413, "payload_too_large")
    assert str(LIMIT) in error["message"]


def test_an_api_body_over_the_limit_answers_413_and_changes_nothing(api):
    response = api.post("/api/sources/", source_body(LIMIT + 1), content_type="application/json")

    assert_error(response, 413, "payload_too_large")
    assert not Source.objects.exists()


def test_a_body_within_the_limit_is_accepted(api):
    response = api.post("/api/sources/", source_body(LIMIT - 10), content_type="application/json")

    assert response.status_code == 201, response.content
    assert Source.objects.get().slug == "big"


def call_wsgi(path: str, body: bytes, token: str) -> tuple[str, dict]:
    """A request as gunicorn hands over a chunked one: no Content-Length, a terminated
    input stream."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"] = status

    content = b"".join(WSGIHandler()(environ, start_response))
    return answered["status"], json.loads(content)


@pytest.mark.django_db(transaction=True)
def test_a_streamed_body_without_a_length_is_bounded_too(token):
    status, answer = call_wsgi("/api/sources/", source_body(LIMIT + 500), token.key)

    assert status.startswith("413")
    assert answer["error"]["code"] == "payload_too_large"
    assert not Source.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_streamed_body_within_the_limit_is_read_and_parsed(token):
    body = json.dumps({"name": "small", "slug": "small", "verification_scheme": "none"})

    status, answer = call_wsgi("/api/sources/", body.encode(), token.key)

    assert status.startswith("201"), answer
    assert Source.objects.get().slug == "small"
