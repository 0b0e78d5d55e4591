"""`make run`: prepare and start the whole gateway in the foreground.

Embedded profile (no DATABASE_URL/REDIS_URL): the bundled Redis and SQLite under var/.
Then: migrate, collect static files, create the admin user from DJANGO_SUPERUSER_*,
and run Redis (if embedded), gunicorn, the stream process of `relaycore listen` and a
Celery worker with Beat in a thread of it under honcho, which stops them all on Ctrl-C
or SIGTERM, or when any one of them exits: Redis last, after the worker's warm shutdown
(relaycore/supervisor.py). A requested stop exits 0, and so does `make run` after
Ctrl-C (see take_the_terminal).
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

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
    if settings.RUN_STREAM:
        found["stream"] = f"{sys.executable} -m relaycore.stream"  # relaycore listen's SSE
    # Beat in a thread of the one worker (relaycore/beat_thread.py): a process fewer.
    schedule = settings.VAR_DIR / "celerybeat-schedule"
    found["worker"] = f"{celery} worker --beat-thread -l info -s {schedule}"
    return found


def environments() -> dict[str, dict[str, str]]:
    """Settings a process gets beyond the supervisor's environment: the web process
    offers listeners the stream started beside it, unless LISTEN_STREAM_URL names
    another (a proxy in front, say)."""
    from django.conf import settings

    if settings.LISTEN_STREAM_URL or not settings.RUN_STREAM:
        return {}
    return {"web": {"LISTEN_STREAM_URL": f"http://127.0.0.1:{settings.STREAM_PORT}"}}


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


def prepare_and_describe(table: Path) -> None:
    """The child's part: prepare, then write the processes to start into `table`."""
    import django

    django.setup()
    from django.conf import settings

    from relaycore import embedded

    prepare()
    found = processes()
    if "redis" in found and embedded.is_up(settings.EMBEDDED_REDIS_PORT):
        print(f"Redis already answers on port {settings.EMBEDDED_REDIS_PORT}; using it")
        del found["redis"]
    table.write_text(json.dumps({"processes": found, "environments": environments()}))


def main() -> int:
    if sys.argv[1:2] == ["--prepare"]:
        prepare_and_describe(Path(sys.argv[2]))
        return 0
    take_the_terminal()
    # Migrations, static files and the admin user load all of Django: done in a child,
    # so the supervisor, which runs as long as the gateway, does not hold that memory
    # (about 100 MB of PSS).
    with tempfile.TemporaryDirectory(prefix="relaycore-run-") as tmp:
        table = Path(tmp) / "processes.json"
        prepared = subprocess.run([sys.executable, __file__, "--prepare", str(table)])
        if prepared.returncode:
            return prepared.returncode
        described = json.loads(table.read_text())
    found, extra_env = described["processes"], described["environments"]
    from relaycore.supervisor import OrderedManager

    # glibc gives threads that allocate at once arenas of their own, up to 8 per core,
    # and memory freed in one serves no other: with 2 the stack held 8 MB less after
    # 1,500 events (docs/performance.md). A value already in the environment wins.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    manager = OrderedManager(last=("redis",))
    for name, command in found.items():
        extra = extra_env.get(name)
        manager.add_process(
            name, command, cwd=str(ROOT), env={**os.environ, **extra} if extra else None
        )
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
