"""API tokens in the audit log: who made and revoked which token, never its key."""

from __future__ import annotations

import getpass
import json
from io import StringIO

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from apps.api.models import ApiToken
from apps.api.roles import Role, set_role
from apps.api.tokens import digest_of, issue_token, revoke


def entries(client: APIClient, query: str = "") -> list[dict]:
    response = client.get(f"/api/audit-log/?object_type=apitoken&{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def key_material(token: ApiToken, key: str) -> list[str]:
    return [key, digest_of(key), token.prefix, key[len(token.prefix) + 1 :]]


def stored_text(token_pk: int) -> str:
    rows = LogEntry.objects.filter(object_pk=str(token_pk)).values_list(
        "changes", "changes_text", "serialized_data", "additional_data", "object_repr"
    )
    return json.dumps(list(rows), default=str)


def operator_named(name: str):
    person = get_user_model().objects.create_user(name)
    set_role(person, Role.OPERATOR)
    return person


def test_it_records_who_made_and_revoked_a_token_without_its_key(api):
    bob = operator_named("bob")
    made = api.post("/api/tokens/", {"name": "deploy", "user": bob.pk}, format="json").json()
    api.post(f"/api/tokens/{made['id']}/revoke/")

    revoked, created = entries(api, f"object_id={made['id']}")

    assert [created["action"], revoked["action"]] == ["create", "update"]
    assert created["actor"] == revoked["actor"] == "alice"
    assert created["object_repr"] == revoked["object_repr"] == "deploy (bob, operator)"
    assert created["changes"] == {
        "name": ["None", "deploy"],
        "user": ["None", "bob"],
        "role": ["None", "operator"],
    }
    assert list(revoked["changes"]) == ["revoked_at"]
    assert revoked["changes"]["revoked_at"][0] == "None"
    assert revoked["changes"]["revoked_at"][1].startswith(made["created_at"][:10])
    token = ApiToken.objects.get(pk=made["id"])
    shown = json.dumps([created, revoked]) + stored_text(token.pk)
    assert [m for m in key_material(token, made["token"]) if m in shown] == []


def test_a_token_with_an_expiry_records_it(api):
    made = api.post("/api/tokens/", {"name": "ci", "expires_days": 7}, format="json").json()

    [created] = entries(api, f"object_id={made['id']}")

    assert created["changes"]["expires_at"][1][:10] == made["expires_at"][:10]
    assert created["object_repr"] == "ci (alice, admin)"


def test_revoking_a_revoked_token_records_nothing_more(api):
    made = api.post("/api/tokens/", {"name": "once"}, format="json").json()
    first = api.post(f"/api/tokens/{made['id']}/revoke/").json()

    again = api.post(f"/api/tokens/{made['id']}/revoke/").json()
    revoke(ApiToken.objects.get(pk=made["id"]))

    assert again["revoked_at"] == first["revoked_at"]
    assert [e["action"] for e in entries(api, f"object_id={made['id']}")] == ["update", "create"]


def test_a_stale_copy_keeps_the_first_revocation_date(user):
    token = issue_token(user, name="twice")
    stale = ApiToken.objects.get(pk=token.pk)
    revoke(token)

    revoke(stale)

    assert stale.revoked_at == token.revoked_at
    assert LogEntry.objects.filter(object_pk=str(token.pk)).count() == 2


def test_the_command_records_the_tokens_it_makes_and_the_ones_rotate_revokes(api):
    older = issue_token(operator_named("bob"), name="older")

    key = StringIO()
    call_command("create_api_token", "bob", "--name", "rotated", "--rotate", stdout=key)

    newest = ApiToken.objects.get(name="rotated")
    assert [e["action"] for e in entries(api, f"object_id={newest.pk}")] == ["create"]
    [revocation, _] = entries(api, f"object_id={older.pk}")
    assert revocation["changes"]["revoked_at"][0] == "None"
    # No RelayCore user ran it: the entries name the OS user, as relay_apply's do.
    assert revocation["actor"] == getpass.getuser()
    [made] = LogEntry.objects.filter(object_pk=str(newest.pk))
    assert made.actor is None
    assert made.additional_data == {"actor": getpass.getuser(), "via": "create_api_token"}
    assert key.getvalue().strip() not in stored_text(newest.pk)


def test_the_command_records_the_actor_it_is_given(api):
    operator_named("bob")
    ops = operator_named("ops-olga")

    call_command("create_api_token", "bob", "--actor", "ops-olga", stdout=StringIO())
    call_command("create_api_token", "bob", "--actor", "deploy-bot", stdout=StringIO())

    shown = entries(api, "actor=ops-olga") + entries(api, "actor=deploy-bot")
    assert [(e["action"], e["actor"], e["object_repr"]) for e in shown] == [
        ("create", "ops-olga", "cli (bob, operator)"),
        ("create", "deploy-bot", "cli (bob, operator)"),
    ]
    by_user, by_name = LogEntry.objects.filter(additional_data__via="create_api_token").order_by(
        "pk"
    )
    assert (by_user.actor, by_name.actor) == (ops, None)  # a user of that name, else the name


def test_the_admin_action_records_the_revocation_by_its_user(user):
    token = issue_token(user, name="from-admin")
    site = Client()
    site.force_login(user)

    answer = site.post(
        "/admin/api/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )

    assert answer.status_code == 302, answer.content

    [revocation] = LogEntry.objects.filter(object_pk=str(token.pk), action=LogEntry.Action.UPDATE)
    assert revocation.actor == user


def test_only_admins_read_token_entries(api, source):
    viewer = get_user_model().objects.create_user("vera")
    set_role(viewer, Role.VIEWER)
    client = APIClient()
    client.force_authenticate(viewer)
    api.post("/api/tokens/", {"name": "hidden"}, format="json")

    everything = client.get("/api/audit-log/?page_size=500").json()["results"]
    asked = client.get("/api/audit-log/?object_type=apitoken").json()

    assert "apitoken" not in {e["object_type"] for e in everything}
    assert "source" in {e["object_type"] for e in everything}
    assert asked["results"] == []
    assert {e["object_repr"] for e in entries(api)} >= {"hidden (alice, admin)"}


def test_the_admin_site_shows_token_entries_to_admins_only(user):
    issue_token(operator_named("bob"), name="site-hidden")
    viewer = get_user_model().objects.create_user("vera", is_staff=True)
    set_role(viewer, Role.VIEWER)
    as_viewer, as_admin = Client(), Client()
    as_viewer.force_login(viewer)
    as_admin.force_login(user)
    [entry] = LogEntry.objects.filter(object_repr="site-hidden (bob, operator)")

    seen_by_viewer = as_viewer.get("/admin/auditlog/logentry/")
    seen_by_admin = as_admin.get("/admin/auditlog/logentry/")

    assert seen_by_viewer.status_code == seen_by_admin.status_code == 200
    assert "site-hidden" not in seen_by_viewer.content.decode()
    assert "site-hidden" in seen_by_admin.content.decode()
    assert as_viewer.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 302
    assert as_admin.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
