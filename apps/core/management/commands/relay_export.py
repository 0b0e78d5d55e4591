import json

import yaml
from django.core.management.base import BaseCommand

from apps.core.config_file import export


class Command(BaseCommand):
    help = "Print sources, destinations and routes in the relay_apply format (secrets masked)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")

    def handle(self, *args, format: str, **options) -> None:
        doc = export()
        if format == "json":
            self.stdout.write(json.dumps(doc, indent=2))
        else:
            self.stdout.write(yaml.safe_dump(doc, sort_keys=False))
