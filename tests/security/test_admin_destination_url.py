"""The admin shows a credential-bearing destination URL masked, and saving the form
unchanged keeps the stored URL."""

from __future__ import annotations

import pytest

from apps.core.models import Destination
from tests.factories import make_destination

pytestmark = pytest.mark.django_db
SLACK = "https://hooks.slack.com/services/T0ADMIN/B0ADMIN/admin-form-secret-0123"


def test_the_change_form_masks_the_url_and_an_unchanged_save_keeps_it(admin_client):
    destination = make_destination(SLACK, name="slack")
    path = f"/admin/core/destination/{destination.pk}/change/"

    page = admin_client.get(path).content.decode()
    saved = admin_client.post(
        path,
        {
            "name": "slack renamed",
            "url": "https://hooks.slack.com/services/T0***",
            "is_active": "on",
            "auth_header": "",
            "timeout_seconds": "5",
            "signing_secret": "",
        },
    )

    assert "admin-form-secret" not in page
    assert "https://hooks.slack.com/services/T0***" in page
    assert saved.status_code == 302, saved.content.decode()[:2000]
    stored = Destination.objects.get()
    assert (stored.name, stored.url) == ("slack renamed", SLACK)


def test_a_new_url_replaces_the_stored_one(admin_client):
    destination = make_destination(SLACK, name="slack")

    admin_client.post(
        f"/admin/core/destination/{destination.pk}/change/",
        {
            "name": "slack",
            "url": "https://hooks.slack.com/services/T1/B1/another-secret-0123",
            "is_active": "on",
            "timeout_seconds": "5",
        },
    )

    assert Destination.objects.get().url.endswith("/another-secret-0123")
