import json

import yaml
from django.core.management.base import BaseCommand

from apps.config.config_file import export


class Command(BaseCommand):
    help = "Print sources, destinations and routes in the relay_apply format (secrets masked)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
        parser.add_argument(
            "--with-secrets",
            action="store_true",
            help="include every secret and full destination URL in clear (for a backup)",
        )

    def handle(self, *args, format: str, with_secrets: bool, **options) -> None:
        doc = export(with_secrets=with_secrets)
        if format == "json":
            self.stdout.write(json.dumps(doc, indent=2))
        else:
            self.stdout.write(yaml.safe_dump(doc, sort_keys=False))
