from django.apps import AppConfig
from django.urls import register_converter


class QasiteConfig(AppConfig):
    name = "qasite"
    verbose_name = "Site and users"

    def ready(self):
        from qasite.converters import IdConverter, TagNameConverter

        # Every app's routes use these (URLconfs load after the apps are ready).
        register_converter(IdConverter, "id")
        register_converter(TagNameConverter, "tag")
