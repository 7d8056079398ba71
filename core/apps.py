from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    """The foundation: configuration, Markdown, helpers, shared exceptions and middleware.
    It imports no other app of the project (docs/architecture.md)."""

    name = "core"
    verbose_name = "Foundation"

    def ready(self):
        from core.converters import IdConverter, TagNameConverter

        # Every app's routes use these (URLconfs load after the apps are ready).
        register_converter(IdConverter, "id")
        register_converter(TagNameConverter, "tag")
