"""`manage.py issues`: list issues (failures grouped by destination and error kind), and
acknowledge, resolve or replay one, as the dashboard and the API do."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.models import ErrorKind, Issue, IssueStatus
from apps.delivery import issues
from apps.delivery.replay import Requester

ACTIONS = ("acknowledge", "resolve", "replay")


class Command(BaseCommand):
    help = (
        "List issues, latest first (--status, --kind, --destination), or act on one: "
        "--acknowledge ID, --resolve ID, --replay ID (its dead letters)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--status", choices=IssueStatus.values)
        parser.add_argument("--kind", choices=ErrorKind.values)
        parser.add_argument("--destination", help="destination name")
        actions = parser.add_mutually_exclusive_group()
        for name in ACTIONS:
            actions.add_argument(f"--{name}", type=int, metavar="ID")
        parser.add_argument(
            "--by", default="cli", help="who acknowledges or resolves (default: cli)"
        )

    def handle(self, *args, **opts) -> None:
        action = next((name for name in ACTIONS if opts[name] is not None), None)
        if action is None:
            self._list(opts)
            return
        issue = Issue.objects.select_related("destination").filter(pk=opts[action]).first()
        if issue is None:
            raise CommandError(f"there is no issue {opts[action]}")
        if action == "replay":
            result = issues.replay_dead_letters(issue, Requester.command_line())
            self.stdout.write(f"queued {result['queued']} dead letters of issue {issue.pk}")
            if result["capped"]:
                self.stdout.write(
                    f"capped at BULK_REPLAY_MAX={settings.BULK_REPLAY_MAX} of "
                    f"{result['matched']}: run it again for the next ones"
                )
            return
        try:
            changed = getattr(issues, action)(issue, opts["by"])
        except issues.IssueStateError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"issue {changed.pk} is {changed.status}")

    def _list(self, opts: dict) -> None:
        found = Issue.objects.select_related("destination").order_by("-last_seen", "-id")
        if opts["status"]:
            found = found.filter(status=opts["status"])
        if opts["kind"]:
            found = found.filter(kind=opts["kind"])
        if opts["destination"]:
            found = found.filter(destination__name=opts["destination"])
        for issue in found[:200]:
            self.stdout.write(
                f"{issue.pk:>6}  {issue.status:<12}  {issue.kind:<15}  {issue.count:>7}  "
                f"{issue.last_seen:%Y-%m-%d %H:%M:%S}  {issue.destination.name}: {issue.last_error}"
            )
