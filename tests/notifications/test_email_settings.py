"""EMAIL_URL: one variable for the SMTP server, parsed at start-up, loud when wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from relaycore.env import env_email_url


def test_an_smtp_url_gives_host_port_credentials_and_starttls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://relay%40example.com:p%40ss@smtp.example.com:587?tls=1")

    assert env_email_url("EMAIL_URL") == {
        "host": "smtp.example.com",
        "port": 587,
        "user": "relay@example.com",
        "password": "p@ss",
        "tls": True,
        "ssl": False,
    }


def test_smtps_means_implicit_tls_on_465(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtps://smtp.example.com")

    parsed = env_email_url("EMAIL_URL")

    assert (parsed["port"], parsed["ssl"], parsed["tls"]) == (465, True, False)


@pytest.mark.parametrize("value", ["http://smtp.example.com", "smtp://", "smtp://h?tls=maybe"])
def test_a_wrong_email_url_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("EMAIL_URL", value)

    with pytest.raises(ImproperlyConfigured):
        env_email_url("EMAIL_URL")


def test_no_email_url_leaves_the_separate_variables(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)

    assert env_email_url("EMAIL_URL") == {}
