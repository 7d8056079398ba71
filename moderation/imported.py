"""Posts that were not written on this site (docs/rules.md, "Review queues"): the apps that
bring content from elsewhere (``dumps``' importer, ``demo``'s seed thread) say which, through
the ``imported_posts`` point, and the first-posts queues leave them out, since nobody new
wrote them here."""

from django.db.models import QuerySet

from core.extensions import Cost, ExtensionPoint
from moderation.models import ReviewQueue

imported_posts = ExtensionPoint(
    "imported_posts",
    "A value point: each contribution, called without arguments, returns a query of the ids "
    "of posts imported from elsewhere (``.values(<id column>)``), used as a subquery.",
    costs=frozenset({Cost.NONE}),
)

#: The queues of posts written by new or little-known users.
FIRST_POST_QUEUES = (
    ReviewQueue.FIRST_QUESTIONS,
    ReviewQueue.FIRST_ANSWERS,
    ReviewQueue.LATE_ANSWERS,
)


def without_imported_first_posts(tasks: QuerySet) -> QuerySet:
    """Review tasks minus those of the first-posts queues on imported posts (a subquery
    per contribution: no query of its own)."""
    for contribution in imported_posts.contributions():
        tasks = tasks.exclude(queue__in=FIRST_POST_QUEUES, post__in=contribution.render())
    return tasks
