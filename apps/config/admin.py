"""Admin for the configuration: sources, destinations, routes.

Secrets are write-only here too: the form shows whether one is set and its last four
characters, and a blank field keeps the stored value. A destination URL that carries a
credential is shown masked and kept unless replaced. Deleting is soft, as everywhere
(apps/core/deletion.py): the confirmation page lists what goes and says what stays.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from apps.core.admin_base import SoftDeleteAdmin, WriteOnlySecretsForm
from apps.core.models import Destination, Route, Source
from apps.core.secret_urls import carries_credential, mask_url
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
        self.fields["transformer"] = forms.ChoiceField(choices=transformer_choices())


@admin.register(Source)
class SourceAdmin(SoftDeleteAdmin):
    form = SourceForm
    list_display = (
        "name",
        "slug",
        "verification_scheme",
        "rate_limit_per_minute",
        "is_active",
        "ingest_url",
    )
    list_filter = ("is_active", "verification_scheme")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("previous_secret_expires_at", "created_at", "updated_at")

    @admin.display(description="ingest URL")
    def ingest_url(self, obj: Source) -> str:
        return reverse("webhook-receive", args=[obj.slug])

    def goes_with(self, obj: Source) -> list:
        return list(obj.routes.all())


@admin.register(Destination)
class DestinationAdmin(SoftDeleteAdmin):
    form = DestinationForm
    list_display = (
        "name",
        "shown_url",
        "is_active",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name",)  # the URL is encrypted at rest: not searchable
    readonly_fields = (
        "consecutive_failures",
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

    @admin.display(description="URL")
    def shown_url(self, obj: Destination) -> str:
        return mask_url(obj.url)


@admin.register(Route)
class RouteAdmin(SoftDeleteAdmin):
    form = RouteForm
    list_display = (
        "name",
        "source",
        "destination_link",
        "event_types",
        "transformer",
        "priority",
        "is_active",
    )
    list_filter = ("is_active", "source", "destination", "transformer")
    search_fields = ("name",)
    list_select_related = ("source", "destination")

    @admin.display(description="destination")
    def destination_link(self, obj: Route):
        url = reverse("admin:core_destination_change", args=[obj.destination_id])
        return format_html('<a href="{}">{}</a>', url, obj.destination)
