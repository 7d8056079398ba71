from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ThreadsConfig(AppConfig):
    name = "threads"
    verbose_name = "Questions and answers"

    def ready(self) -> None:
        from threads import redactors
        from threads.search.schema import reinstall_if_dropped

        # Names copied as text, redacted when an account is erased (accounts.redaction).
        redactors.register()

        # On SQLite a migration that remakes threads_post drops the search index's triggers.
        post_migrate.connect(reinstall_if_dropped, sender=self)
