from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import PASSWORD, assert_error


@pytest.fixture
def browser(db) -> APIClient:
    """A client that enforces CSRF like a browser session does."""
    return APIClient(enforce_csrf_checks=True)


def csrf_token(client: APIClient) -> str:
    response = client.get("/api/auth/csrf/")
    assert response.status_code == 200
    token = response.json()["csrf_token"]
    assert client.cookies["csrftoken"].value
    return token


def test_it_logs_in_with_a_session_and_csrf(browser, user):
    token = csrf_token(browser)

    response = browser.post(
        "/api/auth/login/",
        {"username": "alice", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["id"] == user.pk and answer["username"] == "alice"
    assert answer["role"] == "admin" and "configure" in answer["capabilities"]
    assert browser.get("/api/auth/me/").json()["username"] == "alice"
    assert browser.get("/api/sources/").status_code == 200


def test_it_refuses_a_login_without_the_csrf_token(browser, user):
    response = browser.post(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json"
    )

    error = assert_error(response, 403, "permission_denied")
    assert "CSRF" in error["message"]


def test_it_refuses_a_session_write_without_the_csrf_token(browser, user):
    browser.force_login(user)

    response = browser.post("/api/sources/", {"name": "x", "slug": "x"}, format="json")

    assert_error(response, 403, "permission_denied")


def test_it_refuses_a_wrong_password(anon, user):
    response = anon.post(
        "/api/auth/login/", {"username": "alice", "password": "wrong"}, format="json"
    )

    assert_error(response, 401, "authentication_failed")


def test_it_refuses_an_inactive_user(anon, user):
    user.is_active = False
    user.save()

    response = anon.post(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json"
    )

    assert_error(response, 401, "authentication_failed")


def test_it_names_missing_credentials(anon):
    error = assert_error(anon.post("/api/auth/login/", {}, format="json"), 400, "validation_error")

    assert set(error["fields"]) == {"username", "password"}


def test_it_logs_out(browser, user):
    token = csrf_token(browser)
    browser.post(
        "/api/auth/login/",
        {"username": "alice", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    token = browser.cookies["csrftoken"].value  # login rotates the token

    response = browser.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 204
    assert_error(browser.get("/api/auth/me/"), 401, "not_authenticated")


def test_it_answers_me_for_a_token(api, user):
    me = api.get("/api/auth/me/").json()
    assert (me["id"], me["username"], me["role"]) == (user.pk, "alice", "admin")


def test_a_token_request_needs_no_csrf_token(token):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    fields = {"name": "x", "slug": "x", "verification_scheme": "none"}

    response = client.post("/api/sources/", fields, format="json")

    assert response.status_code == 201, response.content
