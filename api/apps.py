from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from api import extensions, schema  # noqa: F401  (schema: the Bearer scheme)

        # "API tokens" among the profile's tabs (its owner's page).
        extensions.register()
