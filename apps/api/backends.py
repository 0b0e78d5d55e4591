"""The admin site's permissions, from the roles (apps/api/roles.py).

Django's admin asks `user.has_perm("core.change_source")` and the like. This backend
answers from the user's role alone, not from per-user or per-group Django permissions:

    viewer, operator  may view the pipeline's models (VIEWABLE_APPS); nothing else
    admin             may do everything, Users, Groups and tokens included

Superusers are admins (Django answers True for them before any backend). The admin
actions that replay or re-route need an operator: see apps/api/admin_roles.py.
Entering the admin site at all still needs `is_staff`.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from apps.api.roles import Role, has_role, role_of

# Apps whose rows a viewer may read: the configuration, the events, the audit log,
# the notification channels and notifications.
VIEWABLE_APPS = frozenset({"core", "auditlog", "notifications"})


class RoleModelBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        role = role_of(user_obj)
        if role is None:
            return False
        if role >= Role.ADMIN:
            return True
        app_label, _, codename = perm.partition(".")
        return app_label in VIEWABLE_APPS and codename.startswith("view_")

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        if has_role(user_obj, Role.ADMIN):
            return True
        return role_of(user_obj) is not None and app_label in VIEWABLE_APPS
