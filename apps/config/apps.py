from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Configuration of sources, destinations and routes: validation, admin, files.

    It sits above the stages because its rules are theirs (schemes, conditions,
    transformers, the SSRF guard); the models it configures stay in core.
    """

    name = "apps.config"
    label = "config"
    verbose_name = "RelayCore configuration"

    def ready(self) -> None:
        from apps.config import validation

        validation.register()
