"""A time bound on CPU-bound work for one item (routing or transforming one event).

A bound is a deadline in a context variable; the code doing the work calls ``check()``
at its natural steps (each route, each condition, each element a JSONPath filter
visits, each transformer) and ``check()`` raises ``DeadlineExceeded`` once time is up.
No thread and no signal per item: the work stops at its next step, which is why the
steps must stay small (user regexes run on RE2, linear in their input).

Time is this thread's CPU time, not the wall clock: what a runaway evaluation burns,
and the same on a busy machine as on an idle one.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

_deadline: ContextVar[tuple[float, str] | None] = ContextVar("relaycore_deadline", default=None)


class DeadlineExceeded(Exception):
    """The work for one item took longer than its bound."""


@contextlib.contextmanager
def bounded(seconds: float, what: str) -> Iterator[None]:
    """Run the block under a bound of `seconds` (0 or less: no bound)."""
    outer = _deadline.get()
    until = time.thread_time() + seconds
    if seconds <= 0 or (outer is not None and outer[0] <= until):
        yield  # no bound asked, or the enclosing one ends first: it stays in force
        return
    token = _deadline.set((until, f"{what} took longer than {seconds:g} s"))
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    current = _deadline.get()
    if current is not None and time.thread_time() > current[0]:
        raise DeadlineExceeded(current[1])
