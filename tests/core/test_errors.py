"""Every edge refuses in the one envelope of apps/core/errors.py, `fields` included."""

from __future__ import annotations

import pytest

from tests.factories import make_source

pytestmark = pytest.mark.django_db


def assert_envelope(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body == {"error": {"code": code, "message": body["error"]["message"], "fields": {}}}
    assert body["error"]["message"]


def test_ingest_names_no_fields_when_the_source_is_unknown(client):
    response = client.post("/webhooks/receive/nope/", b"{}", content_type="application/json")
    assert_envelope(response, 404, "unknown_source")


def test_ingest_names_no_fields_when_the_signature_is_wrong(client):
    make_source(slug="signed", verification_scheme="github", secret="s3cret")
    response = client.post(
        "/webhooks/receive/signed/",
        b"{}",
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256="sha256=00",
    )
    assert_envelope(response, 401, "signature_invalid")


def test_the_dashboard_fallback_answers_the_envelope_while_unbuilt(client, settings, tmp_path):
    settings.DASHBOARD_DIR = tmp_path
    assert_envelope(client.get("/sources"), 503, "dashboard_not_built")


def test_the_metrics_endpoint_answers_the_envelope_while_off(client, settings):
    settings.METRICS_TOKEN = ""
    assert_envelope(client.get("/metrics"), 404, "metrics_disabled")


def test_an_unknown_api_path_answers_the_envelope(client):
    assert_envelope(client.get("/api/no-such-thing/"), 404, "not_found")
