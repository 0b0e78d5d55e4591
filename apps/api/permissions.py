"""DRF permissions from the roles (apps/api/roles.py).

Every API view is guarded by `RolePermission` (the default in settings): reading needs
the viewer role, the actions a view lists in `operate_actions` need an operator, any
other write needs an admin. A view may raise the bar for reads with `read_role`.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.api.roles import Role, has_role, role_of


def required_role(request, view) -> Role:
    action = getattr(view, "action", None)
    if action and action in getattr(view, "operate_actions", ()):
        return Role.OPERATOR
    if request.method in SAFE_METHODS:
        return getattr(view, "read_role", Role.VIEWER)
    return getattr(view, "write_role", Role.ADMIN)


class RolePermission(BasePermission):
    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        needed = required_role(request, view)
        if role_of(request.user) is None:
            self.message = "Your account has no role yet: ask an administrator for one."
            return False
        if not has_role(request.user, needed):
            self.message = f"This needs the {needed.label} role."
            return False
        return True
