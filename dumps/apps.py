from django.apps import AppConfig


def imported_post_ids():
    """The posts the importer wrote: each has its ``SourceRow`` (docs/rules.md, "Review
    queues": the first-posts queues leave them out)."""
    from dumps.models import SourceKind, SourceRow

    return SourceRow.objects.filter(kind=SourceKind.POST).values("target_id")


class DumpsConfig(AppConfig):
    name = "dumps"
    verbose_name = "Stack Exchange dumps"

    def ready(self) -> None:
        from moderation.imported import imported_posts

        imported_posts.register("dumps.source-rows", imported_post_ids)
