"""Admin for the configuration: sources, destinations, routes.

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

from apps.core.models import Destination, Route, Source
from apps.core.secret_urls import carries_credential, mask_url


def masked(value: str) -> str:
    return f"set, ends in …{value[-4:]}" if value else "not set"


class WriteOnlySecretsForm(forms.ModelForm):
    secret_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.secret_fields:
            current = getattr(self.instance, name, "") if self.instance.pk else ""
            self.fields[name] = forms.CharField(
                required=False,
                widget=forms.PasswordInput(render_value=False),
                help_text=f"{masked(current)}. Leave blank to keep the stored value.",
            )

    def clean(self):
        data = super().clean()
        for name in self.secret_fields:
            if not data.get(name) and self.instance.pk:
                data[name] = getattr(self.instance, name)
                setattr(self.instance, name, data[name])
        return data


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
        from apps.ingestion.verification import scheme_choices

        self.fields["verification_scheme"] = forms.ChoiceField(choices=scheme_choices())


class DestinationForm(WriteOnlySecretsForm):
    secret_fields = ("auth_header", "signing_secret")
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = Destination
        fields = ("name", "url", "is_active", "auth_header", "timeout_seconds", "signing_secret")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.url if self.instance.pk else ""
        if stored and carries_credential(stored):
            # A URL holding its own token is a secret: shown masked, kept unless replaced.
            self.initial["url"] = mask_url(stored)
            self.fields["url"].help_text = (
                "This URL carries a credential and is shown masked. Leave it as is to "
                "keep the stored URL, or enter a new one."
            )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        stored = self.instance.url if self.instance.pk else ""
        if stored and url != stored and url == mask_url(stored):
            return stored
        return url


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
            "priority",
            "rate_limit_per_minute",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from apps.transformers.registry import transformer_choices

        self.fields["transformer"] = forms.ChoiceField(choices=transformer_choices())


KEPT = "its events, outcomes and attempts are kept"


def _set_flag(model_admin, request: HttpRequest, queryset, message: str, **fields) -> None:
    """Save each row through the model, so that pausing holds and resuming releases (the
    receivers apps.delivery connects to its save signals do it; core knows no stage)."""
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


class SoftDeleteAdmin(admin.ModelAdmin):
    """The delete confirmation of a soft delete: nothing cascades, history is kept.

    Django's own page would walk the relations and call the events "protected"; the
    delete itself (Model.delete, QuerySet.delete) is soft already.
    """

    def get_deleted_objects(self, objs, request: HttpRequest):
        objs = list(objs)
        listed = [f"{obj} ({KEPT})" for obj in objs]
        for obj in objs:
            listed += [f"Route {route} (deleted with its source)" for route in self.goes_with(obj)]
        counts = {self.model._meta.verbose_name_plural: len(objs)}
        protected = [str(item) for obj in objs for item in self.protected_by(obj)]
        return listed, counts, set(), protected

    def goes_with(self, obj) -> list:
        return []

    def protected_by(self, obj) -> list:
        return []


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
