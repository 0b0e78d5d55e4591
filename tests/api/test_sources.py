from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.models import EventStatus, MetricTally, Source
from apps.monitoring import tallies
from tests.api.conftest import assert_error
from tests.api.factories import make_event
from tests.factories import make_source


def test_it_creates_reads_updates_and_deletes_a_source(api):
    created = api.post(
        "/api/sources/",
        {
            "name": "Stripe",
            "slug": "stripe",
            "verification_scheme": "stripe",
            "secret": "whsec_stripe_0123456789abcdef",
            "event_type_header": "",
            "event_type_path": "$.type",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"] is None  # chosen by the caller, so not shown back
    assert body["secret_set"] is True
    assert body["secret_last4"] == "cdef"
    assert body["ingest_url"] == "http://testserver/webhooks/receive/stripe/"
    assert body["stats"] == {
        "events_total": 0,
        "events_24h": 0,
        "sig_failed_24h": 0,
        "last_event_at": None,
    }

    url = f"/api/sources/{body['id']}/"
    assert api.get(url).json()["name"] == "Stripe"

    patched = api.patch(url, {"rate_limit_per_minute": 60, "is_active": False}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["rate_limit_per_minute"] == 60
    assert Source.objects.get(slug="stripe").secret == "whsec_stripe_0123456789abcdef"

    replaced = api.put(
        url,
        {"name": "Stripe live", "slug": "stripe-live", "verification_scheme": "none"},
        format="json",
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["slug"] == "stripe-live"

    assert api.delete(url).status_code == 204
    assert_error(api.get(url), 404, "not_found")


def test_it_generates_a_secret_on_create_and_shows_it_once(api):
    created = api.post(
        "/api/sources/",
        {"name": "GitHub", "slug": "gh", "verification_scheme": "github"},
        format="json",
    )

    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert secret and Source.objects.get(slug="gh").secret == secret
    assert secret not in api.get(f"/api/sources/{created.json()['id']}/").content.decode()
    assert secret not in api.get("/api/sources/").content.decode()


def test_it_generates_a_whsec_secret_for_standard_webhooks(api):
    created = api.post(
        "/api/sources/",
        {"name": "SW", "slug": "sw", "verification_scheme": "standard_webhooks"},
        format="json",
    )

    assert created.json()["secret"].startswith("whsec_")


def test_it_refuses_a_bad_standard_webhooks_secret(api):
    response = api.post(
        "/api/sources/",
        {"name": "SW", "slug": "sw", "verification_scheme": "standard_webhooks", "secret": "nope!"},
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert "secret" in error["fields"]


def test_it_refuses_an_unknown_scheme(api):
    response = api.post(
        "/api/sources/",
        {"name": "X", "slug": "x", "verification_scheme": "carrier-pigeon"},
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert list(error["fields"]) == ["verification_scheme"]


def test_it_names_a_bad_scheme_option(api):
    response = api.post(
        "/api/sources/",
        {
            "name": "X",
            "slug": "x",
            "verification_scheme": "hmac",
            "secret": "s3cret-s3cret",
            "verification_options": {"header": "X-Sig", "algorithm": "md5"},
        },
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert "algorithm" in error["fields"]["verification_options"][0]


def test_it_refuses_a_bad_jsonpath_and_header_name(api):
    response = api.post(
        "/api/sources/",
        {
            "name": "X",
            "slug": "x",
            "event_type_path": "$.[[[",
            "idempotency_header": "Bad Header",
        },
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert "idempotency_header" in error["fields"]


def test_it_refuses_a_duplicate_slug(api, source):
    response = api.post("/api/sources/", {"name": "Again", "slug": source.slug}, format="json")

    error = assert_error(response, 400, "validation_error")
    assert "slug" in error["fields"]


def test_it_refuses_nul_characters_in_options(api):
    response = api.post(
        "/api/sources/",
        {
            "name": "X",
            "slug": "x",
            "verification_scheme": "hmac_sha256",
            "secret": "abc",
            "verification_options": {"header": "X-Sig\u0000"},
        },
        format="json",
    )

    error = assert_error(response, 400, "validation_error")
    assert "verification_options" in error["fields"]


def test_it_refuses_clearing_the_secret_of_a_scheme_that_needs_one(api):
    source = make_source(verification_scheme="github", secret="github-secret-1234")

    response = api.patch(f"/api/sources/{source.pk}/", {"secret": ""}, format="json")

    error = assert_error(response, 400, "validation_error")
    assert "secret" in error["fields"]


def test_it_rotates_the_secret_with_an_overlap(api):
    source = make_source(verification_scheme="github", secret="old-secret-0000000")

    response = api.post(
        f"/api/sources/{source.pk}/rotate_secret/", {"overlap_hours": 2}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    source.refresh_from_db()
    assert source.secret == body["secret"] != "old-secret-0000000"
    assert source.previous_secret == "old-secret-0000000"
    expires = source.previous_secret_expires_at
    assert timedelta(hours=1, minutes=59) < expires - timezone.now() <= timedelta(hours=2)
    assert source.verification_secrets() == [body["secret"], "old-secret-0000000"]
    assert source.verification_secrets(now=expires + timedelta(seconds=1)) == [body["secret"]]


def test_it_rotates_to_a_chosen_secret_with_the_default_overlap(api):
    source = make_source(verification_scheme="github", secret="old-secret-0000000")

    response = api.post(
        f"/api/sources/{source.pk}/rotate_secret/", {"secret": "new-secret-1111111"}, format="json"
    )

    assert response.json()["secret"] == "new-secret-1111111"
    source.refresh_from_db()
    left = source.previous_secret_expires_at - timezone.now()
    assert timedelta(hours=23, minutes=59) < left <= timedelta(hours=24)


def test_it_refuses_a_bad_overlap(api, source):
    response = api.post(
        f"/api/sources/{source.pk}/rotate_secret/", {"overlap_hours": -1}, format="json"
    )

    error = assert_error(response, 400, "validation_error")
    assert "overlap_hours" in error["fields"]


def test_it_counts_events_per_source(api, source):
    make_event(source)
    make_event(source, status=EventStatus.SIG_FAILED)
    make_event(source, received_at=timezone.now() - timedelta(days=3))

    stats = api.get(f"/api/sources/{source.pk}/").json()["stats"]

    assert stats["events_total"] == 3
    assert stats["events_24h"] == 2
    assert stats["sig_failed_24h"] == 1
    assert stats["last_event_at"] is not None


def test_the_list_counts_each_sources_own_events(api, source):
    make_source(name="Quiet", slug="quiet")
    busy = make_source(name="Busy", slug="busy")
    newest = timezone.now() - timedelta(minutes=1)
    for minutes in (30, 10):
        make_event(busy, received_at=timezone.now() - timedelta(minutes=minutes))
    make_event(busy, received_at=newest)
    make_event(busy, received_at=timezone.now() - timedelta(days=2))
    make_event(source, status=EventStatus.SIG_FAILED)

    body = api.get("/api/sources/").json()
    stats = {item["slug"]: item["stats"] for item in body["results"]}

    assert body["count"] == 3
    assert stats["busy"]["events_total"] == 4
    assert stats["busy"]["events_24h"] == 3
    assert stats["busy"]["sig_failed_24h"] == 0
    assert parse_datetime(stats["busy"]["last_event_at"]) == newest
    assert stats[source.slug]["events_total"] == 1
    assert stats[source.slug]["sig_failed_24h"] == 1
    assert stats["quiet"] == {
        "events_total": 0,
        "events_24h": 0,
        "sig_failed_24h": 0,
        "last_event_at": None,
    }


def test_it_filters_searches_and_orders_sources(api):
    make_source(name="Alpha", slug="alpha", is_active=True)
    make_source(
        name="Beta", slug="beta", is_active=False, verification_scheme="github", secret="x" * 20
    )
    make_source(name="Gamma", slug="gamma")

    def names(query: str) -> list[str]:
        return [item["name"] for item in api.get(f"/api/sources/?{query}").json()["results"]]

    assert names("is_active=false") == ["Beta"]
    assert names("verification_scheme=github") == ["Beta"]
    assert names("search=amm") == ["Gamma"]
    assert names("ordering=-name") == ["Gamma", "Beta", "Alpha"]


def test_the_all_time_count_is_right_once_beat_has_folded_old_events(api, source):
    other = make_source(slug="other")
    for owner in (source, source, other):
        make_event(owner, received_at=timezone.now() - timedelta(days=40))
    start = timezone.now()
    tallies.advance_all(start)
    tallies.advance_all(start + tallies.SETTLE + timedelta(seconds=1))
    make_event(source)  # after the mark

    listed = {s["slug"]: s["stats"] for s in api.get("/api/sources/").json()["results"]}

    assert listed["github"]["events_total"] == 3
    assert listed["other"]["events_total"] == 1
    assert api.get(f"/api/sources/{other.pk}/").json()["stats"]["events_total"] == 1
    assert MetricTally.objects.get(name="events").through_id > 0
