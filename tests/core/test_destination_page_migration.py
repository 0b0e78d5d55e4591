"""Migration 0015_destination_page: attempts recorded before attempts named their
destination get it from their outcome, so a destination's figures count them too."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations import RunSQL

from apps.core.models import Attempt, OutcomeStatus
from tests.api.factories import make_attempt, make_event, make_outcome
from tests.factories import make_destination, make_route, make_source

pytestmark = pytest.mark.django_db
migration = importlib.import_module("apps.core.migrations.0015_destination_page").Migration


def test_attempts_recorded_before_the_column_get_their_outcomes_destination():
    source = make_source()
    first = make_route(source, make_destination("http://127.0.0.1:9/a", name="a"))
    second = make_route(source, make_destination("http://127.0.0.1:9/b", name="b"))
    for route in (first, second):
        make_attempt(make_outcome(make_event(source), route, OutcomeStatus.DELIVERED), 1, 200)
    Attempt.objects.update(destination=None)  # as the rows were before the migration
    [backfill] = [op for op in migration.operations if isinstance(op, RunSQL)]

    with connection.cursor() as cursor:
        cursor.execute(backfill.sql)

    named = {a.destination_id for a in Attempt.objects.select_related("outcome")}
    assert named == {first.destination_id, second.destination_id}
    assert all(a.destination_id == a.outcome.destination_id for a in Attempt.objects.all())
