"""The admin's replay and re-route actions, through the real admin views."""

from __future__ import annotations

import re

import pytest

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus, Replay, ReplayVia
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_letter():
    source = make_source(slug="s")
    route = make_route(source, make_destination("http://127.0.0.1:9/"))
    event = Event.objects.create(source=source, body=b"{}", payload={}, status=EventStatus.ROUTED)
    return Outcome.objects.create(
        event=event,
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DEAD_LETTERED,
        attempt_count=6,
        last_error="HTTP 500",
    )


def test_replay_action_queues_dead_letters_for_a_fresh_series(
    admin_client, dead_letter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            "/admin/core/outcome/",
            {"action": "replay", "_selected_action": [dead_letter.pk]},
            follow=True,
        )

    assert "1 outcomes queued for replay" in response.content.decode()
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutcomeStatus.PENDING
    assert dead_letter.attempt_count == 0
    assert len(callbacks) == 1


def test_it_counts_replayed_dead_letters_right_on_a_list_filtered_to_dead_letters(
    admin_client, dead_letter
):
    response = admin_client.post(
        "/admin/core/outcome/?status__exact=dead_lettered",
        {"action": "replay", "_selected_action": [dead_letter.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "1 outcomes queued for replay." in page
    assert "skipped" not in page


def test_an_admin_replay_is_recorded_with_its_user_and_shown_on_the_outcome_page(
    admin_client, admin_user, dead_letter
):
    Outcome.objects.filter(pk=dead_letter.pk).update(total_attempts=6)

    admin_client.post(
        "/admin/core/outcome/", {"action": "replay", "_selected_action": [dead_letter.pk]}
    )

    replay = Replay.objects.get(outcome=dead_letter)
    assert (replay.requested_by, replay.via, replay.first_attempt) == (
        admin_user.username,
        ReplayVia.ADMIN,
        7,
    )
    page = admin_client.get(f"/admin/core/outcome/{dead_letter.pk}/change/").content.decode()
    # The outcome's replays, one row: where it came from and the attempt it starts at.
    assert re.search(r'class="field-via">\s*<p>the admin</p>', page)
    assert re.search(r'class="field-first_attempt">\s*<p>7</p>', page)


def test_an_outcome_in_flight_is_not_replayed(admin_client, dead_letter):
    Outcome.objects.filter(pk=dead_letter.pk).update(status=OutcomeStatus.DELIVERING)
    response = admin_client.post(
        "/admin/core/outcome/",
        {"action": "replay", "_selected_action": [dead_letter.pk]},
        follow=True,
    )
    assert "0 outcomes queued" in response.content.decode()
    assert "1 skipped" in response.content.decode()


def test_reroute_adds_outcomes_for_routes_created_since(admin_client, dead_letter):
    event = dead_letter.event
    make_route(event.source, make_destination("http://127.0.0.1:8/"), name="added later")

    response = admin_client.post(
        "/admin/core/event/",
        {"action": "reroute", "_selected_action": [event.pk]},
        follow=True,
    )

    assert "2 deliveries queued" in response.content.decode()
    assert event.outcomes.count() == 2
    assert set(event.outcomes.values_list("status", flat=True)) == {OutcomeStatus.PENDING}


def test_the_replay_action_skips_outcomes_of_refused_events_and_says_why(admin_client, dead_letter):
    Event.objects.filter(pk=dead_letter.event_id).update(status=EventStatus.SIG_FAILED)

    response = admin_client.post(
        "/admin/core/outcome/",
        {"action": "replay", "_selected_action": [dead_letter.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "0 outcomes queued for replay." in page
    assert "1 outcome(s) skipped: their events were refused at ingest" in page
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutcomeStatus.DEAD_LETTERED


def test_the_reroute_action_skips_refused_events_and_says_why(admin_client, dead_letter):
    duplicate = Event.objects.create(
        source=dead_letter.event.source, body=b"{}", payload={}, status=EventStatus.DUPLICATE
    )

    response = admin_client.post(
        "/admin/core/event/",
        {"action": "reroute", "_selected_action": [duplicate.pk, dead_letter.event_id]},
        follow=True,
    )

    page = response.content.decode()
    assert "1 deliveries queued" in page
    assert "1 event(s) skipped: refused at ingest" in page
    assert not duplicate.outcomes.exists()
    duplicate.refresh_from_db()
    assert duplicate.status == EventStatus.DUPLICATE


def test_events_are_read_only_in_the_admin(admin_client, dead_letter):
    page = admin_client.get(f"/admin/core/event/{dead_letter.event_id}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_an_events_admin_page_shows_each_routes_verdict(admin_client):
    source = make_source(slug="verdicts")
    route = make_route(source, make_destination("http://127.0.0.1:9/"), name="main only")
    reason = 'condition 1 failed: $.ref was "dev", expected equals "main"'
    event = Event.objects.create(
        source=source,
        body=b"{}",
        status=EventStatus.FILTERED,
        routing=[{"route": route.pk, "matched": False, "code": "condition", "reason": reason}],
    )

    page = admin_client.get(f"/admin/core/event/{event.pk}/change/").content.decode()

    assert "main only: condition 1 failed: $.ref was &quot;dev&quot;" in page


def test_the_replay_command_filters_by_source_and_status(dead_letter):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    with pytest.raises(CommandError, match="at least one filter"):
        call_command("replay", stdout=out)
    with pytest.raises(CommandError, match="--include-delivered"):
        call_command("replay", "--source", "s", "--status", "delivered", stdout=out)
    make_source(slug="other")
    call_command("replay", "--source", "other", stdout=out)
    assert "queued 0" in out.getvalue()
    call_command("replay", "--status", "dead_lettered", "--source", "s", stdout=out)
    assert "queued 1" in out.getvalue()


@pytest.mark.parametrize(
    "page",
    [
        "/admin/core/source/",
        "/admin/core/destination/",
        "/admin/core/route/",
        "/admin/core/event/",
        "/admin/core/outcome/",
        "/admin/core/attempt/",
        "/admin/core/metricpoint/",
        "/admin/core/source/add/",
        "/admin/core/destination/add/",
        "/admin/core/route/add/",
    ],
)
def test_every_admin_page_renders(admin_client, dead_letter, page):
    assert admin_client.get(page).status_code == 200
