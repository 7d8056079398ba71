"""Close and reopen votes: history, read-only."""

from django.contrib import admin

from moderation.models import CloseVote, ReopenVote
from threads.admin.common import ReadOnlyAdmin, post_column


class QuestionVoteAdmin(ReadOnlyAdmin):
    """Close and reopen votes: written only by ``moderation.services``."""

    list_filter = ("state", "binding", "created_at")
    search_fields = ("question__id__exact", "question__title", "voter__username")
    raw_id_fields = ("question", "voter")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False

    question_link = post_column("question")


@admin.register(CloseVote)
class CloseVoteAdmin(QuestionVoteAdmin):
    list_display = (
        "id",
        "question_link",
        "voter",
        "reason",
        "state",
        "binding",
        "created_at",
    )
    list_select_related = ("question", "voter", "reason__parent")
    list_filter = ("state", "reason", "binding", "created_at")
    raw_id_fields = ("question", "voter", "reason", "duplicate_of")
    fields = (
        "question",
        "voter",
        "reason",
        "duplicate_of",
        "comment",
        "state",
        "binding",
        "created_at",
        "ended_at",
    )


@admin.register(ReopenVote)
class ReopenVoteAdmin(QuestionVoteAdmin):
    list_display = ("id", "question_link", "voter", "state", "binding", "created_at")
    list_select_related = ("question", "voter")
    fields = ("question", "voter", "state", "binding", "created_at", "ended_at")
