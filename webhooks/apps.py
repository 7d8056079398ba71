from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from webhooks import handlers

        # What outside software hears of: receivers of threads' and moderation's signals.
        handlers.connect()
