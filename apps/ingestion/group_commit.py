"""Group commit: concurrent requests of one process share one batch of I/O.

The classic leader/follower scheme. A request that finds nothing in flight runs its own
batch at once (a lone request waits for nobody). Requests that arrive while a batch is
running queue up; when that batch ends, its leader wakes the oldest of them, which runs
everything queued meanwhile as the next batch. So a batch gathers only for as long as
the previous one takes (about a millisecond: one Redis round trip and one commit), and
each request is answered only once the batch that holds it has finished. `in_flight`
lets more than one batch run at once (the next starts at once while fewer are running):
the database then overlaps their commits.

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
    __slots__ = ("item", "result", "error", "done", "wake", "batch")

    def __init__(self, item: T) -> None:
        self.item = item
        self.batch: list[_Slot[T, R]] = []  # set for the slot that leads a batch
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

    def __init__(
        self, run: Callable[[list[T]], Sequence[R]], max_batch: int = 64, in_flight: int = 1
    ) -> None:
        self.run = run
        self.max_batch = max(1, max_batch)
        self.most_in_flight = max(1, in_flight)
        self._reset()
        # A forked child starts with no batch in flight and a lock nobody holds.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Slot[T, R]] = []
        self._leaders = 0  # batches in flight

    def submit(self, item: T) -> R:
        slot: _Slot[T, R] = _Slot(item)
        with self._lock:
            lead = self._leaders < self.most_in_flight
            if lead:
                self._leaders += 1
                slot.batch = [slot]
            else:
                self._queue.append(slot)
        if not lead:
            slot.wake.acquire()
            if slot.done:
                return slot.outcome()
        self._lead(slot.batch)
        return slot.outcome()

    def queued(self) -> int:
        """Requests waiting for the batch in flight to end (for tests and diagnosis)."""
        with self._lock:
            return len(self._queue)

    def in_flight(self) -> int:
        """Batches running now."""
        with self._lock:
            return self._leaders

    def _lead(self, batch: list[_Slot[T, R]]) -> None:
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
            # The next batch is what queued meanwhile, taken now, in one piece: its
            # leader (the oldest) runs exactly these.
            following = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
            if following:
                following[0].batch = following
            else:
                self._leaders -= 1
        if following:
            following[0].wake.release()  # first: the next batch's I/O starts at once
        for one in batch[1:]:  # batch[0] is this thread
            one.wake.release()
