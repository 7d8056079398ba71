"""Moderation events: the append-only public record, view only."""

from django.contrib import admin

from moderation.models import ModerationEvent
from threads.admin.common import ReadOnlyAdmin, post_column


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdmin):
    """The append-only record: view only, and no actions (the model refuses updates and
    deletes as well)."""

    actions = None
    list_display = (
        "kind",
        "post_link",
        "question_link",
        "user",
        "actor_name",
        "reason",
        "created_at",
    )
    list_select_related = ("post", "question", "user")
    list_filter = ("kind",)
    search_fields = ("reason", "actor_name", "question__id__exact")
    date_hierarchy = "created_at"
    show_full_result_count = False

    post_link = post_column("post")
    question_link = post_column("question")

    fields = (
        "kind",
        "post",
        "question",
        "user",
        ("actor", "actor_name"),
        "reason",
        "details",
        "policy",
        "created_at",
    )
