"""`make run`: prepare and start the whole gateway in the foreground.

Embedded profile (no DATABASE_URL/REDIS_URL): the bundled Redis and SQLite under var/.
Then: migrate, collect static files, create the admin user from DJANGO_SUPERUSER_*,
and run Redis (if embedded), gunicorn, the stream process of `relaycore listen`, a
Celery worker and Beat under honcho, which stops them all on Ctrl-C or SIGTERM, or
when any one of them exits: Redis last, after the worker's warm shutdown
(relaycore/supervisor.py). A requested stop exits 0, and so does `make run` after
Ctrl-C (see take_the_terminal).
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaycore.settings")


class WeakPassword(SystemExit):
    """DJANGO_SUPERUSER_PASSWORD fails the password validators: start-up stops."""


def create_superuser_from_env() -> None:
    """Create the admin named by DJANGO_SUPERUSER_USERNAME/_PASSWORD once, if both are set.
    The password must pass AUTH_PASSWORD_VALIDATORS, like one typed in the admin."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    username = os.environ.get("DJANGO_SUPERUSER_USERNAME")
    password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
    users = get_user_model().objects
    if username and password and not users.filter(username=username).exists():
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        try:
            validate_password(password, users.model(username=username, email=email))
        except ValidationError as error:
            reasons = " ".join(error.messages)
            raise WeakPassword(
                f"DJANGO_SUPERUSER_PASSWORD is too weak, so {username!r} was not created: "
                f"{reasons} Choose another and start again."
            ) from None
        users.create_superuser(username, email, password)
        print(f"created admin user {username!r}")
    elif not users.filter(is_superuser=True).exists():
        print(
            "no admin user yet: run `.venv/bin/python manage.py createsuperuser`, or start with\n"
            "  DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_PASSWORD=... make run"
        )


def prepare() -> None:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    create_superuser_from_env()
    profile = "embedded (SQLite + bundled Redis under var/)"
    if not settings.EMBEDDED_DATABASE:
        profile = "production (DATABASE_URL + REDIS_URL)"
    print(f"RelayCore on http://127.0.0.1:{settings.PORT}/  profile: {profile}")
    read = settings.ENV_FILE
    print(f"settings: the environment and {read}" if read else "settings: the environment")


def processes() -> dict[str, str]:
    from django.conf import settings

    bin_dir = Path(sys.executable).parent
    celery = f"{bin_dir / 'celery'} -A relaycore"
    found = {}
    if settings.EMBEDDED_REDIS:
        from relaycore import embedded

        conf = settings.VAR_DIR / "redis" / "redis.conf"
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text(embedded.redis_config(conf.parent, settings.EMBEDDED_REDIS_PORT))
        found["redis"] = f"{embedded.REDIS_SERVER} {conf}"
    found["web"] = f"{bin_dir / 'gunicorn'} relaycore.wsgi --config python:relaycore.gunicorn_conf"
    found["stream"] = f"{sys.executable} -m relaycore.stream"  # relaycore listen's SSE
    found["worker"] = f"{celery} worker -l info"
    found["beat"] = f"{celery} beat -l info -s {settings.VAR_DIR / 'celerybeat-schedule'}"
    return found


def process_env(name: str) -> dict[str, str] | None:
    """The web process offers listeners the stream started beside it, unless
    LISTEN_STREAM_URL names another (a proxy in front, say)."""
    from django.conf import settings

    if name != "web" or settings.LISTEN_STREAM_URL:
        return None
    return {**os.environ, "LISTEN_STREAM_URL": f"http://127.0.0.1:{settings.STREAM_PORT}"}


def take_the_terminal() -> None:
    """Become the terminal's foreground process group, so that Ctrl-C reaches this
    supervisor and not `make` above it: make, interrupted itself, would print
    "*** [run] Interrupt" and exit 130 whatever the stop; this way `make run` ends with
    the supervisor's code (0 for Ctrl-C). The terminal goes back to make's group at exit.
    Without a terminal (CI, a service manager, `&`) nothing changes."""
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return
    try:
        before = os.tcgetpgrp(tty)
        if before != os.getpgrp() or os.getpid() == os.getsid(0):
            return  # in the background, or already a session of its own
        os.setpgid(0, 0)
        _hand_terminal(tty, os.getpgrp())
    except OSError:
        os.close(tty)
        return
    atexit.register(lambda: _hand_terminal(tty, before))


def _hand_terminal(tty: int, group: int) -> None:
    # A background group may set the terminal's foreground only with SIGTTOU ignored.
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(tty, group)
    except OSError:
        pass  # that group is gone (make was killed): the shell takes the terminal back
    finally:
        signal.signal(signal.SIGTTOU, previous)


def main() -> int:
    take_the_terminal()
    django.setup()
    from django.conf import settings

    from relaycore import embedded
    from relaycore.supervisor import OrderedManager

    prepare()
    manager = OrderedManager(last=("redis",))
    for name, command in processes().items():
        if name == "redis" and embedded.is_up(settings.EMBEDDED_REDIS_PORT):
            print(f"Redis already answers on port {settings.EMBEDDED_REDIS_PORT}; using it")
            continue
        manager.add_process(name, command, cwd=str(ROOT), env=process_env(name))
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
