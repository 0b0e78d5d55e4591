"""Configure a secret of every kind, run traffic through, then look for each literal
everywhere a person or a log collector can see: every API GET for each role, every admin
page, the log lines, the audit entries, relay_export and /metrics.

The secrets: sources' current and previous secrets, destinations' auth headers (sent to
the destinations, never stored in clear in an attempt's recorded request), signing
secrets and credential-bearing URLs, notification channels' Slack URLs and `whsec_`
signing secrets, and API token keys (with their digests), each shown once when made.

Admins may see credential-bearing URLs in full on the destination endpoints, and nowhere
else; nothing shows any other secret, to anyone, ever.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import time

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.api.roles import Role, set_role
from apps.api.tokens import digest_of
from apps.core import standard_webhooks
from apps.core.models import Attempt, Destination, Event, EventStatus, Source
from apps.delivery import batch, tasks
from tests.factories import make_route

# The sender's recorder writes from its own thread (its own connection): rows commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quiet_sender():
    yield
    assert batch.wait_idle(timeout=30)
    batch.close_connection()  # so that the test database can be dropped


BODY = b'{"action": "opened", "number": 7}'
# scheme -> (options, current secret, previous secret)
SOURCES = {
    "github": ({}, "gh-current-secret-0123456789", "gh-previous-secret-0123456789"),
    "hmac_sha256": ({}, "hs-current-secret-0123456789", "hs-previous-secret-0123456789"),
    "hmac": ({"header": "X-Sig"}, "hm-current-secret-0123456789", "hm-previous-secret-0123456789"),
    "stripe": ({}, "whsec_stripe-current-0123456789", "whsec_stripe-previous-0123456789"),
    "slack": ({}, "slack-current-secret-0123456789", "slack-previous-secret-0123456789"),
    "shopify": ({}, "shop-current-secret-0123456789", "shop-previous-secret-0123456789"),
    "standard_webhooks": (
        {},
        "whsec_" + base64.b64encode(b"standard-current-key-0123456789").decode(),
        "whsec_" + base64.b64encode(b"standard-previous-key-0123456789").decode(),
    ),
    "basic_auth": (
        {"username": "producer"},
        "basic-current-password-0123456789",
        "basic-previous-password-0123456789",
    ),
    "api_key": ({}, "apikey-current-value-0123456789", "apikey-previous-value-0123456789"),
}
AUTH_HEADER_VALUE = "Bearer destination-auth-value-0123456789"
SLACK_TOKEN = "slackhooktoken0123456789abcd"
DISCORD_TOKEN = "discord-hook-token-0123456789abcdef"
QUERY_TOKEN = "query-token-value-0123456789"
METRICS_TOKEN = "metrics-bearer-token-0123456789"
CHANNEL_SLACK_TOKEN = "channelslacktoken0123456789ab"
CHANNEL_QUERY_TOKEN = "channel-query-token-0123456789"


def user_with(role: Role, **flags) -> get_user_model():
    user = get_user_model().objects.create_user(f"{role.label}-user", **flags)
    set_role(user, role)
    return user


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# -- Configuration, through the API as an admin -----------------------------------------


def configure(api: APIClient, sink_url: str, dead_url: str) -> dict[str, list[str]]:
    """Every kind of secret, each rotated once so a previous one exists too. Answers the
    literals to look for: "secrets" (never shown) and "urls" (admins' destination views)."""
    secrets: list[str] = []
    for scheme, (options, current, previous) in SOURCES.items():
        created = api.post(
            "/api/sources/",
            {
                "name": scheme,
                "slug": scheme.replace("_", "-"),
                "verification_scheme": scheme,
                "verification_options": options,
                "secret": previous,
            },
            format="json",
        )
        assert created.status_code == 201, created.content
        rotated = api.post(
            f"/api/sources/{created.json()['id']}/rotate_secret/",
            {"secret": current, "overlap_hours": 24},
            format="json",
        )
        assert rotated.status_code == 200, rotated.content
        secrets += [current, previous]

    urls = {
        "sink": f"{sink_url}?token={QUERY_TOKEN}",
        "dead": f"{dead_url}?sig={QUERY_TOKEN}x",
        "slack": f"https://hooks.slack.com/services/T0SCAN/B0SCAN/{SLACK_TOKEN}",
        "discord": f"https://discord.com/api/webhooks/998877665544/{DISCORD_TOKEN}",
    }
    for name, url in urls.items():
        made = api.post(
            "/api/destinations/",
            {"name": name, "url": url, "auth_header": f"Authorization: {AUTH_HEADER_VALUE}"},
            format="json",
        )
        assert made.status_code == 201, made.content
        destination_id = made.json()["id"]
        for _ in range(2):  # a current and a previous signing secret
            signed = api.post(
                f"/api/destinations/{destination_id}/rotate_signing_secret/", {}, format="json"
            )
            secrets.append(signed.json()["signing_secret"])
    secrets += [AUTH_HEADER_VALUE, AUTH_HEADER_VALUE.split()[1]]
    for destination in Destination.objects.all():
        secrets += [destination.signing_secret, destination.previous_signing_secret]
    api_key_source = Source.objects.get(slug="api-key")
    for destination in Destination.objects.all():
        make_route(api_key_source, destination)
    url_secrets = [SLACK_TOKEN, DISCORD_TOKEN, QUERY_TOKEN, *urls.values()]
    return {"secrets": sorted(set(secrets)), "urls": url_secrets}


def configure_channels(api: APIClient, sink_url: str) -> list[str]:
    """A Slack channel and a webhook channel (its whsec_ secret rotated once), each sent
    a test notification; answers the literals no one may see, admins included."""
    urls = {
        "slack": f"https://hooks.slack.com/services/T0CHAN/B0CHAN/{CHANNEL_SLACK_TOKEN}",
        "webhook": f"{sink_url}?token={CHANNEL_QUERY_TOKEN}",
    }
    secrets = [CHANNEL_SLACK_TOKEN, CHANNEL_QUERY_TOKEN, *urls.values()]
    for kind, url in urls.items():
        made = api.post(
            "/api/notification-channels/",
            {"name": f"ops-{kind}", "kind": kind, "url": url},
            format="json",
        )
        assert made.status_code == 201, made.content
        channel_id = made.json()["id"]
        if kind == "webhook":
            secrets.append(made.json()["secret"])
            rotated = api.post(f"/api/notification-channels/{channel_id}/rotate_secret/")
            assert rotated.status_code == 200, rotated.content
            secrets.append(rotated.json()["secret"])
        tested = api.post(f"/api/notification-channels/{channel_id}/test/")
        assert tested.status_code == 200, tested.content
    assert all(secret.startswith("whsec_") for secret in secrets[-2:])
    return secrets


def issue_tokens(api: APIClient, viewer) -> dict[str, str]:
    """Tokens made through the API (one for the caller, one for the viewer, one then
    revoked) and by the command; answers each key by the token's name."""
    keys = {}
    for name, fields in {
        "scan-admin": {},
        "scan-viewer": {"user": viewer.pk},
        "scan-revoked": {"expires_days": 30},
    }.items():
        made = api.post("/api/tokens/", {"name": name, **fields}, format="json")
        assert made.status_code == 201, made.content
        keys[name] = made.json()["token"]
        if name == "scan-revoked":
            revoked = api.post(f"/api/tokens/{made.json()['id']}/revoke/")
            assert revoked.status_code == 200, revoked.content
    out = io.StringIO()
    call_command("create_api_token", viewer.get_username(), "--name", "scan-cli", stdout=out)
    keys["scan-cli"] = out.getvalue().strip()
    return keys


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_literals(keys: dict[str, str]) -> list[str]:
    """A key, its digest, and the part after the visible prefix (the secret part)."""
    return [text for key in keys.values() for text in (key, digest_of(key), key[12:])]


# -- Traffic: accepted, refused and delivered -------------------------------------------


def hex_hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(scheme: str, secret: str, now: int) -> dict[str, str]:
    sign = {
        "github": lambda: {"X-Hub-Signature-256": "sha256=" + hex_hmac(secret, BODY)},
        "hmac_sha256": lambda: {"X-Signature": hex_hmac(secret, BODY)},
        "hmac": lambda: {"X-Sig": hex_hmac(secret, BODY)},
        "stripe": lambda: {
            "Stripe-Signature": f"t={now},v1=" + hex_hmac(secret, f"{now}.".encode() + BODY)
        },
        "slack": lambda: {
            "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": "v0=" + hex_hmac(secret, f"v0:{now}:".encode() + BODY),
        },
        "shopify": lambda: {
            "X-Shopify-Hmac-Sha256": base64.b64encode(
                hmac.new(secret.encode(), BODY, hashlib.sha256).digest()
            ).decode()
        },
        "standard_webhooks": lambda: {
            "webhook-id": f"msg_{now}",
            "webhook-timestamp": str(now),
            "webhook-signature": standard_webhooks.sign(f"msg_{now}", now, BODY, [secret]),
        },
        "basic_auth": lambda: {
            "Authorization": "Basic " + base64.b64encode(f"producer:{secret}".encode()).decode()
        },
        "api_key": lambda: {"X-API-Key": secret},
    }
    return sign[scheme]()


def send_traffic(client: Client) -> list[str]:
    """One accepted and one refused request a source (the refused one carries a wrong
    credential that looks real); answers the credential header values sent."""
    sent = []
    now = int(time.time())
    for scheme, (_, current, _) in SOURCES.items():
        slug = scheme.replace("_", "-")
        wrong = current + "-wrong"
        if scheme == "standard_webhooks":
            wrong = standard_webhooks.generate_secret()  # it must be base64 to sign with
        for secret, expected in ((current, 200), (wrong, 401)):
            headers = signed_headers(scheme, secret, now)
            sent += [v for k, v in headers.items() if k in {"Authorization", "X-API-Key"}]
            extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
            response = client.post(
                f"/webhooks/receive/{slug}/", BODY, content_type="application/json", **extra
            )
            assert response.status_code == expected, (scheme, response.content)
    return sent


def deliver_everything() -> None:
    tasks.process_events(
        list(Event.objects.filter(status=EventStatus.RECEIVED).values_list("pk", flat=True))
    )
    assert batch.wait_idle(timeout=30)


# -- Where to look --------------------------------------------------------------------------

LISTS = [
    "sources",
    "destinations",
    "routes",
    "deliveries",
    "outcomes",
    "audit-log",
    "notification-channels",
    "notifications",
    "tokens",
]
WITHOUT_DETAIL = {"audit-log"}
ADMINS_ONLY = {"tokens"}
SINGLES = [
    "/api/auth/me/",
    "/api/metrics/",
    "/api/metrics/summary/",
    "/api/transformers/",
    "/api/schemes/",
    "/api/notification-types/",
]


def api_pages(client: APIClient, *, admin: bool = False) -> dict[str, str]:
    """Every GET endpoint the client's role may read: each list (large pages), each
    object of it, the others."""
    pages = {}
    for name in LISTS:
        if name in ADMINS_ONLY and not admin:
            assert client.get(f"/api/{name}/").status_code == 403, name
            continue
        listed = client.get(f"/api/{name}/?page_size=500")
        assert listed.status_code == 200, (name, listed.content)
        pages[f"/api/{name}/"] = listed.content.decode()
        for item in [] if name in WITHOUT_DETAIL else listed.json()["results"]:
            path = f"/api/{name}/{item['id']}/"
            detail = client.get(path)
            assert detail.status_code == 200, (path, detail.content)
            pages[path] = detail.content.decode()
    for path in SINGLES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        pages[path] = response.content.decode()
    return pages


def admin_pages(client: Client) -> dict[str, str]:
    pages = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        pages[changelist] = client.get(changelist).content.decode()
        for pk in model_admin.get_queryset(None).values_list("pk", flat=True)[:50]:
            path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.content.decode()
    return pages


def audit_text() -> str:
    rows = LogEntry.objects.values_list(
        "changes", "changes_text", "serialized_data", "additional_data", "object_repr"
    )
    return json.dumps(list(rows), default=str)


def attempt_requests() -> dict[str, str]:
    """Each attempt's stored request (URL, headers, body), as text."""
    rows = Attempt.objects.values_list("pk", "request_url", "request_headers", "request_body")
    return {
        f"attempt {pk}": "\n".join(
            [url, *(f"{name.lower()}: {value}" for name, value in headers.items()), body]
        )
        for pk, url, headers, body in rows
    }


def leaks(texts: dict[str, str], literals: list[str]) -> list[tuple[str, str]]:
    return [
        (where, secret) for where, text in texts.items() for secret in literals if secret in text
    ]


@pytest.fixture
def dead_url() -> str:
    """A local port nobody listens on: deliveries there fail with connection refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def test_no_secret_is_ever_shown_stored_in_clear_logged_or_exported(
    sink, dead_url, caplog, settings
):
    settings.METRICS_TOKEN = METRICS_TOKEN
    settings.SIG_FAILED_RECORDS_PER_MINUTE = 100
    admin_user = user_with(Role.ADMIN, is_staff=True, is_superuser=True)
    viewer, operator = user_with(Role.VIEWER), user_with(Role.OPERATOR)
    literals = configure(api_as(admin_user), sink.url, dead_url)

    caplog.set_level(logging.DEBUG)
    channel_secrets = configure_channels(api_as(admin_user), sink.url)
    keys = issue_tokens(api_as(admin_user), viewer)
    sent = send_traffic(Client())
    deliver_everything()
    # A revoked key and a wrong key with a real prefix are refused without being logged.
    for refused in (keys["scan-revoked"], keys["scan-viewer"][:-4] + "zzzz"):
        assert token_client(refused).get("/api/sources/").status_code == 401
    viewer_pages = api_pages(token_client(keys["scan-viewer"]))
    operator_pages = api_pages(api_as(operator))
    admin_views = api_pages(token_client(keys["scan-admin"]), admin=True)
    logged = caplog.text

    secrets = sorted(set(literals["secrets"] + sent + channel_secrets + token_literals(keys)))
    everything = secrets + literals["urls"]
    assert Event.objects.filter(status="sig_failed").count() == len(SOURCES)
    assert sink.requests, "the sink destination was delivered to"
    assert any("webhook-signature" in r.headers for r in sink.requests), "the channel signed"
    assert "scan-revoked" in admin_views["/api/tokens/"], "the token list was read"

    # The requests as sent, as stored: the planted auth header went out in clear and is
    # recorded by name only; nor does any other secret stand in an attempt's row.
    assert any(r.headers.get("authorization") == AUTH_HEADER_VALUE for r in sink.requests)
    recorded = attempt_requests()
    assert any("authorization: " in text for text in recorded.values()), "auth header recorded"
    assert leaks(recorded, everything) == []
    for pages in (viewer_pages, operator_pages):
        assert leaks(pages, everything) == []
    assert leaks(admin_views, secrets) == []
    outside_destinations = {
        path: text for path, text in admin_views.items() if "/destinations/" not in path
    }
    assert leaks(outside_destinations, literals["urls"]) == []
    assert any(SLACK_TOKEN in text for text in admin_views.values())  # the admin's own view

    site = Client()
    site.force_login(admin_user)
    assert leaks(admin_pages(site), everything) == []
    assert leaks({"logs": logged}, everything) == []
    assert leaks({"audit": audit_text()}, everything) == []
    # Four tokens made and one revoked, each on record (and read above by the admin).
    assert LogEntry.objects.filter(content_type__model="apitoken").count() == 5
    assert "scan-revoked" in admin_views["/api/audit-log/"]
    out = io.StringIO()
    call_command("relay_export", stdout=out)
    assert leaks({"relay_export": out.getvalue()}, everything) == []
    assert "ops-slack" in out.getvalue(), "the channels were exported"
    metrics = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert metrics.status_code == 200
    assert leaks({"/metrics": metrics.content.decode()}, everything) == []
