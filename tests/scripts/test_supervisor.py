"""relaycore.supervisor with small real processes: the order of a stop, and its exit code."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time

import pytest
from honcho.printer import Printer

from relaycore.supervisor import OrderedManager

pytestmark = pytest.mark.profile_independent  # small processes of its own, no database

# Writes when it gets SIGTERM, takes a moment as a warm shutdown does, then exits 0.
SLOW_STOP = (
    f'{sys.executable} -c "import signal, sys, time; '
    "signal.signal(signal.SIGTERM, lambda *a: (print('{name} shutting down', flush=True), "
    "time.sleep({delay}), sys.exit(0))); print('{name} up', flush=True); time.sleep(60)\""
)


@pytest.fixture
def manager():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    output = io.StringIO()
    supervisor = OrderedManager(last=("redis",), printer=Printer(output, colour=False))
    yield supervisor, output
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def lines(output: io.StringIO) -> list[str]:
    return output.getvalue().splitlines()


def where(found: list[str], text: str) -> int:
    return next(i for i, line in enumerate(found) if text in line)


def test_a_process_that_exits_by_itself_stops_the_rest_redis_last_and_gives_its_code(manager):
    supervisor, output = manager
    supervisor.add_process("redis", SLOW_STOP.format(name="redis", delay=0))
    supervisor.add_process("worker", SLOW_STOP.format(name="worker", delay=1))
    supervisor.add_process("web", f'{sys.executable} -c "import time; time.sleep(1.5); exit(3)"')

    supervisor.loop()

    found = lines(output)
    assert supervisor.returncode == 3
    assert where(found, "worker stopped") < where(found, "sending SIGTERM to redis")
    assert where(found, "worker shutting down") < where(found, "redis shutting down")


def test_a_signal_stops_everything_in_order_with_exit_code_0(manager):
    supervisor, output = manager
    supervisor.add_process("redis", SLOW_STOP.format(name="redis", delay=0))
    supervisor.add_process("worker", SLOW_STOP.format(name="worker", delay=1))
    threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGTERM)).start()

    started = time.monotonic()
    supervisor.loop()

    found = lines(output)
    assert supervisor.returncode == 0
    assert where(found, "SIGTERM received") < where(found, "worker shutting down")
    assert where(found, "worker stopped") < where(found, "redis shutting down")
    assert time.monotonic() - started < 20


def test_each_command_runs_as_the_supervisors_own_child_with_no_shell_between(manager):
    # The pid the supervisor signals is the server's own, and its parent is the
    # supervisor: no forked copy of the supervisor, no waiting shell in between.
    supervisor, output = manager
    report = "import os; print('pid', os.getpid(), 'parent', os.getppid(), flush=True)"
    supervisor.add_process("web", f'{sys.executable} -c "{report}"')

    supervisor.loop()

    found = lines(output)
    started = found[where(found, "web started")].split("pid=")[1].rstrip(")")
    printed = found[where(found, "parent")].split()
    assert printed[-3:] == [started, "parent", str(os.getpid())]
