"""GET /readyz: database, Redis and the broker, each named in the answer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_it_answers_200_when_database_redis_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
    }


def test_it_answers_503_naming_redis_and_the_broker_when_they_are_down(client, settings):
    settings.REDIS_URL = CLOSED_PORT
    settings.CELERY_BROKER_URL = CLOSED_PORT

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["redis"].startswith("down: ")
    assert body["broker"].startswith("down: ")


def test_it_answers_503_when_only_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["redis"] == "ok"


def test_it_answers_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz").status_code == 200


def test_it_only_answers_get(client):
    assert client.post("/readyz").status_code == 405
