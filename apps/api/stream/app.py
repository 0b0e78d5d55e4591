"""The stream process's ASGI application: `GET /api/sources/<slug>/stream/`.

Server-sent events for `relaycore listen`, served by uvicorn (relaycore/stream.py): an
idle listener is an open socket and a few objects, no thread and no poll. The token is
checked (and the source found) before the stream starts; a refusal is the API's JSON
error. Then:

    retry: 1000                     reconnect after a second
    id: 41                          where the stream starts
    event: ready
    data: {"cursor": 41}

    id: 42                          one per accepted event, oldest first: the long
    event: event                    poll's JSON (apps/api/listening.py)
    data: {"id": 42, "event_type": "push", ...}

    : keepalive                     every STREAM_KEEPALIVE_SECONDS of silence

`Last-Event-ID` (sent by a reconnecting client) wins over `?after=`; `?events=a,b`
keeps those types only. The token and the source are checked again at each keepalive,
so a revoked token or a deactivated source ends its stream within that time (with an
`event: error`, the API's error JSON as data).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from functools import partial
from urllib.parse import parse_qs

from django.conf import settings
from django.db import DatabaseError

from apps.api import listening
from apps.api.stream import access
from apps.api.stream.feed import Feed, Subscriber, in_thread

logger = logging.getLogger(__name__)
PATH = re.compile(r"/api/sources/(?P<slug>[-\w]+)/stream/")
feed = Feed()


async def application(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if scope["type"] != "http":
        return
    if scope["path"] == "/healthz":
        await _json(send, 200, {"status": "ok", "subscribers": feed.subscribers})
        return
    route = PATH.fullmatch(scope["path"])
    if route is None:
        await _error(send, access.Denied(404, "not_found", "Not found."))
        return
    if scope["method"] != "GET":
        await _error(send, access.Denied(405, "method_not_allowed", "Only GET is allowed."))
        return
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }
    try:
        sub = await _subscriber(route["slug"], scope["query_string"], headers)
    except access.Denied as denied:
        await _error(send, denied)
        return
    except DatabaseError as error:
        logger.warning("stream: the database failed before the stream started (%s)", error)
        await _error(send, access.Denied(503, "unavailable", "The database is unavailable."))
        return
    recheck = partial(_recheck, headers.get("authorization", ""), route["slug"])
    await _stream(sub, recheck, receive, send)


def _recheck(authorization: str, slug: str) -> None:
    """At each keepalive: the token still live, the source still active (or Denied)."""
    access.token_of(authorization)
    access.source_of(slug)


async def _subscriber(slug: str, query: bytes, headers: dict[str, str]) -> Subscriber:
    authorization = headers.get("authorization", "")
    await in_thread(access.token_of, authorization)
    source = await in_thread(access.source_of, slug)
    params = parse_qs(query.decode("latin-1"))
    after_text = headers.get("last-event-id") or (params.get("after") or [""])[-1]
    if after_text:
        if not (after_text.isascii() and after_text.isdigit() and int(after_text) < 2**63):
            raise access.Denied(
                400, "validation_error", f"after: must be an event id, not {after_text!r}"
            )
        after = int(after_text)
    else:
        after = await in_thread(listening.start_cursor, source, None)
    names = ",".join(params.get("events", []))
    wanted = frozenset(name.strip() for name in names.split(",") if name.strip())
    return Subscriber(source.pk, wanted, after)


async def _stream(sub: Subscriber, recheck: Callable[[], None], receive, send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache"),
                (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
            ],
        }
    )

    async def body(data: bytes) -> None:
        await send({"type": "http.response.body", "body": data, "more_body": True})

    ready = json.dumps({"cursor": sub.after})
    await body(f"retry: 1000\nid: {sub.after}\nevent: ready\ndata: {ready}\n\n".encode())
    writer = asyncio.create_task(_write(sub, recheck, body))
    watcher = asyncio.create_task(_disconnected(receive))
    try:
        await asyncio.wait({writer, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (writer, watcher):
            task.cancel()
        feed.leave(sub)
    if writer.done() and not writer.cancelled() and writer.exception() is not None:
        logger.warning("stream: ended by %r", writer.exception())
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _write(sub: Subscriber, recheck: Callable[[], None], body) -> None:
    await feed.join(sub, body)
    while True:
        try:
            await asyncio.wait_for(sub.wake.wait(), settings.STREAM_KEEPALIVE_SECONDS)
        except TimeoutError:
            try:
                await in_thread(recheck)
            except access.Denied as denied:
                await body(f"event: error\ndata: {json.dumps(denied.body())}\n\n".encode())
                return
            await body(b": keepalive\n\n")
            continue
        if sub.ended:
            return
        await body(sub.take())


async def _disconnected(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            feed.close_all()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _json(send, status: int, payload: dict, extra: tuple = ()) -> None:
    data = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                *extra,
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


async def _error(send, denied: access.Denied) -> None:
    # As DRF's token authentication answers: a 401 names the scheme to use.
    extra = ((b"www-authenticate", b"Token"),) if denied.status == 401 else ()
    await _json(send, denied.status, denied.body(), extra)
