"""API tokens: hashed, shown once, expiring, revocable; the command and /api/tokens/."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from apps.api.migrations import __name__ as migrations_package
from apps.api.models import ApiToken
from apps.api.roles import Role, role_of, set_role
from apps.api.tokens import issue_token
from tests.api.conftest import assert_error

ROW_FIELDS = {
    "id",
    "name",
    "user",
    "username",
    "prefix",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
}


def client_with(key: str, scheme: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    return client


def run_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- storage and authentication ---


def test_a_token_is_stored_as_a_digest_and_a_prefix_only(user):
    token = issue_token(user, name="ci")
    row = ApiToken.objects.get(pk=token.pk)

    assert token.key.startswith("rc_") and len(token.key) > 40
    assert row.prefix == token.key[:11]
    assert row.digest == hashlib.sha256(token.key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert token.key not in stored


def test_a_token_works_with_token_and_bearer_headers(user):
    key = issue_token(user).key

    assert client_with(key).get("/api/sources/").status_code == 200
    assert client_with(key, "Bearer").get("/api/sources/").status_code == 200


def test_a_wrong_key_with_a_real_prefix_is_refused(user):
    key = issue_token(user).key

    response = client_with(key[:-1] + ("x" if key[-1] != "x" else "y")).get("/api/sources/")

    assert_error(response, 401, "authentication_failed")


def test_an_expired_token_is_refused_with_a_clear_message(user):
    token = issue_token(user, expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    error = assert_error(client_with(token.key).get("/api/sources/"), 401, "authentication_failed")

    assert "expired" in error["message"] and token.prefix in error["message"]


def test_a_revoked_token_is_refused_with_a_clear_message(api, token):
    assert api.post(f"/api/tokens/{token.pk}/revoke/").status_code == 200

    error = assert_error(api.get("/api/sources/"), 401, "authentication_failed")

    assert "revoked" in error["message"]


def test_a_token_of_an_inactive_user_is_refused(user):
    key = issue_token(user).key
    user.is_active = False
    user.save()

    assert_error(client_with(key).get("/api/auth/me/"), 401, "authentication_failed")


def test_last_used_is_written_at_most_once_a_minute(api, token):
    api.get("/api/sources/")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    api.get("/api/sources/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/api/sources/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_an_old_authtoken_key_keeps_working_after_the_migration(user):
    """Migration api.0002 hashes the clear keys of DRF's authtoken table, then empties it."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module(f"{migrations_package}.0002_api_tokens")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp "
            "with time zone NOT NULL, user_id integer NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created "
            "datetime NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [old_key, timezone.now() - timedelta(days=30), user.pk],
        )
    # The function reads only the editor's connection (SQLite refuses a real editor here).
    migration.convert_authtokens(apps, SimpleNamespace(connection=connection))

    assert client_with(old_key).get("/api/auth/me/").json()["username"] == "alice"
    converted = ApiToken.objects.get(user=user)
    assert converted.prefix == old_key[:8]
    assert converted.created_at < timezone.now() - timedelta(days=29)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0


# --- the command ---


def test_the_command_prints_a_new_working_token_alone_on_each_call(user):
    first, _ = run_command("alice")
    second, _ = run_command("alice")

    assert first.count("\n") == 1 and first.strip().startswith("rc_")
    assert first != second
    for out in (first, second):
        assert client_with(out.strip()).get("/api/auth/me/").status_code == 200


def test_the_command_rotates_by_revoking_the_other_tokens(user):
    first, _ = run_command("alice")
    second, err = run_command("alice", "--rotate")

    assert_error(client_with(first.strip()).get("/api/auth/me/"), 401, "authentication_failed")
    assert client_with(second.strip()).get("/api/auth/me/").status_code == 200
    assert "revoked 1" in err


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="bob"):
        run_command("bob")


def test_a_created_user_has_no_role_and_the_command_says_so(db):
    out, err = run_command("robot", "--create-user")

    robot = get_user_model().objects.get(username="robot")
    assert role_of(robot) is None and "no role" in err
    assert not robot.has_usable_password()
    assert client_with(out.strip()).get("/api/auth/me/").json()["role"] is None
    assert_error(client_with(out.strip()).get("/api/sources/"), 403, "permission_denied")


def test_the_command_sets_the_role_expiry_and_name(db):
    out, err = run_command(
        "robot", "--create-user", "--role", "operator", "--expires-days", "7", "--name", "ci"
    )

    token = ApiToken.objects.get(user__username="robot")
    assert client_with(out.strip()).get("/api/auth/me/").json()["role"] == "operator"
    assert token.name == "ci" and "no role" not in err
    left = token.expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < left <= timedelta(days=7)


def test_the_command_refuses_a_bad_role_or_expiry(user):
    with pytest.raises(CommandError):
        run_command("alice", "--role", "root")
    with pytest.raises(CommandError):
        run_command("alice", "--expires-days", "0")


# --- the API ---


def test_an_admin_lists_tokens_without_keys(api, token):
    response = api.get("/api/tokens/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert set(row) == ROW_FIELDS
    assert (row["id"], row["username"], row["prefix"]) == (token.pk, "alice", token.prefix)
    assert token.key not in response.content.decode()
    assert token.digest not in response.content.decode()


def test_an_admin_makes_a_token_shown_once(api, user):
    response = api.post("/api/tokens/", {"name": "deploy bot", "expires_days": 30})

    assert response.status_code == 201, response.content
    made = response.json()
    assert set(made) == ROW_FIELDS | {"token"}
    assert made["user"] == user.pk and made["name"] == "deploy bot"
    assert made["token"].startswith(made["prefix"])
    assert client_with(made["token"]).get("/api/auth/me/").status_code == 200
    assert made["token"] not in api.get(f"/api/tokens/{made['id']}/").content.decode()


def test_an_admin_makes_a_token_for_another_user(api):
    bob = get_user_model().objects.create_user("bob")
    set_role(bob, Role.VIEWER)

    made = api.post("/api/tokens/", {"name": "bob's", "user": bob.pk}).json()

    assert made["username"] == "bob"
    assert client_with(made["token"]).get("/api/auth/me/").json()["role"] == "viewer"


def test_making_a_token_validates_its_fields(api):
    error = assert_error(
        api.post("/api/tokens/", {"user": 999999, "expires_days": 0}), 400, "validation_error"
    )

    assert set(error["fields"]) == {"name", "user", "expires_days"}


def test_revoking_answers_the_row_and_keeps_the_first_date(api, user):
    other = issue_token(user, name="old")

    first = api.post(f"/api/tokens/{other.pk}/revoke/")
    again = api.post(f"/api/tokens/{other.pk}/revoke/")

    assert first.status_code == 200 and set(first.json()) == ROW_FIELDS
    assert first.json()["revoked_at"] is not None
    assert again.json()["revoked_at"] == first.json()["revoked_at"]
    assert_error(client_with(other.key).get("/api/auth/me/"), 401, "authentication_failed")
