"""Votes and comment votes: cast and retracted through the vote services."""

from django import forms
from django.contrib import admin

from threads import services
from threads.admin.common import adopt, post_column
from threads.admin.service_calls import ServiceDeleteMixin, service_call
from threads.models import CommentVote, Vote


class VoteAdminForm(forms.ModelForm):
    """A vote goes on someone else's live post (or comment: ``target``), which the form
    checks. Where the voter and the target are read-only (a vote's value being changed), the
    vote's own are checked."""

    target = "post"

    def clean(self):
        cleaned = super().clean()
        user, target = (
            cleaned.get(name) or getattr(self.instance, name, None)
            for name in ("user", self.target)
        )
        if target is not None and target.deleted_at is not None:
            raise forms.ValidationError(f"This {self.target} has been deleted.")
        if user is not None and target is not None and target.author_id == user.pk:
            raise forms.ValidationError(f"Nobody votes on their own {self.target}.")
        return cleaned


class CommentVoteAdminForm(VoteAdminForm):
    target = "comment"


@admin.register(Vote)
class VoteAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    """Add, change (up ↔ down) and delete go through ``vote_cast`` / ``vote_retract``, so
    the post's score and the reputation ledger follow."""

    form = VoteAdminForm
    delete_note = "retracted: score and reputation are undone"
    list_display = ("id", "value", "post_link", "user", "cast_at")
    list_select_related = ("user", "post")
    list_filter = ("value", "post__kind", "cast_at")
    search_fields = ("user__username", "user__display_name", "post__id__exact")
    autocomplete_fields = ("user", "post")
    date_hierarchy = "cast_at"
    ordering = ("-cast_at",)
    show_full_result_count = False
    delete_select_related = ("user", "post")

    post_link = post_column("post")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "post", "value")
        return ("user", "post", "value", "cast_at")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "post", "cast_at") if obj is not None else ()

    @service_call
    def save_model(self, request, obj, form, change):
        if change and "value" not in form.changed_data:
            return
        # Changing a vote's value replaces the row (``vote_cast`` undoes the old vote first).
        services.vote_cast(user=obj.user, post=obj.post, value=obj.value)
        adopt(obj, Vote.objects.get(user=obj.user, post=obj.post))

    def service_delete(self, request, obj) -> None:
        services.vote_retract(user=obj.user, post=obj.post)


@admin.register(CommentVote)
class CommentVoteAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    form = CommentVoteAdminForm
    delete_note = "retracted: the comment's score is undone"
    list_display = ("id", "comment", "user", "cast_at")
    list_select_related = ("user", "comment")
    list_filter = ("cast_at",)
    search_fields = ("user__username", "user__display_name", "comment__body")
    autocomplete_fields = ("user", "comment")
    date_hierarchy = "cast_at"
    ordering = ("-cast_at",)
    delete_select_related = ("user", "comment__post")

    def get_fields(self, request, obj=None):
        return ("user", "comment") if obj is None else ("user", "comment", "cast_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @service_call
    def save_model(self, request, obj, form, change):
        services.comment_vote_cast(user=obj.user, comment=obj.comment)
        adopt(obj, CommentVote.objects.get(user=obj.user, comment=obj.comment))

    def service_delete(self, request, obj) -> None:
        services.comment_vote_retract(user=obj.user, comment=obj.comment)
