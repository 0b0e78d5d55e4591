"""Pause, resume and enable through the API and the admin; held counts where users look."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.api.roles import Role
from apps.core.models import Destination, OutcomeStatus, Route, Source
from tests.api.conftest import assert_error
from tests.api.factories import make_event, make_outcome
from tests.api.test_roles import client_of, offered_actions, staff_browser


@pytest.fixture
def waiting(route):
    """Two outcomes of the route waiting for a retry."""
    return [
        make_outcome(make_event(route.source), route, OutcomeStatus.RETRYING, attempt_count=1)
        for _ in range(2)
    ]


def test_pausing_a_destination_holds_its_waiting_outcomes_and_shows_it(api, route, waiting):
    response = api.post(f"/api/destinations/{route.destination_id}/pause/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["paused"], body["held_count"], body["is_active"]) == (True, 2, True)
    assert api.get(f"/api/routes/{route.pk}/").json()["held_count"] == 2
    listed = api.get("/api/destinations/").json()["results"]
    assert [(d["paused"], d["held_count"]) for d in listed] == [(True, 2)]
    assert api.get("/api/metrics/summary/").json()["held"] == 2
    held = api.get("/api/outcomes/", {"status": "held"}).json()["results"]
    assert sorted(item["id"] for item in held) == sorted(o.pk for o in waiting)


def test_resuming_a_destination_answers_how_many_it_released(api, route, waiting):
    api.post(f"/api/destinations/{route.destination_id}/pause/")

    response = api.post(f"/api/destinations/{route.destination_id}/resume/")

    body = response.json()
    assert (response.status_code, body["released"], body["paused"]) == (200, 2, False)
    assert body["held_count"] == 0
    assert api.get("/api/metrics/summary/").json()["held"] == 0


def test_a_route_pauses_and_resumes(api, route, waiting):
    paused = api.post(f"/api/routes/{route.pk}/pause/").json()
    assert (paused["paused"], paused["held_count"]) == (True, 2)

    resumed = api.post(f"/api/routes/{route.pk}/resume/").json()
    assert (resumed["paused"], resumed["released"]) == (False, 2)


def test_a_source_pauses_and_resumes(api, route, waiting):
    paused = api.post(f"/api/sources/{route.source_id}/pause/")
    assert (paused.status_code, paused.json()["paused"]) == (200, True)

    resumed = api.post(f"/api/sources/{route.source_id}/resume/").json()
    assert (resumed["paused"], resumed["released"]) == (False, 2)


def test_enabling_a_disabled_destination_clears_the_reason_and_releases(api, route, waiting):
    # As auto-disable leaves it (apps/delivery/health.py).
    Destination.objects.filter(pk=route.destination_id).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason="failed every attempt"
    )
    route.outcomes.update(status=OutcomeStatus.HELD)
    api.post(f"/api/destinations/{route.destination_id}/pause/")
    resumed = api.post(f"/api/destinations/{route.destination_id}/resume/").json()
    assert (resumed["released"], resumed["held_count"]) == (0, 2)  # still disabled

    body = api.post(f"/api/destinations/{route.destination_id}/enable/").json()

    assert (body["is_active"], body["disabled_at"], body["disabled_reason"]) == (True, None, "")
    assert (body["released"], body["held_count"]) == (2, 0)


def test_paused_is_read_only_in_a_patch(api, route):
    response = api.patch(f"/api/routes/{route.pk}/", {"paused": True}, format="json")

    assert response.status_code == 200
    assert Route.objects.get(pk=route.pk).paused is False


def test_patching_is_active_off_and_on_holds_and_releases(api, route, waiting):
    api.patch(f"/api/destinations/{route.destination_id}/", {"is_active": False}, format="json")
    assert api.get(f"/api/destinations/{route.destination_id}/").json()["held_count"] == 2

    api.patch(f"/api/destinations/{route.destination_id}/", {"is_active": True}, format="json")
    assert api.get(f"/api/destinations/{route.destination_id}/").json()["held_count"] == 0


def test_a_viewer_cannot_pause(route, waiting):
    response = client_of(Role.VIEWER).post(f"/api/destinations/{route.destination_id}/pause/")

    assert_error(response, 403, "permission_denied")
    assert Destination.objects.get(pk=route.destination_id).paused is False


def test_an_operator_may_pause_resume_and_enable(route, waiting):
    operator = client_of(Role.OPERATOR)
    for path in ("pause", "resume", "enable"):
        response = operator.post(f"/api/destinations/{route.destination_id}/{path}/")
        assert response.status_code == 200, (path, response.content)


def test_pausing_an_unknown_route_answers_not_found(api, db):
    assert_error(api.post("/api/routes/999999/pause/"), 404, "not_found")


# --- the admin ---


def test_an_operator_pauses_and_resumes_in_the_admin(route, waiting):
    browser = staff_browser(Role.OPERATOR)
    assert {"pause", "resume", "enable"} <= offered_actions(browser, "/admin/core/destination/")
    assert {"pause", "resume"} <= offered_actions(browser, "/admin/core/route/")
    assert {"pause", "resume"} <= offered_actions(browser, "/admin/core/source/")

    browser.post(
        "/admin/core/destination/", {"action": "pause", "_selected_action": [route.destination_id]}
    )
    assert Destination.objects.get(pk=route.destination_id).paused is True
    assert route.outcomes.filter(status=OutcomeStatus.HELD).count() == 2

    browser.post(
        "/admin/core/destination/", {"action": "resume", "_selected_action": [route.destination_id]}
    )
    assert route.outcomes.filter(status=OutcomeStatus.RETRYING).count() == 2


def test_a_viewer_cannot_pause_in_the_admin(route):
    browser = staff_browser(Role.VIEWER)
    assert offered_actions(browser, "/admin/core/source/") == set()

    browser.post("/admin/core/source/", {"action": "pause", "_selected_action": [route.source_id]})

    assert Source.objects.get(pk=route.source_id).paused is False
