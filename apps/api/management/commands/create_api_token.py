"""Make an API token for a user: `manage.py create_api_token alice [--role operator]`.

Each call makes a NEW token (a stored token is hashed and cannot be shown again) and
prints its key alone on stdout, so `TOKEN=$(manage.py create_api_token alice)` works;
notes go to stderr. Scripts send it as `Authorization: Token <key>` (or `Bearer <key>`).
The change history names who ran it, as relay_apply's: `--actor`, by default the OS user.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.api.roles import GROUP_NAMES, Role, role_of, set_role
from apps.api.tokens import issue_token, revoke_others
from apps.core.audit import attributed_to, os_user

MAX_EXPIRES_DAYS = 3650


def _days(value: str) -> int:
    days = int(value)
    if not 1 <= days <= MAX_EXPIRES_DAYS:
        raise ValueError(days)
    return days


class Command(BaseCommand):
    help = "Make a new API token for a user and print its key (alone) on stdout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--create-user",
            action="store_true",
            help="Create the user (without a usable password) when it does not exist.",
        )
        parser.add_argument("--role", choices=GROUP_NAMES, help="Also give the user this role.")
        parser.add_argument(
            "--expires-days",
            type=_days,
            metavar="N",
            help=f"The token expires after N days (1 to {MAX_EXPIRES_DAYS}); default never.",
        )
        parser.add_argument(
            "--rotate", action="store_true", help="Also revoke the user's other tokens."
        )
        parser.add_argument("--name", default="cli", help="A name for the token (default cli).")
        parser.add_argument(
            "--actor",
            help="who the change history names (a RelayCore user or any name); "
            "default: the OS user running the command",
        )

    def handle(
        self,
        *args,
        username: str,
        create_user: bool,
        role: str | None,
        expires_days: int | None,
        rotate: bool,
        name: str,
        actor: str | None,
        **options,
    ) -> None:
        users = get_user_model()
        via = "create_api_token"
        with attributed_to(actor or os_user(via), via=via), transaction.atomic():
            user = users.objects.filter(**{users.USERNAME_FIELD: username}).first()
            created = False
            if user is None:
                if not create_user:
                    raise CommandError(
                        f"No user named {username!r} (pass --create-user to make one)."
                    )
                user = users.objects.create_user(**{users.USERNAME_FIELD: username})
                created = True
            if not user.is_active:
                raise CommandError(f"User {username!r} is inactive.")
            if role:
                set_role(user, Role.from_label(role))
            token = issue_token(user, name=name[:100], expires_days=expires_days)
            revoked = revoke_others(user, keep=token) if rotate else 0
        if created:
            self.stderr.write(f"created user {username!r}")
        if rotate:
            self.stderr.write(f"revoked {revoked} other token(s) of {username!r}")
        if role_of(user) is None:
            self.stderr.write(
                f"note: {username!r} has no role, so the API refuses this token everywhere "
                "but /api/auth/me/ (pass --role viewer|operator|admin)."
            )
        self.stdout.write(token.key)
