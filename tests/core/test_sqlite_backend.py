"""relaycore.sqlite: threads of one process queue for the write lock, and every way a
transaction ends gives the lock back.

Each test runs a script in a process of its own on the embedded profile (a SQLite file
in a temporary var dir), whatever profile this test run uses: threads there write with
real connections, and a lock never given back would hang the next writer until its
timeout, which the script turns into a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PRELUDE = """
import os, threading, time
os.environ["DJANGO_SETTINGS_MODULE"] = "relaycore.settings"
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
settings.DATABASES["default"]["OPTIONS"]["timeout"] = 2  # a lock kept fails in 2 s
call_command("migrate", "core", verbosity=0)
from apps.core.models import Source

def in_thread(work):
    errors = []
    def run():
        try:
            work()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    return errors
"""


def run_embedded(script: str, tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(RELAYCORE_VAR_DIR=str(tmp_path), RELAYCORE_ENV_FILE="")
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_concurrent_writers_of_one_process_all_commit(tmp_path):
    out = run_embedded(
        """
def write(i):
    for n in range(20):
        with transaction.atomic():
            Source.objects.create(name=f"s{i}-{n}", slug=f"s{i}-{n}")
errors = []
threads = [threading.Thread(target=lambda i=i: errors.extend(in_thread(lambda: write(i))))
           for i in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(connection.vendor, Source.objects.count(), errors)
""",
        tmp_path,
    )
    assert out.split()[0] == "sqlite"
    assert out.strip().endswith("160 []")


def test_a_rolled_back_or_closed_transaction_gives_the_lock_back(tmp_path):
    out = run_embedded(
        """
class Boom(Exception):
    pass
try:
    with transaction.atomic():
        Source.objects.create(name="gone", slug="gone")
        raise Boom
except Boom:
    pass
print("after rollback", in_thread(lambda: Source.objects.create(name="a", slug="a")))
with transaction.atomic():
    Source.objects.filter(slug="a").update(name="b")
    connection.close()  # mid-transaction, as apps/core/reconnect.py does on a dropped one
def atomic_create():
    with transaction.atomic():
        Source.objects.create(name="c", slug="c")
print("after close", in_thread(atomic_create))
print(sorted(Source.objects.values_list("slug", flat=True)))
""",
        tmp_path,
    )
    assert "after rollback []" in out
    assert "after close []" in out
    assert "['a', 'c']" in out


def test_a_writer_that_waits_too_long_fails_instead_of_hanging(tmp_path):
    out = run_embedded(
        """
held = threading.Event()
release = threading.Event()
def hold():
    with transaction.atomic():
        Source.objects.create(name="h", slug="h")
        held.set()
        release.wait(10)
holder = threading.Thread(target=lambda: in_thread(hold))
holder.start()
held.wait(10)
started = time.monotonic()
def wait_for_lock():
    with transaction.atomic():
        Source.objects.create(name="w", slug="w")
errors = in_thread(wait_for_lock)
waited = time.monotonic() - started
release.set()
holder.join()
print(round(waited), errors)
""",
        tmp_path,
    )
    waited, errors = out.split(" ", 1)
    assert int(waited) == 2
    assert "OperationalError" in errors and "locked" in errors
