"""Secrets go in and never come out: not in any API response, not in the audit log."""

from __future__ import annotations

import json

from auditlog.models import LogEntry

from apps.core.models import Destination, Source
from tests.api.factories import make_event, make_outcome

SOURCE_SECRET = "src-secret-the-first-0123456789"
NEW_SOURCE_SECRET = "src-secret-the-second-0123456789"
AUTH_HEADER = "Authorization: Bearer auth-value-0123456789"
NEW_AUTH_HEADER = "X-Api-Key: api-key-value-9876543210"


def every_response(api, source_id: int, destination_id: int, route_id: int) -> str:
    event = make_event(Source.objects.get(pk=source_id))
    from apps.core.models import Route

    make_outcome(event, Route.objects.get(pk=route_id))
    paths = [
        "/api/sources/",
        f"/api/sources/{source_id}/",
        "/api/destinations/",
        f"/api/destinations/{destination_id}/",
        "/api/routes/",
        f"/api/routes/{route_id}/",
        "/api/deliveries/",
        f"/api/deliveries/{event.pk}/",
        "/api/outcomes/",
        "/api/audit-log/?page_size=500",
        "/api/metrics/summary/",
    ]
    texts = []
    for path in paths:
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        texts.append(response.content.decode())
    return "\n".join(texts)


def stored_audit_text() -> str:
    rows = LogEntry.objects.values_list(
        "changes", "changes_text", "serialized_data", "additional_data", "object_repr"
    )
    return json.dumps(list(rows), default=str)


def test_secrets_never_appear_in_responses_or_audit_diffs(api, sink):
    created = api.post(
        "/api/sources/",
        {"name": "GH", "slug": "gh", "verification_scheme": "github", "secret": SOURCE_SECRET},
        format="json",
    )
    source_id = created.json()["id"]
    destination = api.post(
        "/api/destinations/",
        {"name": "D", "url": sink.url, "auth_header": AUTH_HEADER},
        format="json",
    )
    destination_id = destination.json()["id"]
    route = api.post(
        "/api/routes/",
        {"name": "R", "source": source_id, "destination": destination_id},
        format="json",
    )
    writes = [created, destination, route]
    writes.append(
        api.patch(f"/api/sources/{source_id}/", {"secret": NEW_SOURCE_SECRET}, format="json")
    )
    writes.append(
        api.put(
            f"/api/destinations/{destination_id}/",
            {"name": "D2", "url": sink.url, "auth_header": NEW_AUTH_HEADER},
            format="json",
        )
    )
    rotated = api.post(f"/api/sources/{source_id}/rotate_secret/", {}, format="json").json()
    signing = api.post(
        f"/api/destinations/{destination_id}/rotate_signing_secret/", {}, format="json"
    ).json()
    api.post(f"/api/destinations/{destination_id}/rotate_signing_secret/", {}, format="json")
    api.delete(f"/api/routes/{route.json()['id']}/")
    route_id = api.post(
        "/api/routes/",
        {"name": "R2", "source": source_id, "destination": destination_id},
        format="json",
    ).json()["id"]

    shown = "\n".join(w.content.decode() for w in writes)
    shown += every_response(api, source_id, destination_id, route_id)
    audit = stored_audit_text()
    secrets = [
        SOURCE_SECRET,
        NEW_SOURCE_SECRET,
        rotated["secret"],
        AUTH_HEADER.split(": ")[1],
        NEW_AUTH_HEADER.split(": ")[1],
        signing["signing_secret"],
        Destination.objects.get().signing_secret,
    ]
    for secret in secrets:
        assert secret not in shown
        assert secret not in audit
    # The changes themselves are on record, without their values.
    source_changes = [e.changes_dict for e in LogEntry.objects.filter(object_repr="GH (gh)")]
    assert {"secret": ["", "[hidden]"]}.items() <= source_changes[-1].items()  # the create
    assert {"secret": ["[hidden]", "[hidden]"]} in source_changes  # the PATCH


def test_the_stored_secret_is_encrypted_at_rest(api, sink):
    from django.db import connection

    api.post(
        "/api/destinations/",
        {"name": "D", "url": sink.url, "auth_header": AUTH_HEADER},
        format="json",
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT auth_header FROM core_destination")
        [(raw,)] = cursor.fetchall()
    assert raw.startswith("fernet:")
    assert "auth-value" not in raw
