"""The `relaycore` command line."""

from __future__ import annotations

import argparse
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from relaycore_cli import __version__
from relaycore_cli.listen import Options, run

_RELATIVE = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def since_value(text: str) -> str:
    """`10m`, `2h`, `1d` (ago) or an ISO 8601 time, as the ISO time the gateway reads."""
    relative = _RELATIVE.fullmatch(text.strip())
    if relative:
        amount, unit = relative.groups()
        at = datetime.now(UTC) - timedelta(**{_UNITS[unit]: int(amount)})
        return at.isoformat()
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a duration (30s, 10m, 2h, 1d) nor an ISO 8601 time"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # the local time of this machine
    return parsed.isoformat()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="relaycore", description="RelayCore's command line")
    top.add_argument("--version", action="version", version=f"relaycore-cli {__version__}")
    commands = top.add_subparsers(dest="command", required=True)
    listen = commands.add_parser(
        "listen",
        help="replay a source's events to a local URL as they arrive",
        description="Follow a source of a RelayCore gateway and replay each accepted "
        "event to a local URL with its original method, headers and body.",
    )
    listen.add_argument(
        "--api",
        default=os.environ.get("RELAYCORE_API"),
        help="the gateway's base URL (or RELAYCORE_API)",
    )
    listen.add_argument(
        "--token",
        default=os.environ.get("RELAYCORE_TOKEN"),
        help="an API token, viewer role or above (or RELAYCORE_TOKEN)",
    )
    listen.add_argument("--source", required=True, help="the source's slug")
    listen.add_argument("--forward", required=True, help="the local URL to replay events to")
    listen.add_argument(
        "--events", default="", help="only these event types, comma-separated: push,pull_request"
    )
    listen.add_argument(
        "--since",
        type=since_value,
        help="start with the events received since then (10m, 2h, 1d or ISO 8601); "
        "default: only events from now on",
    )
    listen.add_argument(
        "--resume-file",
        type=Path,
        help="keep the cursor in this file, and resume from it on the next start",
    )
    listen.add_argument(
        "--timeout", type=float, default=30.0, help="seconds the local URL may take (30)"
    )
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.api or not args.token:
        parser().error("listen needs --api and --token (or RELAYCORE_API and RELAYCORE_TOKEN)")
    options = Options(
        api=args.api,
        token=args.token,
        source=args.source,
        forward=args.forward,
        events=args.events,
        since=args.since,
        resume_file=args.resume_file,
        timeout=args.timeout,
    )
    return run(options)
