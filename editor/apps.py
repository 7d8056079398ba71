from django.apps import AppConfig


class EditorConfig(AppConfig):
    """The writing tools of the post forms: the live preview and images uploaded into posts
    (docs/rules.md, "The editor and images in posts")."""

    name = "editor"
    verbose_name = "Editor and uploads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from editor import services

        # A saved post claims the uploads its Markdown shows (so they are no orphans).
        services.connect()
