"""A fast local HTTP destination for benchmarks, and the trivial server for client ceilings.

tests/sink.py (http.server, a thread per connection) is right for tests but would be the
bottleneck at hundreds of deliveries per second on two cores. This one is a single
asyncio loop speaking just enough HTTP/1.1 (Content-Length bodies, keep-alive) for the
gateway's httpx client, wrk and load_test.py.

    POST /hang/<seconds>/...  answers 200 after sleeping (a destination that hangs)
    POST anything else        records (arrival time, path, X-RelayCore-Event-Id), 200
    GET  /stats               {"count": N, "paths": {path: N}}
    GET  /dump                [[arrival unix time, path, event id], ...]
    POST /reset               forgets what was recorded

With --trivial nothing is recorded and every request answers an ingest-like 200, so a
load client can measure its own ceiling against it.

Run: python -m bench.sink --port 9100 [--trivial]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from collections import Counter

ACCEPTED = b'{"status": "accepted", "delivery_id": 1}'
OK = b'{"ok": true}'
MAX_HEAD = 64 * 1024


def response(status: int, body: bytes, reason: str = "OK") -> bytes:
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Recorder:
    """What arrived, kept in memory: a benchmark run is at most a few 100,000 rows."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, str]] = []

    def add(self, path: str, event_id: str) -> None:
        self.rows.append((time.time(), path, event_id))

    def stats(self) -> bytes:
        paths = Counter(path for _, path, _ in self.rows)
        return json.dumps({"count": len(self.rows), "paths": paths}).encode()

    def dump(self) -> bytes:
        return json.dumps(self.rows).encode()


class Request:
    def __init__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        self.method, self.path, self.headers, self.body = method, path, headers, body


def parse_head(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return method, path, headers


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    method, path, headers = parse_head(head[:-4])
    length = int(headers.get("content-length") or 0)
    body = await reader.readexactly(length) if length else b""
    return Request(method, path, headers, body)


class Server:
    def __init__(self, trivial: bool) -> None:
        self.trivial = trivial
        self.recorder = Recorder()

    async def answer(self, request: Request) -> bytes:
        if self.trivial:
            return response(200, ACCEPTED)
        if request.method == "GET" and request.path == "/stats":
            return response(200, self.recorder.stats())
        if request.method == "GET" and request.path == "/dump":
            return response(200, self.recorder.dump())
        if request.path == "/reset":
            self.recorder = Recorder()
            return response(200, OK)
        if request.path.startswith("/hang/"):
            await asyncio.sleep(float(request.path.split("/")[2]))
        self.recorder.add(request.path, request.headers.get("x-relaycore-event-id", ""))
        return response(200, OK)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (request := await read_request(reader)) is not None:
                writer.write(await self.answer(request))
                await writer.drain()
                if request.headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def serve(host: str, port: int, trivial: bool, ready: object = None) -> None:
    server = Server(trivial)
    listener = await asyncio.start_server(
        server.handle, host, port, limit=MAX_HEAD, backlog=1024, reuse_address=True
    )
    if ready is not None:
        ready.set()  # a multiprocessing.Event from a parent that waits for the port
    async with listener:
        await listener.serve_forever()


def run(host: str, port: int, trivial: bool, ready: object = None) -> None:
    asyncio.run(serve(host, port, trivial, ready))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--trivial", action="store_true", help="answer 200 and record nothing")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        run(args.host, args.port, args.trivial)


if __name__ == "__main__":
    main()
