from django.apps import AppConfig


class TransformersConfig(AppConfig):
    name = "apps.transformers"
    label = "transformers"
