"""Admin for API tokens (admins only, by apps/api/backends.py): prefixes and dates,
never a key. Tokens are made with `create_api_token` or POST /api/tokens/.

The change history (auditlog's own admin, which viewers may read) shows token entries
to admins only, as /api/audit-log/ does.
"""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.api.filters import without_admin_only
from apps.api.models import ApiToken
from apps.api.tokens import revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    fields = ("prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a key is shown once, by the command or the API

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke(token)
        self.message_user(request, f"{queryset.count()} token(s) revoked.", messages.SUCCESS)


class RoleScopedLogEntryAdmin(LogEntryAdmin):
    def get_queryset(self, request: HttpRequest | None) -> QuerySet[LogEntry]:
        entries = super().get_queryset(request)
        # No request: a caller of our own code (a check, a test), not a person reading.
        return entries if request is None else without_admin_only(entries, request.user)


# auditlog registers its admin first (it comes before apps.api in INSTALLED_APPS).
admin.site.unregister(LogEntry)
admin.site.register(LogEntry, RoleScopedLogEntryAdmin)
