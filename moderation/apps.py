from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_close_reasons(sender, **kwargs) -> None:
    """After ``migrate`` or ``flush``: a site with no close reasons gets the defaults."""
    from moderation.defaults import install_close_reasons
    from moderation.models import CloseReason

    if not CloseReason.objects.exists():
        install_close_reasons(CloseReason)


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from moderation import extensions, handlers, help_pages, redactors

        handlers.connect()
        # Names in the event log, redacted when an account is erased (accounts.redaction).
        redactors.register()
        # What moderation shows on the pages of the apps below it (their extension points).
        extensions.register()
        help_pages.register()  # its pages of the help centre
        post_migrate.connect(ensure_close_reasons, sender=self)
