"""Sends claimed outcomes on a pool of threads and records the results in bulk.

A Celery task that routed a batch of events hands its outcomes here and returns: its
thread never waits on a destination. Outcomes wait in a lane per destination, and each
lane has at most its cap of requests in flight in this process: a fast destination
drains its lane as fast as it answers, a slow one holds only its cap of sender threads.
An outcome is given back to the database to be tried later when it waited in its lane
longer than the hooks' stuck_wait while the lane finished nothing in that time (a
hanging destination's backlog does not sit in memory), or longer than max_wait at all
(its lease must not run out before it is sent). A lane that keeps finishing requests
keeps its backlog: giving back a busy but healthy destination's outcomes only made them
wait for a retry time with the worker idle (a fan-out spent most of its time so).

The cap is counted here, per process, not in Redis: a shared count let one process keep
every slot of a busy destination while another's outcomes timed out in their lane, and
it cost two Redis round trips per request.

Sender threads do no database work; one recorder thread per process writes finished
attempts (and the given-back outcomes) many at a time. If the process dies, outcomes
held here stay DELIVERING until their lease runs out; the dispatcher then queues them
again (at-least-once, as everywhere in the pipeline).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, close_old_connections, connection

from apps.core.logs import log_event

logger = logging.getLogger(__name__)

RECORD_BATCH = 200
RECORD_TRIES = 5
TICK_SECONDS = 0.05
IDLE_CLOSE_SECONDS = 60.0


@dataclass
class Hooks:
    """What the sender needs from the pipeline, so that this module knows no models."""

    send: Callable[[Any], Any]  # outcome -> result (no database)
    record: Callable[[list[tuple[Any, Any]]], None]  # finished [(outcome, result)]
    give_back: Callable[[list[Any]], None]  # outcomes that waited too long in their lane
    cap: Callable[[Any], int]  # requests in flight at once per lane
    max_wait: Callable[[Any], float]  # seconds an outcome may wait in its lane at most
    # Seconds an outcome may wait behind a lane that finishes nothing (default max_wait).
    stuck_wait: Callable[[Any], float] | None = None


@dataclass
class _Lane:
    waiting: deque = field(default_factory=deque)  # (since, outcome)
    in_flight: int = 0
    moved: float = 0.0  # when a request of the lane last finished, or the first started


class Sender:
    def __init__(self, hooks: Hooks, threads: int) -> None:
        self.hooks = hooks
        self.threads = threads
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._pid = 0
        self._pool: ThreadPoolExecutor | None = None
        self._todo: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._lanes: dict[Any, _Lane] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0  # handed in and not yet recorded or given back

    # -- the task side ---------------------------------------------------------------

    def submit(self, key: Any, outcomes: list[Any]) -> None:
        """Queue outcomes for the destination `key`; they go out as slots allow."""
        if not outcomes:
            return
        self._ensure_started()
        now = time.monotonic()
        with self._lock:
            self._pending += len(outcomes)
            lane = self._lanes.setdefault(key, _Lane())
            lane.waiting.extend((now, outcome) for outcome in outcomes)
        self._pump(key)

    def close_connection(self) -> None:
        """Have the recorder drop its database connection (before a database is dropped)."""
        if self._pid == os.getpid():
            self._todo.put(("close", None))

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until everything handed in has been recorded or given back."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    # -- lanes -----------------------------------------------------------------------

    def _pump(self, key: Any) -> None:
        """Start as many of the lane's waiting outcomes as its cap allows."""
        cap = self.hooks.cap(key)
        with self._lock:
            lane = self._lanes.get(key)
            if lane is None:
                return
            starting = []
            if lane.waiting and not lane.in_flight:
                lane.moved = time.monotonic()
            while lane.waiting and lane.in_flight < cap:
                starting.append(lane.waiting.popleft()[1])
                lane.in_flight += 1
        assert self._pool is not None
        for outcome in starting:
            self._pool.submit(self._send_one, key, outcome)

    def _tick(self) -> None:
        """Give back what waited too long, and forget empty lanes."""
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            stale = []
            with self._lock:
                for key, lane in list(self._lanes.items()):
                    limit = now - self.hooks.max_wait(key)
                    stuck = self.hooks.stuck_wait(key) if self.hooks.stuck_wait else None
                    if stuck is not None and lane.moved < now - stuck:
                        limit = max(limit, now - stuck)
                    while lane.waiting and lane.waiting[0][0] < limit:
                        stale.append(lane.waiting.popleft()[1])
                    if not lane.waiting and not lane.in_flight:
                        del self._lanes[key]
            if stale:
                self._todo.put(("give_back", stale))

    def _send_one(self, key: Any, outcome: Any) -> None:
        """Send, then take the lane's next outcome on the same thread while there is one."""
        while outcome is not None:
            try:
                result = self.hooks.send(outcome)
            except Exception as exc:  # noqa: BLE001 - the result must still be recorded
                logger.exception("delivery.send.crashed")
                result = exc
            self._todo.put(("record", (outcome, result)))
            with self._lock:
                lane = self._lanes[key]
                lane.moved = time.monotonic()
                if lane.waiting:
                    outcome = lane.waiting.popleft()[1]
                else:
                    outcome = None
                    lane.in_flight -= 1

    # -- the recorder ----------------------------------------------------------------

    def _ensure_started(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="relaycore-send")
            for target, name in ((self._record_loop, "record"), (self._tick, "lanes")):
                threading.Thread(target=target, name=f"relaycore-{name}", daemon=True).start()
            self._pid = os.getpid()

    def _record_loop(self) -> None:
        while True:
            try:
                items = [self._todo.get(timeout=IDLE_CLOSE_SECONDS)]
            except queue.Empty:
                connection.close()  # idle: give the database its connection back
                continue
            while len(items) < RECORD_BATCH:
                try:
                    items.append(self._todo.get_nowait())
                except queue.Empty:
                    break
            if any(kind == "close" for kind, _ in items):
                connection.close()
            finished = [item for kind, item in items if kind == "record"]
            given_back = [o for kind, item in items if kind == "give_back" for o in item]
            if given_back:
                self._write(self.hooks.give_back, given_back)
            if finished:
                self._write(self.hooks.record, finished)
            with self._idle:
                self._pending -= len(finished) + len(given_back)
                if not self._pending:
                    self._idle.notify_all()

    def _write(self, write: Callable[[list], None], items: list) -> None:
        for attempt in range(1, RECORD_TRIES + 1):
            close_old_connections()
            try:
                write(items)
                return
            except DatabaseError as exc:
                connection.close()  # a broken connection is not reused
                if attempt == RECORD_TRIES:
                    # The outcomes stay DELIVERING; the dispatcher re-runs them when
                    # their leases end.
                    log_event(
                        logger,
                        "delivery.record.failed",
                        logging.ERROR,
                        outcomes=len(items),
                        error=repr(exc),
                    )
                    return
                time.sleep(min(2.0**attempt, 10.0))
            except Exception:
                logger.exception("delivery.record.crashed")
                return
