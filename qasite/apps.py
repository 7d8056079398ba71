from django.apps import AppConfig
from django.urls import register_converter


class QasiteConfig(AppConfig):
    name = "qasite"
    verbose_name = "Site and users"

    def ready(self):
        from qasite.converters import IdConverter

        # Every app's routes use it (URLconfs load after the apps are ready).
        register_converter(IdConverter, "id")
