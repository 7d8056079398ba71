"""Votes and comment votes: cast and retracted through the vote services."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from threads import services
from threads.admin.common import ServiceDeleteMixin, adopt, post_admin_url, short
from threads.admin.refusals import ServiceRefusalsMixin, service_call
from threads.models import CommentVote, Vote


class VoteAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        user = cleaned.get("user") or (instance.user if instance.user_id else None)
        post = cleaned.get("post") or (instance.post if instance.post_id else None)
        if post is not None and post.is_deleted:
            raise forms.ValidationError("This post has been deleted.")
        if user is not None and post is not None and post.author_id == user.pk:
            raise forms.ValidationError("Nobody votes on their own post.")
        return cleaned


@admin.register(Vote)
class VoteAdmin(ServiceRefusalsMixin, ServiceDeleteMixin, admin.ModelAdmin):
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

    @service_call
    def delete_model(self, request, obj):
        services.vote_retract(user=obj.user, post=obj.post)

    @service_call
    def delete_queryset(self, request, queryset):
        for vote in queryset.select_related("user", "post"):
            services.vote_retract(user=vote.user, post=vote.post)

    @admin.display(description="post", ordering="post")
    def post_link(self, obj):
        return format_html('<a href="{}">{}</a>', post_admin_url(obj.post), short(str(obj.post)))


class CommentVoteAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        user, comment = cleaned.get("user"), cleaned.get("comment")
        if comment is not None and comment.deleted_at is not None:
            raise forms.ValidationError("This comment has been deleted.")
        if user is not None and comment is not None and comment.author_id == user.pk:
            raise forms.ValidationError("Nobody votes on their own comment.")
        return cleaned


@admin.register(CommentVote)
class CommentVoteAdmin(ServiceRefusalsMixin, ServiceDeleteMixin, admin.ModelAdmin):
    form = CommentVoteAdminForm
    delete_note = "retracted: the comment's score is undone"
    list_display = ("id", "comment", "user", "cast_at")
    list_select_related = ("user", "comment")
    list_filter = ("cast_at",)
    search_fields = ("user__username", "user__display_name", "comment__body")
    autocomplete_fields = ("user", "comment")
    date_hierarchy = "cast_at"
    ordering = ("-cast_at",)

    def get_fields(self, request, obj=None):
        return ("user", "comment") if obj is None else ("user", "comment", "cast_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @service_call
    def save_model(self, request, obj, form, change):
        services.comment_vote_cast(user=obj.user, comment=obj.comment)
        adopt(obj, CommentVote.objects.get(user=obj.user, comment=obj.comment))

    @service_call
    def delete_model(self, request, obj):
        services.comment_vote_retract(user=obj.user, comment=obj.comment)

    @service_call
    def delete_queryset(self, request, queryset):
        for vote in queryset.select_related("user", "comment__post"):
            services.comment_vote_retract(user=vote.user, comment=vote.comment)
