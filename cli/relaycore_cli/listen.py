"""`relaycore listen`: follow a source, replay each event locally, one line each.

The cursor (the id of the last event handled) lives in memory and, with a resume
file, on disk after every event. After a lost connection the next poll sends it
again, so a restart of the gateway (or of this client, with a resume file) misses
nothing and repeats nothing.
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
    if not resumed:
        cursor.set(_until_reached(lambda: gateway.start(options.since), out))
    start = "resuming after" if resumed else "from"
    print(
        f"listening to {options.source} on {options.api} ({start} event {cursor.value}), "
        f"forwarding to {options.forward}; Ctrl-C stops",
        file=out,
        flush=True,
    )
    while True:
        try:
            batch = gateway.next_batch(cursor.value, options.events)
        except Unreachable as error:
            print(f"lost the gateway ({error}); retrying in {delay:g} s", file=out, flush=True)
            time.sleep(delay)
            delay, lost = min(delay * 2, MAX_RETRY_SECONDS), True
            continue
        if lost:
            print(f"reconnected; resuming after event {cursor.value}", file=out, flush=True)
            delay, lost = FIRST_RETRY_SECONDS, False
        for event in batch.events:
            with interrupts.protect():
                print(line_for(event, forwarder.send(event)), file=out, flush=True)
                cursor.set(int(event["id"]))
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
