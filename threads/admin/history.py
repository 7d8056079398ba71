"""History: revisions (rolled back through ``post_rollback``), the reputation ledger, suggested
edits and post links, all read-only."""

from django.contrib import admin, messages

from threads import services
from threads.admin.common import ReadOnlyAdmin, post_column
from threads.admin.service_calls import ServiceRefusalsMixin, service_call
from threads.models import PostLink, ReputationChange, Revision, SuggestedEdit


@admin.register(Revision)
class RevisionAdmin(ServiceRefusalsMixin, ReadOnlyAdmin):
    list_display = (
        "__str__",
        "post_link",
        "number",
        "kind",
        "editor_name",
        "summary",
        "created_at",
    )
    list_select_related = ("post", "editor")
    list_filter = ("kind", "created_at")
    search_fields = ("post__id__exact", "title", "summary", "editor_name", "editor__username")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    actions = ("rollback_to_selected",)
    fields = (
        "post",
        "number",
        "kind",
        "title",
        "body",
        "tags",
        ("editor", "editor_name"),
        "summary",
        "created_at",
    )

    post_link = post_column("post")

    def has_rollback_permission(self, request) -> bool:
        return request.user.has_perm("threads.change_post")

    @admin.action(description="Roll back to the selected revisions", permissions=["rollback"])
    @service_call
    def rollback_to_selected(self, request, queryset):
        done = sum(
            services.post_rollback(editor=request.user, post=revision.post, revision=revision)
            is not None
            for revision in queryset.select_related("post")
        )
        self.message_user(request, f"Rolled back {done} post(s).", messages.SUCCESS)


@admin.register(ReputationChange)
class ReputationChangeAdmin(ReadOnlyAdmin):
    """The ledger: written only by ``threads.reputation``."""

    list_display = ("id", "user", "amount", "cause", "post", "vote_id", "day", "created_at")
    list_select_related = ("user", "post")
    list_filter = ("cause", "day")
    search_fields = ("user__username", "user__display_name", "post__id__exact")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    show_full_result_count = False


@admin.register(SuggestedEdit)
class SuggestedEditAdmin(ReadOnlyAdmin):
    """Decided in the Suggested edits review queue (its services apply or reject them)."""

    list_display = ("id", "post", "author", "state", "created_at", "decided_at")
    list_filter = ("state",)
    list_select_related = ("post", "author")
    raw_id_fields = ("post", "author")
    search_fields = ("post__id__exact", "post__title", "author__username", "summary")
    date_hierarchy = "created_at"


@admin.register(PostLink)
class PostLinkAdmin(ReadOnlyAdmin):
    """Written by the services that close questions as duplicates (and by the importer)."""

    list_display = ("id", "post", "target", "kind", "created_at")
    list_filter = ("kind",)
    list_select_related = ("post", "target")
    raw_id_fields = ("post", "target")
    search_fields = ("post__id__exact", "target__id__exact", "post__title")
