"""Comments: added and deleted through the comment services."""

from django import forms
from django.contrib import admin

from threads import services, validation
from threads.admin.common import adopt, post_column, short
from threads.admin.filters import DeletedFilter
from threads.admin.service_calls import SoftDeleteMixin, service_call
from threads.models import Comment


class CommentAdminForm(forms.ModelForm):
    def clean_post(self):
        post = self.cleaned_data["post"]
        if post.is_deleted:
            raise forms.ValidationError("This post has been deleted.")
        return post

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        errors = validation.comment_errors(body)
        if errors:
            raise forms.ValidationError(errors)
        return body


@admin.register(Comment)
class CommentAdmin(SoftDeleteMixin, admin.ModelAdmin):
    """Add → ``comment_create``; delete → ``comment_delete`` (soft). The body is read-only
    once posted: there is no comment edit service to re-render it."""

    form = CommentAdminForm
    delete_note = "soft delete"
    list_display = ("short_body", "post_link", "author", "score", "created_at", "deleted_at")
    list_select_related = ("author", "post")
    list_filter = (DeletedFilter, "created_at")
    search_fields = ("body", "author__username", "author__display_name", "author_name")
    autocomplete_fields = ("post", "author")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False

    post_link = post_column("post")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("post", "author", "body")
        return (
            "post_link",
            ("author", "author_name"),
            "body",
            "body_html",
            "score",
            "created_at",
            "deleted_at",
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # View only once posted (every field is then shown read-only).
        return False

    @service_call
    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        comment = services.comment_create(
            author=data.get("author") or request.user, post=data["post"], body=data["body"]
        )
        adopt(obj, comment)

    def service_delete(self, request, obj) -> None:
        services.comment_delete(actor=request.user, comment=obj)

    @admin.display(description="comment", ordering="body")
    def short_body(self, obj) -> str:
        return short(obj.body)
