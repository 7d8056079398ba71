from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import extensions, handlers, redactors

        # Actors' names in notices, redacted when an account is erased (accounts.redaction).
        redactors.register()

        # Who hears of what: receivers of threads' and moderation's signals.
        handlers.connect()
        # The inbox count in the user menu, the follow button and route on questions.
        extensions.register()
