from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "apps.api"
    label = "api"

    def ready(self) -> None:
        from django.contrib import admin

        from apps.api.admin_roles import guard_actions
        from apps.core import audit

        audit.register()
        guard_actions(admin.site)
