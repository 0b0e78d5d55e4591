"""An issue's actions from the admin and from `manage.py issues`, on stored rows (the
grouping itself is tests/api/test_issues.py, through real deliveries)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.core import storage
from apps.core.models import (
    Attempt,
    Event,
    EventStatus,
    Issue,
    IssueStatus,
    Outcome,
    OutcomeStatus,
)
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue() -> Issue:
    """A dead letter whose last attempt was answered 500, counted into its issue."""
    source = make_source(slug="s")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="Ledger"))
    event = Event.objects.create(source=source, body=b"{}", payload={}, status=EventStatus.ROUTED)
    outcome = Outcome.objects.create(
        event=event,
        route=route,
        destination=route.destination,
        status=OutcomeStatus.DEAD_LETTERED,
        attempt_count=1,
        last_error="HTTP 500",
    )
    now = timezone.now()
    Attempt.objects.create(
        outcome=outcome,
        number=1,
        started_at=now,
        duration_ms=3.0,
        status_code=500,
        error="HTTP 500 Internal Server Error",
        error_kind="http_5xx",
    )
    storage.upsert_issues({(route.destination_id, "http_5xx"): (1, "HTTP 500", 500)}, now)
    return Issue.objects.get()


def run(*args: str) -> str:
    out = StringIO()
    call_command("issues", *args, stdout=out)
    return out.getvalue()


def test_the_admin_acknowledges_and_resolves_issues_naming_who_did(admin_client, issue):
    page = admin_client.post(
        "/admin/core/issue/",
        {"action": "acknowledge", "_selected_action": [issue.pk]},
        follow=True,
    )
    assert "1 issue(s) acknowledged." in page.content.decode()
    issue.refresh_from_db()
    assert (issue.status, issue.acknowledged_by) == (IssueStatus.ACKNOWLEDGED, "admin")

    admin_client.post("/admin/core/issue/", {"action": "resolve", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert (issue.status, issue.resolved_by) == (IssueStatus.RESOLVED, "admin")


def test_the_admin_replays_an_issues_dead_letters(
    admin_client, issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        page = admin_client.post(
            "/admin/core/issue/",
            {"action": "replay_dead_letters", "_selected_action": [issue.pk]},
            follow=True,
        )

    assert "1 dead letters queued for replay." in page.content.decode()
    assert Outcome.objects.get().status == OutcomeStatus.PENDING
    assert len(callbacks) == 1  # the delivery task, published after the commit


def test_the_command_lists_issues_and_acts_on_one(issue, django_capture_on_commit_callbacks):
    listed = run("--status", "open")
    assert f"{issue.pk}" in listed and "http_5xx" in listed and "Ledger: HTTP 500" in listed
    assert run("--kind", "timeout") == ""

    assert run("--acknowledge", str(issue.pk), "--by", "oncall") == (
        f"issue {issue.pk} is acknowledged\n"
    )
    assert Issue.objects.get().acknowledged_by == "oncall"
    with django_capture_on_commit_callbacks():
        assert run("--replay", str(issue.pk)) == f"queued 1 dead letters of issue {issue.pk}\n"
    assert run("--resolve", str(issue.pk)) == f"issue {issue.pk} is resolved\n"


def test_the_command_refuses_to_acknowledge_a_resolved_issue_or_an_unknown_one(issue):
    run("--resolve", str(issue.pk))

    with pytest.raises(CommandError, match="resolved"):
        run("--acknowledge", str(issue.pk))
    with pytest.raises(CommandError, match="no issue 999"):
        run("--resolve", "999")
