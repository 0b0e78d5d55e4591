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


class BatchPublisher:
    """Publishes ids to one task, many per message, from a background thread.

    A Celery publish costs far more CPU than the rest of an ingest request's Python, and
    each message costs the worker a task's overhead, so the request only appends its id
    here. The thread sends whatever has gathered as one message (up to `max_batch` ids),
    after lingering `linger` seconds for company and at least `interval` seconds after
    its previous publish. A quiet process thus waits only the linger, and a busy one
    sends a few large messages instead of many of one id each. Ids still waiting when
    the process is killed are not lost: their events are committed, and the sweeper
    queues events left unrouted.
    """

    def __init__(
        self, task_name: str, max_batch: int = 100, linger: float = 0.0, interval: float = 0.0
    ) -> None:
        self.task_name = task_name
        self.max_batch = max_batch
        self.linger = linger
        self.interval = interval
        self._last = 0.0
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

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._items:
                    self._wake.wait()
            wait = max(self.linger, self._last + self.interval - time.monotonic())
            if wait > 0:
                time.sleep(wait)
            with self._wake:
                batch = self._items[: self.max_batch]
                del self._items[: self.max_batch]
                self._busy = True
            try:
                publish(self.task_name, batch)
            finally:
                self._last = time.monotonic()
                with self._idle:
                    self._busy = False
                    self._idle.notify_all()
