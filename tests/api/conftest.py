from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.api.tokens import issue_token
from tests.factories import make_destination, make_route, make_source

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logins are many here; a slow hasher protects nothing in a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    alice = get_user_model().objects.create_user("alice", password=PASSWORD, is_staff=True)
    set_role(alice, Role.ADMIN)
    return alice


@pytest.fixture
def token(user):
    """alice's token; `.key` is its clear key (only the fresh object carries it)."""
    return issue_token(user, name="tests")


@pytest.fixture
def api(token) -> APIClient:
    """A script's client: authenticated with an API token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon(db) -> APIClient:
    return APIClient()


@pytest.fixture
def source(db):
    return make_source(name="GitHub", slug="github")


@pytest.fixture
def destination(db, sink):
    return make_destination(sink.url, name="Slack dev")


@pytest.fixture
def route(source, destination):
    return make_route(source, destination, name="pushes", event_types=["push"])


def assert_error(response, status: int, code: str) -> dict:
    """The one error shape, with this status and code; answers the error object."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error
