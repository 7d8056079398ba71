"""Review tasks, reviews and review suspensions: written by the review services, read-only."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from moderation.models import Review, ReviewSuspension, ReviewTask
from threads.admin.common import ReadOnlyAdmin, ReadOnlyInline, post_column
from threads.admin.filters import is_future, yes_no_filter


class ReviewInline(ReadOnlyInline):
    """The reviews of a task: history, view only."""

    model = Review
    fields = ("reviewer", "decision", "comment", "audit_passed", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    """Tasks enter and leave their queues through ``moderation.tasks`` and
    ``moderation.reviews``: view only, with the task's reviews inline."""

    list_display = (
        "id",
        "queue",
        "post_link",
        "state",
        "outcome",
        "is_audit",
        "created_at",
        "completed_at",
    )
    list_select_related = ("post",)
    list_filter = ("queue", "state", "is_audit", "created_at")
    search_fields = ("post__id__exact", "post__title", "outcome")
    raw_id_fields = ("post", "suggested_edit", "audit_for")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    inlines = (ReviewInline,)

    post_link = post_column("post")
    fields = (
        "queue",
        "post",
        "suggested_edit",
        ("state", "outcome"),
        ("is_audit", "audit_expected", "audit_for"),
        "created_at",
        "completed_at",
    )


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """One reviewer's decision on one task: written only by ``reviews.review_decide``."""

    list_display = ("id", "task", "reviewer", "decision", "audit_passed", "created_at")
    list_select_related = ("task", "reviewer")
    list_filter = ("decision", "task__queue", "audit_passed", "created_at")
    search_fields = ("reviewer__username", "reviewer__display_name", "task__post__id__exact")
    raw_id_fields = ("task", "reviewer")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False
    fields = ("task", "reviewer", "decision", "comment", "audit_passed", "created_at")


InForceFilter = yes_no_filter(
    "in force", "in_force", lambda: is_future("ends_at")() & Q(lifted_at__isnull=True)
)


@admin.register(ReviewSuspension)
class ReviewSuspensionAdmin(ReadOnlyAdmin):
    """Review bans after failed audits (``review_bans.ban_after_failed_audits``). View
    only: a moderator lifts one early from the dashboard (``review_bans.review_ban_lift``),
    not by editing ``ends_at`` here."""

    list_display = ("user", "reason", "starts_at", "ends_at", "lifted_at", "in_force")
    list_select_related = ("user",)
    list_filter = (InForceFilter, "starts_at")
    search_fields = ("user__username", "user__display_name", "reason")
    raw_id_fields = ("user",)
    ordering = ("-ends_at", "-pk")
    fields = ("user", "reason", "starts_at", "ends_at", "lifted_at", "lifted_by")

    @admin.display(description="in force", boolean=True)
    def in_force(self, obj) -> bool:
        return obj.in_force(timezone.now())
