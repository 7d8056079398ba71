from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ThreadsConfig(AppConfig):
    name = "threads"
    verbose_name = "Questions and answers"

    def ready(self) -> None:
        from core.extensions import user_pages
        from threads import redactors
        from threads.search.schema import reinstall_if_dropped
        from threads.views import users

        # The profile's own tabs; other apps add theirs (docs/architecture.md, "Profiles").
        for order, (name, view, label) in enumerate(
            [
                ("activity", users.user_activity, "Activity"),
                ("questions", users.user_questions, "Questions"),
                ("answers", users.user_answers, "Answers"),
                ("tags", users.user_tags, "Tags"),
                ("reputation", users.user_reputation, "Reputation"),
            ]
        ):
            user_pages.register(name, view, url_name=f"user-{name}", tab=label, order=order)

        # Names copied as text, redacted when an account is erased (accounts.redaction).
        redactors.register()

        # On SQLite a migration that remakes threads_post drops the search index's triggers.
        post_migrate.connect(reinstall_if_dropped, sender=self)
