"""The SSRF guard refuses unsafe destination URLs when they are saved through the API."""

from __future__ import annotations

import pytest

from apps.core.models import Destination
from tests.api.conftest import assert_error

UNSAFE = [
    "http://127.0.0.1/hook",
    "http://localhost:8000/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://2130706433/hook",  # 127.0.0.1 as one decimal number
    "http://0x7f000001/hook",  # ... in hex
    "http://0177.0.0.1/hook",  # ... in octal
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fe80::1]/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "ftp://93.184.216.34/hook",
    "http://user:pass@93.184.216.34/hook",
]


@pytest.fixture(autouse=True)
def no_allowed_networks(settings):
    settings.DESTINATION_ALLOWED_NETWORKS = []


@pytest.mark.parametrize("url", UNSAFE)
def test_it_refuses_an_unsafe_url_on_create(api, url):
    response = api.post("/api/destinations/", {"name": "evil", "url": url}, format="json")

    error = assert_error(response, 400, "validation_error")
    assert list(error["fields"]) == ["url"]
    assert not Destination.objects.exists()


def test_it_refuses_an_unsafe_url_on_update(api):
    destination = Destination.objects.create(name="ok", url="https://93.184.216.34/hook")

    response = api.patch(
        f"/api/destinations/{destination.pk}/", {"url": "http://10.0.0.1/"}, format="json"
    )

    assert "url" in assert_error(response, 400, "validation_error")["fields"]
    destination.refresh_from_db()
    assert destination.url == "https://93.184.216.34/hook"


def test_it_accepts_a_public_address(api):
    response = api.post(
        "/api/destinations/", {"name": "ok", "url": "https://93.184.216.34/hook"}, format="json"
    )

    assert response.status_code == 201, response.content


def test_an_allow_listed_network_lets_a_private_address_through(api, settings):
    import ipaddress

    settings.DESTINATION_ALLOWED_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]

    response = api.post(
        "/api/destinations/", {"name": "internal", "url": "http://10.1.2.3/hook"}, format="json"
    )

    assert response.status_code == 201, response.content
