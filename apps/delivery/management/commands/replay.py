from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.models import Outcome, OutcomeStatus, ReplayVia
from apps.delivery.replay import Requester, bounded_replay, refused_count

FILTERS = ("source", "destination", "since", "event")


def parse_since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        raise CommandError(f"--since {value!r} is not an ISO date-time, e.g. 2026-11-29T08:00")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


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
        parser.add_argument("--since", type=parse_since, help="outcomes created since (ISO)")
        parser.add_argument("--event", type=int, help="one event id")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts) -> None:
        if not any(opts[name] for name in FILTERS):
            raise CommandError(
                "replay needs at least one filter: --source, --destination, --since or --event"
            )
        if opts["status"] == OutcomeStatus.DELIVERED and not opts["include_delivered"]:
            raise CommandError("re-sending delivered outcomes needs --include-delivered")
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
        refused = refused_count(outcomes)
        if refused:
            self.stdout.write(
                f"skipped {refused} outcomes of events refused at ingest "
                "(signature failed or duplicate): they can never be delivered"
            )
        by = Requester(username="", via=ReplayVia.CLI)
        result = bounded_replay(outcomes, by=by, dry_run=opts["dry_run"])
        if opts["dry_run"]:
            self.stdout.write(f"would replay {result['would_queue']} outcomes")
        else:
            self.stdout.write(f"queued {result['queued']} outcomes for replay")
        if result["capped"]:
            self.stdout.write(
                f"capped at BULK_REPLAY_MAX={settings.BULK_REPLAY_MAX} of {result['matched']} "
                "matching: run it again for the next ones"
            )
