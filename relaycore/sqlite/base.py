"""Django's SQLite backend, with the write lock queued inside the process.

SQLite lets one connection write at a time. A connection that finds the lock taken
polls it, sleeping 1, 2, 5, 10 ... up to 100 ms between tries (its busy handler), so
the lock can sit idle while threads that want it sleep, and a thread can lose its turn
many times: the long tail of the embedded profile's latencies. Threads of one process
instead queue here, on one Python lock, before `BEGIN IMMEDIATE`, and the next is woken
the moment a transaction ends; only writers of different processes (web, worker)
still meet in SQLite's lock.

A bare autocommitted statement (ingest's INSERT) does not pass through here: it is
one process's group commit leader, which is alone unless INGEST_BATCHES_IN_FLIGHT > 1.
"""

from __future__ import annotations

import os
import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}  # one per database file
_guard = threading.Lock()


def _lock_for(name: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(name, threading.Lock())


def _reset_after_fork() -> None:
    # A forked child holds no transaction: a lock taken by a thread of the parent
    # would never be released in it.
    global _guard
    _guard = threading.Lock()
    _locks.clear()


os.register_at_fork(after_in_child=_reset_after_fork)


class DatabaseWrapper(base.DatabaseWrapper):
    _held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self) -> None:
        lock = _lock_for(str(self.settings_dict["NAME"]))
        # As long as SQLite itself would wait (the `timeout` option), then its error.
        if not lock.acquire(timeout=self.settings_dict["OPTIONS"].get("timeout", 5)):
            raise OperationalError("database is locked (waited for this process's writers)")
        self._held = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_write_lock()

    def _release_write_lock(self) -> None:
        lock, self._held = self._held, None
        if lock is not None:
            lock.release()
