from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.config.config_file import ConfigError, apply_plan, load


class Command(BaseCommand):
    help = "Create or update sources, destinations and routes from a YAML or JSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="show changes, write nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
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
