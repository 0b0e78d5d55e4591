from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.models import OutcomeStatus, RouteOutcome
from apps.delivery.replay import replay_outcomes


def parse_since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        raise CommandError(f"--since {value!r} is not an ISO date-time, e.g. 2026-11-29T08:00")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Replay route outcomes (by default every dead letter) matching the filters."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--status",
            default=OutcomeStatus.DEAD_LETTERED,
            choices=[OutcomeStatus.DEAD_LETTERED, OutcomeStatus.DELIVERED, OutcomeStatus.RETRYING],
        )
        parser.add_argument("--source", help="source slug")
        parser.add_argument("--destination", help="destination name")
        parser.add_argument("--since", type=parse_since, help="outcomes created since (ISO)")
        parser.add_argument("--event", type=int, help="one event id")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts) -> None:
        outcomes = RouteOutcome.objects.filter(status=opts["status"])
        if opts["source"]:
            outcomes = outcomes.filter(event__source__slug=opts["source"])
        if opts["destination"]:
            outcomes = outcomes.filter(destination__name=opts["destination"])
        if opts["since"]:
            outcomes = outcomes.filter(created_at__gte=opts["since"])
        if opts["event"]:
            outcomes = outcomes.filter(event_id=opts["event"])
        if opts["dry_run"]:
            self.stdout.write(f"would replay {outcomes.count()} outcomes")
            return
        self.stdout.write(f"queued {replay_outcomes(outcomes)} outcomes for replay")
