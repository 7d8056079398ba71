from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (users, the seed thread, generated sites) and the commands that load it."""

    name = "demo"
    verbose_name = "Demo data"
