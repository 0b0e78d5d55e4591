"""Bad input never answers a 500, and every error has the one shape."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


def test_it_answers_json_404_for_an_unknown_api_path(anon):
    error = assert_error(anon.get("/api/no-such-thing/"), 404, "not_found")

    assert "/api/no-such-thing/" in error["message"]


def test_it_suggests_the_trailing_slash(api):
    error = assert_error(api.get("/api/sources"), 404, "not_found")

    assert "/api/sources/" in error["message"]


def test_it_answers_404_for_a_non_numeric_id(api):
    assert_error(api.get("/api/sources/abc/"), 404, "not_found")


def test_it_answers_405_in_the_error_shape(api):
    assert_error(api.delete("/api/metrics/"), 405, "method_not_allowed")


def test_it_answers_parse_error_for_malformed_json(api):
    response = api.generic(
        "POST", "/api/sources/", b'{"name": "x",', content_type="application/json"
    )

    assert_error(response, 400, "parse_error")


def test_it_answers_parse_error_for_json_nested_too_deep(api):
    body = b"[" * 100_000 + b"]" * 100_000

    response = api.generic("POST", "/api/sources/", body, content_type="application/json")

    assert_error(response, 400, "parse_error")


def test_it_refuses_deep_json_in_a_stored_field(api, source, destination):
    nested: dict = {}
    for _ in range(100):
        nested = {"a": nested}

    response = api.post(
        "/api/routes/",
        {
            "name": "deep",
            "source": source.pk,
            "destination": destination.pk,
            "transformer_options": nested,
        },
        format="json",
    )

    assert "transformer_options" in assert_error(response, 400, "validation_error")["fields"]


def test_it_refuses_json_that_is_not_an_object(api):
    error = assert_error(api.post("/api/sources/", [1, 2], format="json"), 400, "validation_error")

    assert error["message"]


def test_it_refuses_nan(api, route):
    response = api.generic(
        "PATCH",
        f"/api/destinations/{route.destination_id}/",
        b'{"timeout_seconds": NaN}',
        content_type="application/json",
    )

    assert_error(response, 400, "parse_error")


def test_it_answers_415_for_a_form_body(api):
    response = api.post("/api/sources/", {"name": "x"}, format="multipart")

    assert_error(response, 415, "unsupported_media_type")


def test_it_names_nested_fields(api, route):
    response = api.post(f"/api/routes/{route.pk}/test/", {"headers": {"X-A": 1}}, format="json")

    assert "headers" in assert_error(response, 400, "validation_error")["fields"]


def test_it_refuses_nul_in_text_fields(api):
    response = api.post("/api/sources/", {"name": "a\u0000b", "slug": "ab"}, format="json")

    assert "name" in assert_error(response, 400, "validation_error")["fields"]


def test_it_refuses_out_of_range_numbers(api, route):
    response = api.patch(
        f"/api/routes/{route.pk}/", {"priority": 10**30, "rate_limit_per_minute": -1}, format="json"
    )

    error = assert_error(response, 400, "validation_error")
    assert {"priority", "rate_limit_per_minute"} <= set(error["fields"])


def test_it_refuses_an_id_filter_out_of_range(api):
    assert_error(api.get(f"/api/deliveries/?source={10**30}"), 400, "validation_error")


def test_it_takes_any_iso_offset_in_a_time_filter(api):
    response = api.get("/api/deliveries/", {"received_before": "0868-02-21T00:18:14+16:02"})

    assert response.status_code == 200


def test_it_refuses_a_time_that_leaves_the_calendar_in_utc(api):
    response = api.get("/api/outcomes/", {"since": "0001-01-01T00:00:00+10:00"})

    assert "since" in assert_error(response, 400, "validation_error")["fields"]


BAD_INPUT = [
    ("post", "/api/auth/login/", {"username": ""}, "username"),
    ("post", "/api/sources/", {"name": "x", "slug": "not a slug"}, "slug"),
    ("patch", "/api/sources/{source}/", {"rate_limit_per_minute": "many"}, "rate_limit_per_minute"),
    ("post", "/api/sources/{source}/rotate_secret/", {"overlap_hours": 10**6}, "overlap_hours"),
    ("post", "/api/destinations/", {"name": "x", "url": "javascript:alert(1)"}, "url"),
    ("patch", "/api/destinations/{destination}/", {"is_active": "perhaps"}, "is_active"),
    (
        "post",
        "/api/destinations/{destination}/rotate_signing_secret/",
        {"overlap_hours": "soon"},
        "overlap_hours",
    ),
    ("post", "/api/destinations/{destination}/test/", {"payload": "text"}, "payload"),
    ("post", "/api/routes/", {"name": "x"}, "source"),
    ("put", "/api/routes/{route}/", {"name": "x", "source": 1}, "destination"),
    ("post", "/api/routes/{route}/test/", {"event_type": ["push"]}, "event_type"),
    ("post", "/api/deliveries/bulk_replay/", {"dry_run": "maybe"}, "dry_run"),
    ("get", "/api/deliveries/", {"received_after": "noon"}, "received_after"),
    ("get", "/api/outcomes/", {"status": "lost"}, "status"),
    ("get", "/api/metrics/", {"since": "noon"}, "since"),
    ("get", "/api/audit-log/", {"object_type": "user"}, "object_type"),
    ("get", "/api/sources/", {"is_active": "perhaps"}, "is_active"),
    ("get", "/api/routes/", {"source": "x"}, "source"),
]


@pytest.mark.parametrize(("method", "path", "data", "field"), BAD_INPUT)
def test_it_names_the_field_of_bad_input(api, route, method, path, data, field):
    url = path.format(source=route.source_id, destination=route.destination_id, route=route.pk)
    if method == "get":
        response = api.get(url, data)
    else:
        response = getattr(api, method)(url, data, format="json")

    error = assert_error(response, 400, "validation_error")
    assert field in error["fields"], error


@pytest.mark.parametrize("field", ["source", "destination", "route"])
def test_bulk_replay_refuses_an_id_no_column_can_hold(admin_client, field):
    response = admin_client.post(
        "/api/deliveries/bulk_replay/", {field: 2**80}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
