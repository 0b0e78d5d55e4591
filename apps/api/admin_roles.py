"""Admin actions follow the roles too.

Django shows an action to anyone who may view the list unless the action names the
permissions it needs. Every action registered without them (replay, re-route) is an
operator's: `guard_actions` marks it so at start-up, and gives each model admin the
`has_operate_permission` check that the mark refers to. Actions that name their own
permissions (`delete_selected` needs delete, so an admin) keep them.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite, ModelAdmin
from django.http import HttpRequest

from apps.api.roles import Role, has_role

OPERATE = "operate"


def may_operate(request: HttpRequest) -> bool:
    return has_role(request.user, Role.OPERATOR)


def guard_actions(site: AdminSite) -> None:
    for model_admin in site._registry.values():
        guard_model_admin(model_admin)


def guard_model_admin(model_admin: ModelAdmin) -> None:
    if not hasattr(model_admin, f"has_{OPERATE}_permission"):
        model_admin.has_operate_permission = may_operate
    for entry in model_admin.actions or ():
        func = getattr(type(model_admin), entry, None) if isinstance(entry, str) else entry
        if func is None:
            continue  # a site-wide action named by string: it keeps its own rule
        if not getattr(func, "allowed_permissions", None):
            func.allowed_permissions = (OPERATE,)
