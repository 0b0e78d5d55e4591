"""`manage.py relay_apply relay.yaml`: apply a configuration file (apps.config.config_file).

The change history names who ran it: `--actor`, by default the OS user running the
command, so a deployment's changes are not attributed to "system".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.config.config_file import ConfigError, apply_plan, load
from apps.core.audit import attributed_to, os_user


class Command(BaseCommand):
    help = "Create or update sources, destinations and routes from a YAML or JSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="show changes, write nothing")
        parser.add_argument(
            "--actor",
            help="who the change history names (a RelayCore user or any name); "
            "default: the OS user running the command",
        )

    def handle(self, *args, file: Path, dry_run: bool, actor: str | None, **options) -> None:
        try:
            with attributed_to(actor or os_user("relay_apply"), via="relay_apply"):
                plan = apply_plan(load(file), dry_run=dry_run)
        except ConfigError as exc:
            raise CommandError(f"nothing was applied:\n{exc}") from None
        for warning in plan.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        changes = plan.changes
        prefix = "would " if dry_run else ""
        for change in changes:
            self.stdout.write(prefix + change)
        if not changes:
            self.stdout.write("no changes")
