"""Admin: notification channels (secrets write-only, a "send test notification"
action) and the notifications sent, read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.admin_base import SoftDeleteAdmin, WriteOnlySecretsForm, kept_url, mask_stored_url
from apps.core.secret_urls import mask_url
from apps.core.standard_webhooks import generate_secret
from apps.notifications.models import Channel, Notification
from apps.notifications.test_notice import send_test


class ChannelForm(WriteOnlySecretsForm):
    secret_fields = ("secret",)

    class Meta:
        model = Channel
        fields = (
            "name",
            "kind",
            "url",
            "emails",
            "secret",
            "types",
            "sources",
            "destinations",
            "is_active",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"] = forms.CharField(required=False, max_length=2000)
        self.fields["secret"].help_text += " A webhook channel without one gets a new secret."
        mask_stored_url(self)

    def clean_url(self) -> str:
        return kept_url(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "webhook" and not data.get("secret"):
            data["secret"] = generate_secret()
            self.instance.secret = data["secret"]
        return data


@admin.register(Channel)
class ChannelAdmin(SoftDeleteAdmin):
    form = ChannelForm
    list_display = ("name", "kind", "shown_url", "is_active", "last_success_at", "last_error")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    readonly_fields = ("last_error", "last_success_at", "last_failure_at", "created_at")
    actions = ("send_test_notification",)

    @admin.display(description="URL")
    def shown_url(self, obj: Channel) -> str:
        return mask_url(obj.url) if obj.url else ", ".join(obj.emails)

    @admin.action(description="Send a test notification to the selected channels")
    def send_test_notification(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        for channel in queryset:
            sent = send_test(channel)
            if sent.status == "sent":
                self.message_user(request, f"{channel.name}: test notification sent.")
            else:
                self.message_user(
                    request, f"{channel.name}: {sent.last_error or sent.status}", messages.ERROR
                )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "type", "subject", "channel_name", "status", "attempts")
    list_filter = ("status", "type")
    search_fields = ("subject", "channel_name")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
