from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "apps.ingestion"
    label = "ingestion"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.core.models import Source
        from apps.ingestion import sources

        # A change saved in this process is seen at once; other processes within
        # SOURCE_CACHE_SECONDS.
        post_save.connect(lambda **_: sources.forget(), sender=Source, weak=False)
        post_delete.connect(lambda **_: sources.forget(), sender=Source, weak=False)
