from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A member's own data: downloading it, and deleting the account (docs/rules.md,
    "Your data")."""

    name = "privacy"
    verbose_name = "Your data"

    def ready(self) -> None:
        from privacy import extensions, notices, redactors

        # The admin's history names members it changed (accounts.redaction).
        redactors.register()

        # "Your data" among the profile's tabs (its owner's pages).
        extensions.register()
        # The reminder of a pending deletion at each login.
        notices.connect()
