"""Who may do what: three roles, kept as Django groups.

    viewer    reads everything but secrets; no writes, replays or test sends
    operator  viewer + replay, re-route, bulk replay, test a route or destination,
              pause and resume
    admin     everything: configuration, secrets, rotation, tokens and users

Roles are ordered, so a check asks for "at least" one. A superuser is an admin; a user
in several groups has the highest of them; a user in none has no role and is refused
everywhere but `/api/auth/me/`.
"""

from __future__ import annotations

from enum import IntEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group


class Role(IntEnum):
    VIEWER = 1
    OPERATOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Role:
        try:
            return cls[label.upper()]
        except KeyError:
            names = ", ".join(role.label for role in cls)
            raise ValueError(f"unknown role {label!r} (one of {names})") from None


GROUP_NAMES = tuple(role.label for role in Role)
# What each role adds to the one below it, as the dashboard and /api/auth/me/ say it.
CAPABILITIES = {
    Role.VIEWER: ("read",),
    Role.OPERATOR: ("replay", "reroute", "bulk_replay", "test", "pause"),
    Role.ADMIN: ("configure", "secrets", "tokens", "users"),
}


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role | None:
    """The user's highest role, or None. Cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_relaycore_role", False)
    if cached is not False:
        return cached
    role: Role | None = Role.ADMIN if user.is_superuser else None
    if role is None:
        names = set(user.groups.filter(name__in=GROUP_NAMES).values_list("name", flat=True))
        found = [r for r in Role if r.label in names]
        role = max(found) if found else None
    user._relaycore_role = role
    return role


def has_role(user, needed: Role) -> bool:
    role = role_of(user)
    return role is not None and role >= needed


def capabilities(role: Role | None) -> list[str]:
    if role is None:
        return []
    return [name for level in Role if level <= role for name in CAPABILITIES[level]]


def set_role(user: AbstractBaseUser, role: Role | None) -> None:
    """Put the user in exactly one role group (or none)."""
    groups = Group.objects.filter(name__in=GROUP_NAMES)
    user.groups.remove(*groups)
    if role is not None:
        user.groups.add(Group.objects.get_or_create(name=role.label)[0])
    if hasattr(user, "_relaycore_role"):
        del user._relaycore_role
