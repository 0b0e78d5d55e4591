from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "apps.routing"
    label = "routing"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.core.models import Destination, Route, Transformation
        from apps.routing import table

        def changed(**_: object) -> None:
            table.changed()

        for model in (Route, Destination, Transformation):
            for signal in (post_save, post_delete):
                signal.connect(changed, sender=model, weak=False, dispatch_uid=f"rc:{model}")
