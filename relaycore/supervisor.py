"""The process supervisor of `make run`: honcho's Manager, stopping in order.

honcho sends SIGTERM to every process at once. The bundled Redis then went first, while
the Celery worker was still in its warm shutdown (finishing tasks, handing unfinished
messages back to the broker), and the run ended with SIGTERM's 143, which `make`
reported as an error. Here a Ctrl-C or SIGTERM stops the others first (web, worker,
Beat), waits for all of them to exit (up to STOP_WAIT_SECONDS, then SIGKILL), then
stops Redis, and answers 0. When a process exits by itself the others are stopped the
same way and its exit code is the answer.

honcho forks a copy of its own Python process to watch each child; here a thread does
(four copies of the supervisor were about 90 MB of PSS), and each command is exec'd by
its shell, so nothing stands between the supervisor and the server.
"""

from __future__ import annotations

import datetime
import queue
import signal
import threading

from honcho.manager import SIGNALS, Manager

# A worker's warm shutdown waits for its running deliveries, each bounded by its
# destination's timeout; past this it is killed (its tasks are acknowledged late, so
# the broker hands them out again).
STOP_WAIT_SECONDS = 60.0
LAST_STOP_WAIT_SECONDS = 10.0


class OrderedManager(Manager):
    """Stops the processes in two waves: all but `last`, then `last`."""

    def __init__(self, last: tuple[str, ...] = ("redis",), printer=None) -> None:
        super().__init__(printer)
        self.events = queue.Queue()  # threads, not processes, put into it (see _start)
        self.last = last
        self.requested = False  # a signal asked for the stop
        self._wave: list[str] = []  # the processes being stopped now
        self._wave_started: datetime.datetime | None = None
        self._signalled: set[str] = set()
        self._first_exit: int | None = None

    def loop(self) -> None:
        def on_signal(signum, frame) -> None:
            self._system_print(f"{SIGNALS[signum]['name']} received\n")
            self.requested = True
            self.terminate()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self._start()
        while not (self._all_started() and self._all_stopped()):
            self._handle_one_message()
            if self._all_started() and self._any_stopped():
                self.terminate()
            if self._terminating:
                self._advance()
        self._drain()
        self.returncode = 0 if self.requested else (self._first_exit or 0)

    def add_process(self, name, cmd, quiet=False, env=None, cwd=None):
        # `exec`: the shell honcho starts replaces itself with the command (dash keeps
        # waiting beside it otherwise), so its pid is the server's and signals reach it.
        return super().add_process(name, f"exec {cmd}", quiet=quiet, env=env, cwd=cwd)

    def _start(self) -> None:
        for name, entry in self._processes.items():
            # A thread reads the child's output into the queue, as honcho's forked
            # watcher would; it cannot ignore signals (only the main thread gets them).
            watcher = threading.Thread(
                target=entry["obj"].run, args=(self.events, False), name=name, daemon=True
            )
            entry["process"] = watcher
            watcher.start()

    def terminate(self) -> None:
        if self._terminating:
            return
        self._terminating = True
        self._begin_wave([name for name in self._processes if name not in self.last])

    def _handle_one_message(self) -> None:
        try:
            msg = self.events.get(timeout=0.1)
        except queue.Empty:
            return
        if msg.type == "line":
            self._printer.write(msg)
        elif msg.type == "start":
            self._processes[msg.name]["pid"] = msg.data["pid"]
            self._system_print(f"{msg.name} started (pid={msg.data['pid']})\n")
        elif msg.type == "stop":
            code = msg.data["returncode"]
            self._processes[msg.name]["returncode"] = code
            self._system_print(f"{msg.name} stopped (rc={code})\n")
            if self._first_exit is None:
                self._first_exit = code

    def _begin_wave(self, names: list[str]) -> None:
        self._wave = names
        self._wave_started = self._clock.now()

    def _advance(self) -> None:
        """Signal the wave's processes (also those that started since), move on to the
        last ones once the wave has exited, and kill a wave that overstays."""
        running = [name for name in self._wave if "returncode" not in self._processes[name]]
        for name in running:
            pid = self._processes[name].get("pid")
            if pid is not None and name not in self._signalled:
                self._system_print(f"sending SIGTERM to {name} (pid {pid})\n")
                self._procmgr.terminate(pid)
                self._signalled.add(name)
        if not running:
            left = [name for name in self.last if name in self._processes]
            if self._wave != left:
                self._begin_wave(left)
            return
        limit = LAST_STOP_WAIT_SECONDS if self._wave == list(self.last) else STOP_WAIT_SECONDS
        if self._clock.now() - self._wave_started > datetime.timedelta(seconds=limit):
            for name in running:
                pid = self._processes[name].get("pid")
                if pid is not None:
                    self._system_print(f"sending SIGKILL to {name} (pid {pid})\n")
                    self._procmgr.kill(pid)
            self._wave_started = self._clock.now()

    def _drain(self) -> None:
        """Print the lines still queued after the last process stopped."""
        while True:
            try:
                msg = self.events.get(timeout=0.1)
            except queue.Empty:
                return
            if msg.type == "line":
                self._printer.write(msg)
