"""Every endpoint refuses a request without credentials, in the one error shape."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import assert_error

PROTECTED = [
    ("get", "/api/auth/me/"),
    ("post", "/api/auth/logout/"),
    ("get", "/api/sources/"),
    ("post", "/api/sources/"),
    ("get", "/api/sources/1/"),
    ("put", "/api/sources/1/"),
    ("patch", "/api/sources/1/"),
    ("delete", "/api/sources/1/"),
    ("post", "/api/sources/1/rotate_secret/"),
    ("post", "/api/sources/1/pause/"),
    ("post", "/api/sources/1/resume/"),
    ("get", "/api/sources/github/listen/"),
    ("get", "/api/destinations/"),
    ("post", "/api/destinations/"),
    ("get", "/api/destinations/1/"),
    ("put", "/api/destinations/1/"),
    ("patch", "/api/destinations/1/"),
    ("delete", "/api/destinations/1/"),
    ("post", "/api/destinations/1/rotate_signing_secret/"),
    ("post", "/api/destinations/1/test/"),
    ("post", "/api/destinations/1/pause/"),
    ("post", "/api/destinations/1/resume/"),
    ("post", "/api/destinations/1/enable/"),
    ("get", "/api/destinations/1/stats/"),
    ("get", "/api/routes/"),
    ("post", "/api/routes/"),
    ("get", "/api/routes/1/"),
    ("put", "/api/routes/1/"),
    ("patch", "/api/routes/1/"),
    ("delete", "/api/routes/1/"),
    ("post", "/api/routes/1/test/"),
    ("post", "/api/routes/1/pause/"),
    ("post", "/api/routes/1/resume/"),
    ("get", "/api/routes/operators/"),
    ("post", "/api/routes/validate/"),
    ("get", "/api/transformations/"),
    ("post", "/api/transformations/"),
    ("post", "/api/transformations/run/"),
    ("get", "/api/transformations/1/"),
    ("put", "/api/transformations/1/"),
    ("patch", "/api/transformations/1/"),
    ("delete", "/api/transformations/1/"),
    ("post", "/api/transformations/1/run/"),
    ("get", "/api/deliveries/"),
    ("get", "/api/deliveries/1/"),
    ("post", "/api/deliveries/1/reroute/"),
    ("post", "/api/deliveries/bulk_replay/"),
    ("get", "/api/outcomes/"),
    ("get", "/api/outcomes/1/"),
    ("post", "/api/outcomes/1/replay/"),
    ("get", "/api/metrics/"),
    ("get", "/api/metrics/summary/"),
    ("get", "/api/audit-log/"),
    ("get", "/api/transformers/"),
    ("get", "/api/schemes/"),
    ("get", "/api/schema/"),
    ("get", "/api/docs/"),
    ("get", "/api/tokens/"),
    ("post", "/api/tokens/"),
    ("get", "/api/tokens/1/"),
    ("post", "/api/tokens/1/revoke/"),
    ("get", "/api/notification-types/"),
    ("get", "/api/notification-channels/"),
    ("post", "/api/notification-channels/"),
    ("get", "/api/notification-channels/1/"),
    ("put", "/api/notification-channels/1/"),
    ("patch", "/api/notification-channels/1/"),
    ("delete", "/api/notification-channels/1/"),
    ("post", "/api/notification-channels/1/rotate_secret/"),
    ("post", "/api/notification-channels/1/test/"),
    ("get", "/api/notifications/"),
    ("get", "/api/notifications/1/"),
    ("get", "/api/issues/"),
    ("get", "/api/issues/1/"),
    ("get", "/api/issues/1/outcomes/"),
    ("post", "/api/issues/1/acknowledge/"),
    ("post", "/api/issues/1/resolve/"),
    ("post", "/api/issues/1/replay/"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_it_refuses_an_unauthenticated_request(anon, method, path):
    response = getattr(anon, method)(path, {}, format="json")

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_it_refuses_a_wrong_token(anon, method, path):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = getattr(anon, method)(path, {}, format="json")

    assert_error(response, 401, "authentication_failed")


def test_only_csrf_and_login_need_no_credentials(anon):
    assert anon.get("/api/auth/csrf/").status_code == 200
    response = anon.post("/api/auth/login/", {"username": "x", "password": "y"}, format="json")
    assert_error(response, 401, "authentication_failed")


def test_every_router_endpoint_is_in_the_protected_list():
    """A new endpoint must be added above, so that it is checked too."""
    from apps.api.urls import router

    listed = {path for _, path in PROTECTED}
    for pattern in router.urls:
        regex = pattern.pattern.regex.pattern
        path = re.sub(r"\(\?P<pk>[^)]*\)", "1", regex).strip("^$")
        assert f"/api/{path}" in listed, path
