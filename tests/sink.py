"""A real HTTP server on 127.0.0.1 that plays a webhook destination in tests.

It records every request and answers from a script of responses, so a test can make a
destination fail, flap, hang, rate-limit or recover, and then look at what arrived.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow or hanging destination)


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self):
        return json.loads(self.body)


class Sink:
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.script: list[Reply] = []
        self.default = Reply()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender died mid-request (a worker killed on purpose): a real
                    # receiver gets no request either, so none is recorded or answered.
                    self.close_connection = True
                    return
                if self.path == "/control":
                    # Lets a browser test make the destination fail or recover.
                    sink.default = Reply(status=int(json.loads(body)["status"]))
                    reply = Reply(status=200, body=b'{"controlled": true}')
                else:
                    reply = sink._record(self, body)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_PUT = do_POST  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.control_url = f"http://127.0.0.1:{self.port}/control"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        with self._arrived:
            self.requests.append(
                Received(
                    method=handler.command,
                    path=handler.path,
                    headers={k.lower(): v for k, v in handler.headers.items()},
                    body=body,
                    at=time.monotonic(),
                )
            )
            self._arrived.notify_all()
            return self.script.pop(0) if self.script else self.default

    def respond(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, then with the default."""
        with self._lock:
            self.script.extend(replies)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} requests at the sink, got {len(self.requests)}"
                    )
                self._arrived.wait(remaining)
            return list(self.requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
