"""One shared feed per followed source, per stream process.

However many listeners follow a source, one task reads what is new: every
STREAM_TICK_SECONDS, one query for all followed sources (reads.read_new), each event
framed once and its bytes handed to every subscriber of its source that wants it.

A subscriber joins behind the feed (its `after` or Last-Event-ID is older than the
feed's cursor) or ahead of it. Behind, it first catches up from the database in ranges
up to the feed's cursor, which all the feed has passed and so has committed; when it
has reached the cursor it is added to the live subscribers in the same step of the
event loop, so nothing the feed hands out afterwards was in its catch-up (no repeat)
and everything past its position is (no gap). Ahead, it skips what it has already seen.

A subscriber's unsent bytes are bounded (STREAM_MAX_BUFFER_BYTES): one that cannot keep
up is dropped, and its client resumes from the last id it received.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError

from apps.api.stream import reads
from apps.core.reconnect import once_more_if_dropped

logger = logging.getLogger(__name__)
# Rows one tick or one catch-up read looks at.
READ_LIMIT = 200


async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """A database call, off the event loop (one thread for all: one connection)."""
    return await sync_to_async(once_more_if_dropped, thread_sensitive=True)(
        partial(function, *args)
    )


class Subscriber:
    """One connected stream: where it stands, which types it wants, its unsent bytes."""

    def __init__(self, source_id: int, event_types: frozenset[str], after: int) -> None:
        self.source_id = source_id
        self.event_types = event_types
        self.after = after  # the last id it has been sent (or skipped past)
        self.frames: deque[bytes] = deque()
        self.buffered = 0
        self.wake = asyncio.Event()
        self.ended = ""  # why it must stop: "dropped" (too slow) or "closing"

    def wants(self, framed: reads.Framed) -> bool:
        return not self.event_types or framed.event_type in self.event_types

    def offer(self, framed: reads.Framed) -> None:
        if framed.id <= self.after or self.ended:
            return
        self.after = framed.id
        if not self.wants(framed):
            return
        self.frames.append(framed.frame)
        self.buffered += len(framed.frame)
        if self.buffered > settings.STREAM_MAX_BUFFER_BYTES:
            self.end("dropped")
        self.wake.set()

    def take(self) -> bytes:
        data = b"".join(self.frames)
        self.frames.clear()
        self.buffered = 0
        self.wake.clear()
        return data

    def end(self, why: str) -> None:
        self.ended = self.ended or why
        self.frames.clear()
        self.buffered = 0
        self.wake.set()


class SourceFeed:
    def __init__(self, cursor: int) -> None:
        self.cursor = cursor  # every event of the source up to here has been handed out
        self.live: set[Subscriber] = set()
        self.joining: set[Subscriber] = set()


class Feed:
    def __init__(self) -> None:
        self.sources: dict[int, SourceFeed] = {}
        self._opening: dict[int, asyncio.Future[SourceFeed]] = {}
        self._task: asyncio.Task | None = None

    @property
    def subscribers(self) -> int:
        return sum(len(feed.live) + len(feed.joining) for feed in self.sources.values())

    async def join(self, sub: Subscriber, send: Callable[[bytes], Awaitable[None]]) -> None:
        """Catch `sub` up from the database (each frame through `send`), then make it a
        live subscriber of its source's feed."""
        feed = await self._feed_of(sub.source_id)
        while self.sources.get(sub.source_id) is not feed:
            # Its opener left before this waiter resumed, and the feed went with it.
            feed = await self._feed_of(sub.source_id)
        feed.joining.add(sub)
        while sub.after < feed.cursor and not sub.ended:
            found, reached = await in_thread(
                reads.read_range, sub.source_id, sub.after, feed.cursor, READ_LIMIT
            )
            data = b"".join(framed.frame for framed in found if sub.wants(framed))
            if data:
                await send(data)
            sub.after = reached
        # No await since the loop's test: the feed has not moved past sub.after.
        feed.joining.discard(sub)
        feed.live.add(sub)

    def leave(self, sub: Subscriber) -> None:
        feed = self.sources.get(sub.source_id)
        if feed is None:
            return
        feed.live.discard(sub)
        feed.joining.discard(sub)
        if not feed.live and not feed.joining:
            del self.sources[sub.source_id]

    def close_all(self) -> None:
        """The process stops: every stream ends (clients resume elsewhere or later)."""
        for feed in self.sources.values():
            for sub in [*feed.live, *feed.joining]:
                sub.end("closing")

    async def _feed_of(self, source_id: int) -> SourceFeed:
        if source_id in self.sources:
            return self.sources[source_id]
        if source_id in self._opening:
            return await asyncio.shield(self._opening[source_id])
        opening = asyncio.get_running_loop().create_future()
        self._opening[source_id] = opening
        try:
            head = await in_thread(reads.settled_head)
        except BaseException as error:
            # Its waiters fail too (and nobody waiting is no error of its own).
            if isinstance(error, asyncio.CancelledError):
                opening.cancel()
            else:
                opening.set_exception(error)
                opening.exception()
            raise
        finally:
            del self._opening[source_id]
        feed = self.sources.setdefault(source_id, SourceFeed(head))
        opening.set_result(feed)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return feed

    async def _run(self) -> None:
        """The ticks, while any source is followed."""
        while self.sources:
            try:
                more = await self._tick()
            except DatabaseError as error:
                logger.warning("stream feed: the database failed (%s); trying again", error)
                more = False
            except Exception:  # a bug must not stop every stream of the process for good
                logger.exception("stream feed: a tick failed; trying again")
                more = False
            if not more:
                await asyncio.sleep(settings.STREAM_TICK_SECONDS)

    async def _tick(self) -> bool:
        followed = dict(self.sources)
        cursors = {source_id: feed.cursor for source_id, feed in followed.items()}
        found, reached, more = await in_thread(reads.read_new, cursors, READ_LIMIT)
        # From here to the end no await: joins see the handed-out events and the cursors
        # move in one step.
        for framed in found:
            feed = self.sources.get(framed.source_id)
            if feed is followed[framed.source_id]:
                for sub in feed.live:
                    sub.offer(framed)
        if reached is not None:
            for source_id, feed in followed.items():
                if self.sources.get(source_id) is feed and reached > feed.cursor:
                    feed.cursor = reached
        return more
