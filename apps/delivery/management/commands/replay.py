"""`manage.py replay`: replay route outcomes (dead letters by default) matching filters.

`--since` takes an ISO date or date-time, or a time ago (`30m`, `2h`, `1d`, `1w`); a
source or destination that does not exist is an error, not "0 replayed"; `--dry-run`
lists each outcome a replay would queue.
"""

import argparse
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.core.models import Destination, Event, Outcome, OutcomeStatus, Source
from apps.delivery.replay import Requester, bounded_replay, next_replayed, refused_count

FILTERS = ("source", "destination", "since", "event")
_AGO = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """A moment from `2h`/`1d` (that long ago) or an ISO date or date-time; raises
    ArgumentTypeError, which argparse turns into a usage error (no traceback)."""
    text = value.strip().lower()
    ago = _AGO.match(text)
    if ago:
        amount, unit = ago.groups()
        return (now or timezone.now()) - timedelta(**{_UNITS[unit]: int(amount)})
    try:
        moment = parse_datetime(text.upper()) or _midnight(parse_date(text))
    except ValueError:  # well-formed but impossible, e.g. 2026-13-01
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is neither a time ago (30m, 2h, 1d, 1w) nor an ISO date or "
            "date-time (2026-11-29, 2026-11-29T08:00)"
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _midnight(day) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def check_exists(opts: dict) -> None:
    """A filter naming nothing is a typo to report, not an empty replay."""
    named = [
        ("source", Source.all_objects.filter(slug=opts["source"])),
        ("destination", Destination.all_objects.filter(name=opts["destination"])),
        ("event", Event.objects.filter(pk=opts["event"])),
    ]
    for name, found in named:
        if opts[name] is not None and not found.exists():
            raise CommandError(f"unknown {name} {opts[name]!r}: nothing was replayed")


def describe(outcome: Outcome) -> str:
    created = timezone.localtime(outcome.created_at).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"  outcome {outcome.pk}  event {outcome.event_id}  {outcome.status}  "
        f"{outcome.event.source.slug} -> {outcome.destination.name}  created {created}"
    )


class Command(BaseCommand):
    help = (
        "Replay route outcomes (dead letters by default) matching the filters; at least "
        "one filter is needed, and at most BULK_REPLAY_MAX outcomes are queued per run, "
        "oldest first. Outcomes of events refused at ingest are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--status",
            default=OutcomeStatus.DEAD_LETTERED,
            choices=[OutcomeStatus.DEAD_LETTERED, OutcomeStatus.DELIVERED, OutcomeStatus.RETRYING],
        )
        parser.add_argument(
            "--include-delivered",
            action="store_true",
            help="also re-send outcomes already delivered (needed for --status delivered)",
        )
        parser.add_argument("--source", help="source slug")
        parser.add_argument("--destination", help="destination name")
        parser.add_argument(
            "--since",
            type=parse_since,
            help="outcomes created since: a time ago (30m, 2h, 1d, 1w) or an ISO date(-time)",
        )
        parser.add_argument("--event", type=int, help="one event id")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be replayed, queue nothing"
        )

    def handle(self, *args, **opts) -> None:
        if not any(opts[name] for name in FILTERS):
            raise CommandError(
                "replay needs at least one filter: --source, --destination, --since or --event"
            )
        if opts["status"] == OutcomeStatus.DELIVERED and not opts["include_delivered"]:
            raise CommandError("re-sending delivered outcomes needs --include-delivered")
        check_exists(opts)
        outcomes = self.selected(opts)
        refused = refused_count(outcomes)
        if refused:
            self.stdout.write(
                f"skipped {refused} outcomes of events refused at ingest "
                "(signature failed or duplicate): they can never be delivered"
            )
        by = Requester.command_line()
        result = bounded_replay(outcomes, by=by, dry_run=opts["dry_run"])
        if opts["dry_run"]:
            self.stdout.write(f"would replay {result['would_queue']} outcomes")
            listed = next_replayed(outcomes).select_related("event__source", "destination")
            for outcome in listed.iterator():
                self.stdout.write(describe(outcome))
        else:
            self.stdout.write(f"queued {result['queued']} outcomes for replay")
        if result["capped"]:
            self.stdout.write(
                f"capped at BULK_REPLAY_MAX={settings.BULK_REPLAY_MAX} of {result['matched']} "
                "matching: run it again for the next ones"
            )

    @staticmethod
    def selected(opts: dict) -> QuerySet[Outcome]:
        statuses = {opts["status"]}
        if opts["include_delivered"]:
            statuses.add(OutcomeStatus.DELIVERED)
        outcomes = Outcome.objects.filter(status__in=statuses)
        if opts["source"]:
            outcomes = outcomes.filter(event__source__slug=opts["source"])
        if opts["destination"]:
            outcomes = outcomes.filter(destination__name=opts["destination"])
        if opts["since"]:
            outcomes = outcomes.filter(created_at__gte=opts["since"])
        if opts["event"]:
            outcomes = outcomes.filter(event_id=opts["event"])
        return outcomes
