"""django-axes: 5 failed logins for a username lock it for an hour, from any address."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from tests.api.conftest import PASSWORD, assert_error


def login(client: APIClient, password: str, address: str = "203.0.113.1", username="alice"):
    return client.post(
        "/api/auth/login/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_it_locks_a_username_after_five_failures_from_any_address(anon, user):
    for attempt in range(4):
        assert_error(login(anon, "wrong", f"198.51.100.{attempt}"), 401, "authentication_failed")

    fifth = login(anon, "wrong", "198.51.100.9")
    locked = login(anon, PASSWORD, "192.0.2.77")

    assert_error(fifth, 429, "locked_out")
    error = assert_error(locked, 429, "locked_out")
    assert "1 hour" in error["message"]
    assert locked["Retry-After"] == "3600"


def test_the_lock_is_per_username(anon, user):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("bob", password=PASSWORD)
    for _ in range(5):
        login(anon, "wrong")

    assert login(anon, PASSWORD, username="bob").status_code == 200


def test_a_success_resets_the_count(anon, user):
    for _ in range(4):
        login(anon, "wrong")
    assert login(anon, PASSWORD).status_code == 200

    for _ in range(4):
        assert_error(login(APIClient(), "wrong"), 401, "authentication_failed")
    assert login(APIClient(), PASSWORD).status_code == 200


def test_the_lock_ends_after_an_hour(anon, user):
    for _ in range(5):
        login(anon, "wrong")
    assert login(anon, PASSWORD).status_code == 429

    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(hours=1, minutes=1)
        attempt.save()

    assert login(anon, PASSWORD).status_code == 200


def test_the_admin_login_is_locked_too(user):
    browser = Client()
    for attempt in range(5):
        browser.post(
            "/admin/login/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{attempt}",
        )

    response = browser.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_a_locked_user_cannot_log_in_through_the_api_after_failing_on_the_admin(anon, user):
    browser = Client()
    for _ in range(5):
        browser.post("/admin/login/", {"username": "alice", "password": "wrong"})

    assert_error(login(anon, PASSWORD), 429, "locked_out")
