from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Moderator's desk"

    def ready(self) -> None:
        from desk import extensions, notices, redactors

        # Authors' names in messages and annotations, redacted on erasure (accounts.redaction).
        redactors.register()

        # "Message / suspend", the suspension line and the messages pages on a profile.
        extensions.register()
        # The blocking notice's cache entry is filled at login (desk.notices).
        notices.connect()
