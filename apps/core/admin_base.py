"""Admin building blocks every stage's admin uses: secrets that are write-only in forms,
and the confirmation page of a soft delete (apps/core/deletion.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

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


KEPT = "its events, outcomes and attempts are kept"


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


def mask_stored_url(form: forms.ModelForm) -> None:
    """A stored URL that holds its own token is a secret: the form shows it masked."""
    stored = form.instance.url if form.instance.pk else ""
    if stored and carries_credential(stored):
        form.initial["url"] = mask_url(stored)
        form.fields["url"].help_text = (
            "This URL carries a credential and is shown masked. Leave it as is to "
            "keep the stored URL, or enter a new one."
        )


def kept_url(form: forms.ModelForm) -> str:
    """The URL to save: the stored one when the masked value came back unchanged."""
    url = form.cleaned_data["url"]
    stored = form.instance.url if form.instance.pk else ""
    if stored and url != stored and url == mask_url(stored):
        return stored
    return url
