"""Enqueue Celery tasks after the surrounding transaction commits.

Tasks are sent by name so that early pipeline stages need not import later ones. A
publish that fails (broker down) is logged and left to the periodic sweeper/dispatcher:
the row it concerns is already committed, so nothing is lost.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable

import redis
from django.db import transaction

from apps.core.logs import log_event

logger = logging.getLogger(__name__)


def publish(task_name: str, *args, countdown: float | None = None) -> bool:
    from relaycore.celery import app

    try:
        app.send_task(task_name, args=args, countdown=countdown)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "sweeper's job now"
        log_event(logger, "queue.publish.failed", logging.WARNING, task=task_name, error=exc)
        return False
    return True


def enqueue_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    transaction.on_commit(lambda: publish(task_name, *args, countdown=countdown))


def gateway_counter(prefix: str = "rc:ingest:published") -> Callable[[int], int | None]:
    """Counts the ids every web process publishes, per second, in Redis: called with a
    message's ids, it answers the gateway's rate as the higher of the last full second
    and the one under way (None when Redis does not answer). A Redis that did not answer
    is left alone for a second, so a hung one does not hold every message for its
    timeout."""
    from apps.core.redis import get_redis

    down_until = 0.0

    def count(ids: int) -> int | None:
        nonlocal down_until
        if time.monotonic() < down_until:
            return None
        second = int(time.time())
        try:
            pipe = get_redis().pipeline(transaction=False)
            pipe.incrby(f"{prefix}:{second}", ids)
            pipe.expire(f"{prefix}:{second}", 3)
            pipe.get(f"{prefix}:{second - 1}")
            now, _, before = pipe.execute()
        except redis.RedisError:
            down_until = time.monotonic() + 1.0
            return None
        return max(int(now), int(before or 0))

    return count


class BatchPublisher:
    """Publishes ids to one task, many per message, from a background thread.

    A Celery publish costs far more CPU than the rest of an ingest request's Python, and
    each message costs the worker a task's overhead, so the request only appends its id
    here and the thread sends what has gathered as one message (up to `max_batch` ids).

    It batches only under load. While this process sent at most `batch_above` ids a
    second over the last `interval`, it is quiet, and an id goes out as soon as it
    arrives (ids that come while a publish is on the wire share the next message). A
    busy process sends at most one message per `interval`, so that its messages carry
    many ids and the workers pay one task per batch rather than one per event. Ids still
    waiting when the process is killed are not lost: their events are committed, and the
    sweeper queues events left unrouted.

    With `gateway_rate` (gateway_counter()), quiet and busy are the whole gateway's:
    `batch_above` ids a second over all web processes. A per-process rate could not
    tell a 100/s stream that one process takes whole (its keep-alive connections can
    all land there) from a fan-out's 250/s spread over two, and the one needs each id at
    once, the other its batches (docs/performance.md, "Latency at 100 events/s, third
    pass"). Without a reading of the last second (Redis down) the process's own rate
    decides, as without it.
    """

    def __init__(
        self,
        task_name: str,
        max_batch: int = 100,
        interval: float = 0.0,
        batch_above: float = 0.0,
        gateway_rate: Callable[[int], int | None] | None = None,
    ) -> None:
        self.task_name = task_name
        self.max_batch = max_batch
        self.interval = interval
        self.batch_above = batch_above
        self.gateway_rate = gateway_rate
        self.busy_ids = batch_above * interval  # ids per interval that make it busy
        self._reset()
        # A forked child starts empty, with a lock no parent thread can be holding.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._pid = 0
        self._items: list[int] = []
        lock = threading.Lock()
        self._wake = threading.Condition(lock)  # items arrived
        self._idle = threading.Condition(lock)  # a publish finished
        self._busy = False
        self._recent: deque[tuple[float, int]] = deque()  # (sent at, ids), last interval
        self._gateway: tuple[float, int] | None = None  # (read at, the gateway's ids a second)
        self.messages = {"at_once": 0, "after_wait": 0}  # how each message went out

    def add(self, item: int) -> None:
        with self._wake:
            if self._pid != os.getpid():  # first use in this (possibly forked) process
                self._start()
            self._items.append(item)
            self._wake.notify()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything added so far has been handed to the broker."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._items or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def _start(self) -> None:
        self._pid = os.getpid()
        thread = threading.Thread(target=self._run, name=f"publish:{self.task_name}", daemon=True)
        thread.start()
        atexit.register(self.flush, 2.0)

    def _wait(self, now: float) -> float:
        """Seconds to gather before the next message: none while quiet; under load,
        until an interval has passed since the previous message."""
        recent = self._recent
        while recent and recent[0][0] <= now - self.interval:
            recent.popleft()
        if not recent:
            return 0.0
        reading = self._gateway
        if reading is not None and now - reading[0] < 1.0:
            busy = reading[1] > self.batch_above
        else:
            busy = sum(ids for _, ids in recent) > self.busy_ids
        if not busy:
            return 0.0
        return recent[-1][0] + self.interval - now

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._items:
                    self._wake.wait()
            wait = self._wait(time.monotonic())
            if wait > 0:
                time.sleep(wait)
            with self._wake:
                batch = self._items[: self.max_batch]
                del self._items[: self.max_batch]
                self._busy = True
            try:
                publish(self.task_name, batch)
            finally:
                self._recent.append((time.monotonic(), len(batch)))
                self.messages["after_wait" if wait > 0 else "at_once"] += 1
                with self._idle:
                    self._busy = False
                    self._idle.notify_all()
            if self.gateway_rate is not None:
                rate = self.gateway_rate(len(batch))
                self._gateway = None if rate is None else (time.monotonic(), rate)
