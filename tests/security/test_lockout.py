"""Login hardening: django-axes locks a username from one address after 5 failures (for an
hour), and LOGIN_THROTTLE_RATE bounds the attempts of one address. The client address is
REMOTE_ADDR unless TRUSTED_PROXY_COUNT says to believe X-Forwarded-For."""

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


def test_it_locks_a_username_from_one_address_after_five_failures(anon, user):
    for _ in range(4):
        assert_error(login(anon, "wrong"), 401, "authentication_failed")

    fifth = login(anon, "wrong")
    locked = login(anon, PASSWORD)

    assert_error(fifth, 429, "locked_out")
    error = assert_error(locked, 429, "locked_out")
    assert "1 hour" in error["message"] and "this address" in error["message"]
    assert locked["Retry-After"] == "3600"


def test_a_stranger_cannot_lock_the_owner_out(anon, user):
    for _ in range(5):
        login(anon, "wrong", "198.51.100.66")

    assert login(anon, PASSWORD, "198.51.100.66").status_code == 429
    assert login(APIClient(), PASSWORD, "192.0.2.10").status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_lock(anon, user):
    for attempt in range(5):
        anon.post(
            "/api/auth/login/",
            {"username": "alice", "password": "wrong"},
            format="json",
            REMOTE_ADDR="203.0.113.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )

    response = login(anon, PASSWORD, "203.0.113.1")

    assert_error(response, 429, "locked_out")


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(anon, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(password: str, client_address: str):
        return anon.post(
            "/api/auth/login/",
            {"username": "alice", "password": password},
            format="json",
            REMOTE_ADDR="172.18.0.5",  # the proxy
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(5):
        via_proxy("wrong", "198.51.100.7")

    assert_error(via_proxy(PASSWORD, "198.51.100.7"), 429, "locked_out")
    assert via_proxy(PASSWORD, "192.0.2.8").status_code == 200


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
    for _ in range(5):
        browser.post("/admin/login/", {"username": "alice", "password": "wrong"})

    response = browser.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_a_locked_user_cannot_log_in_through_the_api_after_failing_on_the_admin(anon, user):
    browser = Client()
    for _ in range(5):
        browser.post("/admin/login/", {"username": "alice", "password": "wrong"})

    # The test client's address is 127.0.0.1.
    assert_error(login(anon, PASSWORD, "127.0.0.1"), 429, "locked_out")


def test_one_address_is_throttled_across_usernames(anon, user, settings):
    settings.LOGIN_THROTTLE_RATE = "3/min"
    for name in ("carol", "dave", "erin"):
        assert_error(login(anon, "wrong", username=name), 401, "authentication_failed")

    refused = login(anon, PASSWORD)

    error = assert_error(refused, 429, "throttled")
    assert "this address" in error["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert login(APIClient(), PASSWORD, "192.0.2.200").status_code == 200


def test_the_admin_login_is_throttled_too(user, settings):
    settings.LOGIN_THROTTLE_RATE = "2/min"
    browser = Client()
    for _ in range(2):
        browser.post("/admin/login/", {"username": "nobody", "password": "wrong"})

    response = browser.post("/admin/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert response["Retry-After"]
