"""The web server's connections send at once (TCP_NODELAY): with Nagle's algorithm on,
an answer written in two parts (headers, then body) can wait for the client's delayed
ACK, tens of milliseconds per request at c=1."""

from __future__ import annotations

import logging
import socket

from gunicorn import sock
from gunicorn.config import Config

from relaycore import gunicorn_conf


def test_the_connections_gunicorn_accepts_have_nagle_off():
    config = Config()
    host = gunicorn_conf.bind.rsplit(":", 1)[0]
    config.set("bind", [f"{host}:0"])  # the configured address, any free port
    listener = sock.create_sockets(config, logging.getLogger(__name__))[0]
    try:
        # gunicorn's gthread worker accepts from this very socket.
        with socket.create_connection(listener.getsockname()[:2], timeout=5):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        listener.close()
