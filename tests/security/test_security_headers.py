"""Hardening headers, and the production defaults of the transport settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.test import Client


def test_api_responses_carry_the_hardening_headers(anon):
    response = anon.get("/api/auth/csrf/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_login_page_carries_the_policy_too(db):
    assert "Content-Security-Policy" in Client().get("/admin/login/")


def test_the_swagger_ui_loads_its_assets_without_inline_scripts(api):
    page = api.get("/api/docs/").content.decode()

    assert "<script>" not in page.replace(" ", "")  # the split view: no inline script
    assert "swagger-ui" in page


def test_it_redirects_to_https_and_sends_hsts_behind_a_tls_proxy(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # a proxy counted

    plain = Client().get("/api/auth/csrf/")
    proxied = Client().get("/api/auth/csrf/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000"


def test_a_clients_own_forwarded_proto_is_not_believed(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert settings.SECURE_PROXY_SSL_HEADER is None  # TRUSTED_PROXY_COUNT is 0 in tests

    forged = Client().get("/api/auth/csrf/", HTTP_X_FORWARDED_PROTO="https")

    assert forged.status_code == 301


def production_settings(**env: str) -> dict:
    """Transport settings as a production process (DATABASE_URL set, DEBUG off) sees them."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    overridable = {"SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT", "SECURE_COOKIES"}
    inherited = {k: v for k, v in os.environ.items() if k not in overridable}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "relaycore.settings",
        "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DEBUG": "false",
        **env,
    }
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_production_defaults_to_https_only():
    found = production_settings()

    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["CSRF_COOKIE_SECURE"] is True
    assert found["SECURE_PROXY_SSL_HEADER"] is None  # no proxy counted: nothing believed


def test_a_counted_proxy_is_believed_about_https():
    found = production_settings(TRUSTED_PROXY_COUNT="1")

    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_cookies_stay_secure_when_the_https_redirect_is_turned_off():
    found = production_settings(SECURE_SSL_REDIRECT="false")

    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SESSION_COOKIE_SECURE"] is True and found["CSRF_COOKIE_SECURE"] is True


def test_cookies_are_plain_only_with_debug_or_when_asked():
    assert production_settings(DEBUG="true")["SESSION_COOKIE_SECURE"] is False
    assert production_settings(SECURE_COOKIES="false")["CSRF_COOKIE_SECURE"] is False
