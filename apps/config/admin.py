"""Admin for the configuration: sources, destinations, routes, transformations.

Secrets are write-only here too: the form shows whether one is set and its last four
characters, and a blank field keeps the stored value. A destination URL that carries a
credential is shown masked and kept unless replaced. Deleting is soft, as everywhere
(apps/core/deletion.py): the confirmation page lists what goes and says what stays.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from apps.core.admin_base import SoftDeleteAdmin, WriteOnlySecretsForm, kept_url, mask_stored_url
from apps.core.models import Destination, Route, Source, Transformation, TransformationVersion
from apps.core.secret_urls import mask_url
from apps.ingestion.verification import scheme_choices
from apps.transformers.registry import transformer_choices


class SourceForm(WriteOnlySecretsForm):
    secret_fields = ("secret",)

    class Meta:
        model = Source
        fields = (
            "name",
            "slug",
            "is_active",
            "verification_scheme",
            "secret",
            "verification_options",
            "event_type_header",
            "event_type_path",
            "idempotency_header",
            "dedupe_by_body",
            "rate_limit_per_minute",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verification_scheme"] = forms.ChoiceField(choices=scheme_choices())


class DestinationForm(WriteOnlySecretsForm):
    secret_fields = ("auth_header", "signing_secret")
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = Destination
        fields = ("name", "url", "is_active", "auth_header", "timeout_seconds", "signing_secret")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mask_stored_url(self)

    def clean_url(self) -> str:
        return kept_url(self)


class RouteForm(forms.ModelForm):
    class Meta:
        model = Route
        fields = (
            "name",
            "source",
            "destination",
            "is_active",
            "event_types",
            "conditions",
            "transformer",
            "transformer_options",
            "transformation",
            "priority",
            "rate_limit_per_minute",
            "ordering_key",
            "ordering_dead_letter_blocks",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transformer"] = forms.ChoiceField(
            choices=[("", "(none: use the transformation)"), *transformer_choices()],
            required=False,
        )


def _set_flag(model_admin, request: HttpRequest, queryset, message: str, **fields) -> None:
    """Save each row through the model, so that pausing holds and resuming releases: the
    receivers apps.delivery connects to its save signals do it, as for any other save."""
    count = 0
    for obj in queryset:
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=[*fields, "updated_at"])
        count += 1
    model_admin.message_user(request, message.format(count=count))


class PauseActions:
    """Operator actions (apps/api/admin_roles.py: no permissions named)."""

    actions = ("pause", "resume")

    @admin.action(description="Pause (hold deliveries, send nothing)")
    def pause(self, request: HttpRequest, queryset) -> None:
        _set_flag(
            self, request, queryset, "{count} paused: their deliveries are held.", paused=True
        )

    @admin.action(description="Resume (release held deliveries, oldest first)")
    def resume(self, request: HttpRequest, queryset) -> None:
        _set_flag(self, request, queryset, "{count} resumed.", paused=False)


@admin.register(Source)
class SourceAdmin(PauseActions, SoftDeleteAdmin):
    form = SourceForm
    list_display = (
        "name",
        "slug",
        "verification_scheme",
        "rate_limit_per_minute",
        "is_active",
        "paused",
        "ingest_url",
    )
    list_filter = ("is_active", "paused", "verification_scheme")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("paused", "previous_secret_expires_at", "created_at", "updated_at")

    @admin.display(description="ingest URL")
    def ingest_url(self, obj: Source) -> str:
        return reverse("webhook-receive", args=[obj.slug])

    def goes_with(self, obj: Source) -> list:
        return list(obj.routes.all())


@admin.register(Destination)
class DestinationAdmin(PauseActions, SoftDeleteAdmin):
    form = DestinationForm
    actions = (*PauseActions.actions, "enable")
    list_display = (
        "name",
        "shown_url",
        "is_active",
        "paused",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
    )
    list_filter = ("is_active", "paused")
    search_fields = ("name",)  # the URL is encrypted at rest: not searchable
    readonly_fields = (
        "paused",
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "failing_since",
        "disabled_until",
        "last_error",
        "last_success_at",
        "last_failure_at",
        "previous_signing_secret_expires_at",
        "created_at",
        "updated_at",
    )

    def protected_by(self, obj: Destination) -> list:
        return [f"Route {route} still delivers here" for route in obj.routes.all()]

    @admin.action(description="Enable (release held deliveries, oldest first)")
    def enable(self, request: HttpRequest, queryset) -> None:
        _set_flag(self, request, queryset, "{count} enabled.", is_active=True)

    @admin.display(description="URL")
    def shown_url(self, obj: Destination) -> str:
        return mask_url(obj.url)


@admin.register(Route)
class RouteAdmin(PauseActions, SoftDeleteAdmin):
    form = RouteForm
    list_display = (
        "name",
        "source",
        "destination_link",
        "event_types",
        "transformer",
        "priority",
        "is_active",
        "paused",
    )
    list_filter = ("is_active", "paused", "source", "destination", "transformer")
    readonly_fields = ("paused",)
    search_fields = ("name",)
    list_select_related = ("source", "destination")

    @admin.display(description="destination")
    def destination_link(self, obj: Route):
        url = reverse("admin:core_destination_change", args=[obj.destination_id])
        return format_html('<a href="{}">{}</a>', url, obj.destination)


class TransformationVersionInline(admin.TabularInline):
    model = TransformationVersion
    fields = ("version", "created_at", "code")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-version",)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Transformation)
class TransformationAdmin(SoftDeleteAdmin):
    list_display = ("name", "version", "updated_at")
    search_fields = ("name", "description")
    readonly_fields = ("version", "created_at", "updated_at")
    fields = ("name", "description", "code", "version", "created_at", "updated_at")
    inlines = (TransformationVersionInline,)

    def protected_by(self, obj: Transformation) -> list:
        return [f"Route {route} still uses it" for route in obj.routes.all()]
