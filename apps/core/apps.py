from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "RelayCore"

    def ready(self) -> None:
        import relaycore.celery  # noqa: F401 - the Celery app, before any task is sent
        from apps.core import lookups  # noqa: F401 - registers body__bytes_contains
