"""Container health checks: `python deploy/healthcheck.py web|worker|beat|stream`.

web     GET /healthz on this container's gunicorn (database and Redis answer).
stream  GET /healthz on this container's stream process (it answers).
worker  this container's Celery worker answers a ping through the broker.
beat    Beat recorded a run of one of its periodic tasks in the last
        BEAT_HEALTH_MAX_AGE seconds (600 by default; Beat saves every 3 minutes).

Exit status 0 is healthy, 1 is not; one line on stdout says why.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request


def check_web() -> str | None:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz")
    # Django refuses a Host it does not serve: use the first one it does.
    request.add_header("Host", _served_host())
    # /healthz is exempt from the HTTPS redirect, but say we came over TLS all the same.
    request.add_header("X-Forwarded-Proto", "https")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        return f"web: {exc.__class__.__name__}: {exc}"
    return None if status == 200 else f"web: /healthz answered {status}"


def check_stream() -> str | None:
    port = os.environ.get("STREAM_PORT", "8001")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        return f"stream: {exc.__class__.__name__}: {exc}"
    return None if status == 200 else f"stream: /healthz answered {status}"


def check_worker() -> str | None:
    sys.path.insert(0, os.getcwd())
    from relaycore.celery import app

    node = f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=5)
    return None if replies else f"worker: {node} did not answer a ping"


def check_beat() -> str | None:
    import django

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaycore.settings")
    django.setup()
    from datetime import timedelta

    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    max_age = float(os.environ.get("BEAT_HEALTH_MAX_AGE", "600"))
    since = timezone.now() - timedelta(seconds=max_age)
    if PeriodicTask.objects.filter(last_run_at__gte=since).exists():
        return None
    return f"beat: no periodic task ran in the last {max_age:.0f} s"


def _served_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "localhost").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


CHECKS = {"web": check_web, "worker": check_worker, "beat": check_beat, "stream": check_stream}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] not in CHECKS:
        print(f"usage: {argv[0]} {'|'.join(CHECKS)}")
        return 2
    try:
        problem = CHECKS[argv[1]]()
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy", with its reason
        problem = f"{argv[1]}: {exc.__class__.__name__}: {exc}"
    print(problem or f"{argv[1]}: ok")
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
