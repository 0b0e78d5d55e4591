"""Print an API token for a user: `manage.py create_api_token alice`.

Scripts send it as `Authorization: Token <key>`. The user's existing token is printed
again unless --rotate asks for a new one (which revokes the old).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Create (or show) the API token of a user; prints the key on stdout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the current token and make a new one."
        )
        parser.add_argument(
            "--create-user",
            action="store_true",
            help="Create the user (without a usable password) when it does not exist.",
        )

    def handle(self, *args, username: str, rotate: bool, create_user: bool, **options) -> None:
        users = get_user_model()
        user = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        if user is None:
            if not create_user:
                raise CommandError(f"No user named {username!r} (pass --create-user to make one).")
            user = users.objects.create_user(**{users.USERNAME_FIELD: username})
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
