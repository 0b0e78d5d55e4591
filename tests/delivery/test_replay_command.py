"""`manage.py replay`: clear errors for a bad --since or an unknown name, times ago, and
a dry run that lists what it would replay."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.core.models import Event, EventStatus, Outcome, OutcomeStatus
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def dead_letters():
    source = make_source(slug="gh")
    route = make_route(source, make_destination("http://127.0.0.1:9/", name="sink"))
    made = []
    for age in (timedelta(days=3), timedelta(minutes=30)):
        event = Event.objects.create(
            source=source, body=b"{}", payload={}, status=EventStatus.ROUTED
        )
        outcome = Outcome.objects.create(
            event=event,
            route=route,
            destination=route.destination,
            status=OutcomeStatus.DEAD_LETTERED,
        )
        Outcome.objects.filter(pk=outcome.pk).update(created_at=timezone.now() - age)
        made.append(outcome)
    return made


def replay(*args: str) -> str:
    out = StringIO()
    call_command("replay", *args, stdout=out)
    return out.getvalue()


def test_a_since_it_cannot_read_is_a_clear_error_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "replay", "--since", "yesterday"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "--since: 'yesterday' is neither a time ago (30m, 2h, 1d, 1w)" in result.stderr


@pytest.mark.parametrize("since", ["2h", "1d", "90m"])
def test_since_takes_a_time_ago(dead_letters, since, django_capture_on_commit_callbacks):
    old, recent = dead_letters
    with django_capture_on_commit_callbacks(execute=False):
        assert "queued 1 outcomes" in replay("--since", since)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (OutcomeStatus.DEAD_LETTERED, OutcomeStatus.PENDING)


def test_since_takes_an_iso_date(dead_letters):
    day = (timezone.now() - timedelta(days=10)).date().isoformat()
    assert "would replay 2 outcomes" in replay("--since", day, "--dry-run")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "nosuch"), "unknown source 'nosuch'"),
        (("--destination", "nowhere"), "unknown destination 'nowhere'"),
        (("--event", "999999"), "unknown event 999999"),
    ],
)
def test_a_filter_naming_nothing_is_an_error_not_zero_replayed(dead_letters, args, message):
    with pytest.raises(CommandError, match=message):
        replay(*args)

    assert set(Outcome.objects.values_list("status", flat=True)) == {OutcomeStatus.DEAD_LETTERED}


def test_a_dry_run_lists_each_outcome_it_would_replay_and_queues_nothing(dead_letters):
    old, recent = dead_letters

    output = replay("--source", "gh", "--dry-run")

    lines = output.splitlines()
    assert lines[0] == "would replay 2 outcomes"
    assert lines[1].startswith(
        f"  outcome {old.pk}  event {old.event_id}  dead_lettered  gh -> sink"
    )
    assert lines[2].startswith(f"  outcome {recent.pk}  event {recent.event_id}  dead_lettered")
    assert set(Outcome.objects.values_list("status", flat=True)) == {OutcomeStatus.DEAD_LETTERED}
