"""A body over WEBHOOK_MAX_BODY_BYTES, sent as fast as the socket takes it, to a real
gunicorn: the producer must read the 413 JSON answer, not a connection reset."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from tests.factories import make_source

BODY_BYTES = 2 * 1024 * 1024
ATTEMPTS = 24


def post_raw(base_url: str, path: str, body: bytes) -> tuple[int, bytes]:
    """POST over a plain socket, writing the body from another thread while this one
    reads: the answer is read back even if it comes before the body is all sent."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=20)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()

    def write() -> None:
        # The server may close once it has answered; what it said is read below.
        with contextlib.suppress(OSError):
            sock.sendall(head + body)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read()
    finally:
        writer.join(20)
        sock.close()


@pytest.mark.django_db(transaction=True)
def test_a_producer_sending_a_too_large_body_quickly_reads_the_413_answer(web_server):
    make_source(slug="big", verification_scheme="none")

    # Many at once, several times: a reset depends on how far the body got when the
    # answer was sent, and a busy server answers later.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(
                lambda _: post_raw(web_server, "/webhooks/receive/big/", b"x" * BODY_BYTES),
                range(ATTEMPTS),
            )
        )

    assert [status for status, _ in answers] == [413] * ATTEMPTS
    assert {json.loads(body)["error"]["code"] for _, body in answers} == {"payload_too_large"}
