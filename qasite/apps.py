from django.apps import AppConfig


class QasiteConfig(AppConfig):
    name = "qasite"
    verbose_name = "Site and users"
