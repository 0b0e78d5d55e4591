"""Which destination URLs carry a credential, and how they are shown without it."""

from __future__ import annotations

import pytest

from apps.core.secret_urls import carries_credential, mask_in_text, mask_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T0A/B0B/sec", "https://hooks.slack.com/services/T0***"),
        ("https://discord.com/api/webhooks/12345/tok", "https://discord.com/api/webhooks/12***"),
        (
            "https://ptb.discord.com/api/webhooks/9/tok",
            "https://ptb.discord.com/api/webhooks/9/***",
        ),
        ("https://x.example/in?token=abc&team=ops", "https://x.example/in?token=***&team=ops"),
        ("https://x.example/in?api_key=abc", "https://x.example/in?api_key=***"),
        ("https://x.example/in?X-Amz-Signature=abc", "https://x.example/in?X-Amz-Signature=***"),
        ("https://x.example/in?code=abc", "https://x.example/in?code=***"),
        ("https://user:pass@x.example/in", "https://***@x.example/in"),
    ],
)
def test_a_credential_url_is_masked_keeping_scheme_and_host(url, shown):
    assert carries_credential(url)
    assert mask_url(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example/webhooks/receive",
        "https://x.example/in?team=ops&page=2",
        "https://hooks.slack.com/services/",
        "http://127.0.0.1:8080/hook",
    ],
)
def test_a_url_without_a_credential_is_shown_as_it_is(url):
    assert not carries_credential(url)
    assert mask_url(url) == url


def test_an_error_message_loses_the_urls_secrets():
    url = "https://discord.com/api/webhooks/112233/the-token-value"

    text = mask_in_text(f"invalid URL: {url} (token the-token-value)", url)

    assert "the-token-value" not in text
    assert "https://discord.com/api/webhooks/11***" in text
