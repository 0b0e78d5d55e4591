"""A source's verification scheme is always chosen, `none` only with a warning; body
dedupe is on by default and can be turned off."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db
UNSIGNED = "This source accepts unsigned requests from anyone who knows its URL."


def test_a_create_without_a_scheme_is_refused_naming_the_field(api):
    response = api.post("/api/sources/", {"name": "x", "slug": "x"}, format="json")

    error = assert_error(response, 400, "validation_error")
    assert "verification_scheme" in error["fields"]


def test_choosing_none_is_accepted_with_a_warning(api):
    created = api.post(
        "/api/sources/", {"name": "x", "slug": "x", "verification_scheme": "none"}, format="json"
    )

    assert created.status_code == 201
    assert created.json()["warnings"] == [UNSIGNED]
    assert api.get(f"/api/sources/{created.json()['id']}/").json()["warnings"] == [UNSIGNED]
    assert api.get("/api/sources/").json()["results"][0]["warnings"] == [UNSIGNED]


def test_a_signed_source_has_no_warning_and_dedupes_by_body(api):
    created = api.post(
        "/api/sources/", {"name": "g", "slug": "g", "verification_scheme": "github"}, format="json"
    ).json()

    assert created["warnings"] == []
    assert created["dedupe_by_body"] is True


def test_body_dedupe_can_be_turned_off(api):
    source_id = api.post(
        "/api/sources/", {"name": "g", "slug": "g", "verification_scheme": "github"}, format="json"
    ).json()["id"]

    api.patch(f"/api/sources/{source_id}/", {"dedupe_by_body": False}, format="json")

    assert api.get(f"/api/sources/{source_id}/").json()["dedupe_by_body"] is False


def test_a_partial_update_need_not_repeat_the_scheme(api):
    source_id = api.post(
        "/api/sources/", {"name": "g", "slug": "g", "verification_scheme": "github"}, format="json"
    ).json()["id"]

    response = api.patch(f"/api/sources/{source_id}/", {"name": "G"}, format="json")

    assert response.status_code == 200
    assert response.json()["verification_scheme"] == "github"
