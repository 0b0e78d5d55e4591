"""`relaycore listen`: follow a source, replay each event locally, one line each.

It follows the gateway's stream of server-sent events when the gateway offers one, and
its long poll otherwise (or while the stream cannot be reached). The cursor (the id of
the last event handled) lives in memory and, with a resume file, on disk after every
event. After a lost connection the next stream or poll starts from it, so a restart of
the gateway (or of this client, with a resume file) misses nothing and repeats nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from relaycore_cli.forward import Forwarded, Forwarder
from relaycore_cli.gateway import Gateway, GatewayError, Refused, Unreachable

FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 5.0
# While the gateway answers polls but its stream does not, poll; try the stream again
# this often (a refused connection costs next to nothing).
STREAM_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Options:
    api: str
    token: str
    source: str
    forward: str
    events: str = ""
    since: str | None = None
    resume_file: Path | None = None
    timeout: float = 30.0


class Cursor:
    """Where the listener stands, kept in a file too when one is given."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.value: int | None = None
        if path is not None and path.exists():
            text = path.read_text().strip()
            self.value = int(text) if text.isdigit() else None

    def set(self, value: int) -> None:
        if value == self.value:
            return
        self.value = value
        if self.path is not None:
            # Written whole, then renamed: a kill mid-write leaves the old cursor.
            spare = self.path.with_name(self.path.name + ".tmp")
            spare.write_text(f"{value}\n")
            os.replace(spare, self.path)


class Interrupts:
    """Ctrl-C stops between events, never between replaying one and recording it (that
    would replay it again on resume); a second Ctrl-C stops at once."""

    def __init__(self) -> None:
        self.protected = False
        self.pending = False

    def __call__(self, signum, frame) -> None:
        if self.protected and not self.pending:
            self.pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def protect(self) -> Iterator[None]:
        self.protected = True
        try:
            yield
        finally:
            self.protected = False
        if self.pending:
            raise KeyboardInterrupt


def line_for(event: dict, result: Forwarded) -> str:
    at = datetime.now().strftime("%H:%M:%S")
    kind = event.get("event_type") or "(no type)"
    answer = str(result.status) if result.status is not None else "ERR"
    text = f"{at}  {kind:<24} {answer:>3}  {result.latency_ms:7.1f} ms  event {event['id']}"
    return f"{text}  {result.error}" if result.error else text


def run(options: Options, out: TextIO = sys.stdout) -> int:
    """Listen until Ctrl-C (0) or a refusal that retrying cannot fix (2)."""
    gateway = Gateway(options.api, options.token, options.source)
    forwarder = Forwarder(options.forward, options.timeout)
    cursor = Cursor(options.resume_file)
    interrupts = Interrupts()
    signal.signal(signal.SIGINT, interrupts)
    try:
        return _loop(options, gateway, forwarder, cursor, interrupts, out)
    except KeyboardInterrupt:
        where = f" after event {cursor.value}" if cursor.value is not None else ""
        print(f"stopped{where}", file=out, flush=True)
        return 0
    except Refused as refusal:
        print(
            f"the gateway refused the token ({refusal.status}): {refusal.message}",
            file=sys.stderr,
            flush=True,
        )
        return 2
    except GatewayError as error:
        print(f"the gateway answered {error.status}: {error.message}", file=sys.stderr)
        return 2
    finally:
        gateway.close()
        forwarder.close()


def _loop(
    options: Options,
    gateway: Gateway,
    forwarder: Forwarder,
    cursor: Cursor,
    interrupts: Interrupts,
    out: TextIO,
) -> int:
    delay = FIRST_RETRY_SECONDS
    lost = False
    resumed = cursor.value is not None
    first = _until_reached(lambda: gateway.start(options.since), out)
    if not resumed:
        cursor.set(first.cursor)
    stream_url = first.stream_url
    start = "resuming after" if resumed else "from"
    how = "streaming" if stream_url else "polling"
    print(
        f"listening to {options.source} on {options.api} ({start} event {cursor.value}, "
        f"{how}), forwarding to {options.forward}; Ctrl-C stops",
        file=out,
        flush=True,
    )

    def connected() -> None:
        nonlocal delay, lost
        if lost:
            print(f"reconnected; resuming after event {cursor.value}", file=out, flush=True)
            delay, lost = FIRST_RETRY_SECONDS, False

    def replay(event: dict) -> None:
        with interrupts.protect():
            print(line_for(event, forwarder.send(event)), file=out, flush=True)
            cursor.set(int(event["id"]))

    poll_until = 0.0  # while the stream cannot be reached, the long poll until then
    while True:
        try:
            if stream_url and time.monotonic() >= poll_until:
                live = False
                try:
                    for event in gateway.follow(stream_url, cursor.value, options.events):
                        if not event:
                            live, poll_until = True, 0.0
                            connected()
                        else:
                            replay(event)
                except Unreachable as error:
                    if live:
                        raise  # the stream dropped: lost, as a failed poll is
                    if not poll_until:
                        print(f"cannot reach the stream ({error}); polling", file=out, flush=True)
                    poll_until = time.monotonic() + STREAM_RETRY_SECONDS
                except Refused:
                    raise
                except GatewayError as error:  # a proxy that does not route it, say
                    print(
                        f"the stream answered {error.status} ({error.message}); polling",
                        file=out,
                        flush=True,
                    )
                    stream_url = None
                continue
            batch = gateway.next_batch(cursor.value, options.events)
        except Unreachable as error:
            print(f"lost the gateway ({error}); retrying in {delay:g} s", file=out, flush=True)
            time.sleep(delay)
            delay, lost, poll_until = min(delay * 2, MAX_RETRY_SECONDS), True, 0.0
            continue
        connected()
        for event in batch.events:
            replay(event)
        cursor.set(batch.cursor)
        if batch.pause > 0:
            time.sleep(batch.pause)


def _until_reached(call, out: TextIO):
    """The first call, retried while the gateway cannot be reached."""
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            return call()
        except Unreachable as error:
            print(
                f"cannot reach the gateway ({error}); retrying in {delay:g} s", file=out, flush=True
            )
            time.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
