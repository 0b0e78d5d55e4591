"""Group commit: concurrent requests of one process share one batch of I/O.

The classic leader/follower scheme. A request that finds nothing in flight runs its own
batch at once (a lone request waits for nobody). Requests that arrive while a batch is
running queue up; when that batch ends, its leader wakes the oldest of them, which runs
everything queued meanwhile as the next batch. So a batch gathers only for as long as
the previous one takes (about a millisecond: one Redis round trip and one commit), and
each request is answered only once the batch that holds it has finished.

Each waiting thread sleeps on a lock of its own and is woken exactly once: to read its
result, or to lead. Python threads pay a GIL hand-off for every wake-up, so no
notify_all.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Slot(Generic[T, R]):
    __slots__ = ("item", "result", "error", "done", "wake")

    def __init__(self, item: T) -> None:
        self.item = item
        self.result: R | None = None
        self.error: BaseException | None = None
        self.done = False
        self.wake = threading.Lock()
        self.wake.acquire()  # released by the leader: done, or your turn to lead

    def outcome(self) -> R:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


class GroupCommit(Generic[T, R]):
    """`run` takes a batch of items and answers one result per item, in order; if it
    raises, every request of that batch raises the same exception."""

    def __init__(self, run: Callable[[list[T]], Sequence[R]], max_batch: int = 64) -> None:
        self.run = run
        self.max_batch = max(1, max_batch)
        self._reset()
        # A forked child starts with no batch in flight and a lock nobody holds.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Slot[T, R]] = []
        self._running = False

    def submit(self, item: T) -> R:
        slot: _Slot[T, R] = _Slot(item)
        with self._lock:
            follow = self._running
            if follow:
                self._queue.append(slot)
            self._running = True
        if follow:
            slot.wake.acquire()
            if slot.done:
                return slot.outcome()
        self._lead(slot)
        return slot.outcome()

    def queued(self) -> int:
        """Requests waiting for the batch in flight to end (for tests and diagnosis)."""
        with self._lock:
            return len(self._queue)

    def in_flight(self) -> bool:
        with self._lock:
            return self._running

    def _lead(self, slot: _Slot[T, R]) -> None:
        with self._lock:
            # Our own slot is no longer queued: leaders are taken from the front.
            others = self._queue[: self.max_batch - 1]
            del self._queue[: self.max_batch - 1]
        batch = [slot, *others]
        try:
            results = self.run([one.item for one in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"{len(results)} results for a batch of {len(batch)}")
            for one, result in zip(batch, results, strict=True):
                one.result = result
        except BaseException as exc:  # noqa: BLE001 - each request re-raises it
            for one in batch:
                one.error = exc
        for one in batch:
            one.done = True
        with self._lock:
            successor = self._queue.pop(0) if self._queue else None
            if successor is None:
                self._running = False
        if successor is not None:
            successor.wake.release()  # first: the next batch's I/O starts at once
        for one in others:
            one.wake.release()
