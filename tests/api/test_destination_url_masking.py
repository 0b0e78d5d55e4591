"""A destination URL that carries a credential is shown in full to admins only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from tests.factories import make_destination

pytestmark = pytest.mark.django_db
SLACK = "https://hooks.slack.com/services/T0SLACKTEAM/B0SLACKHOOK/slacktokensecret0123"
DISCORD = "https://discord.com/api/webhooks/112233445566/discordtoken-secret-0123"
QUERY = "https://hooks.example.com/in?token=querytoken-secret-0123&team=ops"
PLAIN = "https://hooks.example.com/in"


def client_as(role: Role) -> APIClient:
    user = get_user_model().objects.create_user(role.label)
    set_role(user, role)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def destinations(db):
    return {url: make_destination(url, name=url[:40]) for url in (SLACK, DISCORD, QUERY, PLAIN)}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR])
def test_viewers_and_operators_see_credential_urls_masked(role, destinations):
    client = client_as(role)

    shown = {d["name"]: d for d in client.get("/api/destinations/").json()["results"]}
    one = client.get(f"/api/destinations/{destinations[SLACK].pk}/").json()

    assert one["url"] == "https://hooks.slack.com/services/T0***"
    assert one["url_masked"] is True
    assert shown[DISCORD[:40]]["url"] == "https://discord.com/api/webhooks/11***"
    assert shown[QUERY[:40]]["url"] == "https://hooks.example.com/in?token=***&team=ops"
    assert (shown[PLAIN[:40]]["url"], shown[PLAIN[:40]]["url_masked"]) == (PLAIN, False)


def test_admins_see_every_url_in_full(destinations):
    client = client_as(Role.ADMIN)

    shown = {d["name"]: d for d in client.get("/api/destinations/").json()["results"]}

    for url in destinations:
        assert (shown[url[:40]]["url"], shown[url[:40]]["url_masked"]) == (url, False)


def test_the_url_is_encrypted_at_rest(destinations):
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM core_destination")
        stored = [row[0] for row in cursor.fetchall()]

    assert all(value.startswith("fernet:") for value in stored)
    assert not any("slacktokensecret" in value or "hooks" in value for value in stored)
