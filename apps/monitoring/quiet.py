"""Logging filters that keep routine lines out of INFO, so an idle gateway is quiet.

- Celery writes "Task ... received" and "Task ... succeeded" for every task, and Beat
  "Scheduler: Sending due task" for every tick: a few lines every few seconds while
  nothing happens. They are kept only at LOG_LEVEL=DEBUG; failures and retries, at
  WARNING and above, always pass.
- Django writes a `WARNING django.request` line for every 4xx answer. On the webhook
  path a 4xx is a refusal the ingest view has logged already, once and structured
  (`ingest.refused`, `ingest.signature.failed`), so Django's copy is dropped there;
  a 5xx still passes.
"""

from __future__ import annotations

import logging

from django.conf import settings

# (logger name, how the routine message starts): Celery 5's own format strings.
ROUTINE = {
    "celery.worker.strategy": ("Task %(name)s[%(id)s] received",),
    "celery.app.trace": ("Task %(name)s[%(id)s] succeeded",),
    "celery.beat": ("Scheduler: Sending due task",),
}


def _debugging() -> bool:
    return getattr(settings, "LOG_LEVEL", "INFO") == "DEBUG"


class RoutineTaskLines(logging.Filter):
    """Drops the routine INFO lines of ROUTINE unless LOG_LEVEL is DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or _debugging():
            return True
        starts = ROUTINE.get(record.name, ())
        return not (isinstance(record.msg, str) and record.msg.startswith(starts))


class WebhookRefusals(logging.Filter):
    """Drops django.request's line for a 4xx answer on the webhook path."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if not isinstance(status, int) or not 400 <= status < 500 or request is None:
            return True
        path = getattr(request, "path_info", "") or ""
        # Only where the ingest view answered (and logged): a path under the prefix
        # that resolves to no view keeps Django's line.
        answered = getattr(request, "resolver_match", None) is not None
        return not (answered and path.startswith(tuple(settings.FAST_PATH_PREFIXES)))
