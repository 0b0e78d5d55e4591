"""Every task name the code publishes or Beat schedules is one a worker has registered."""

from __future__ import annotations

from django.conf import settings

import apps.delivery.tasks  # noqa: F401 - registers the delivery tasks
import apps.monitoring.tasks  # noqa: F401 - registers the monitoring tasks
from apps.core import task_names
from relaycore.celery import app

NAMES = {value for key, value in vars(task_names).items() if key.isupper()}


def test_every_task_name_is_registered_by_a_worker():
    assert NAMES - set(app.tasks) == set()


def test_beat_schedules_only_registered_tasks():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= NAMES
    assert scheduled <= set(app.tasks)


def test_no_task_is_registered_under_a_name_the_constants_do_not_know():
    ours = {name for name in app.tasks if name.startswith("apps.")}
    assert ours == NAMES
