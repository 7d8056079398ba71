"""What the admins of both apps share: links to rows and to posts, view-only admins and
inlines, and adopting the row a service created."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from threads.models import Post


def admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


def post_admin_url(post: Post) -> str:
    name = "question" if post.is_question else "answer"
    return reverse(f"admin:threads_{name}_change", args=[post.pk])


def short(text: str, length: int = 60) -> str:
    return Truncator(text).chars(length)


def post_link(post: Post | None):
    """A link to the post's question or answer admin page ("—" for none)."""
    if post is None:
        return "—"
    return format_html('<a href="{}">{}</a>', post_admin_url(post), short(str(post)))


def post_column(field: str, description: str = "", ordering: str = ""):
    """A changelist column (and read-only field) linking to the post in ``field``; assign it
    in a ModelAdmin's body, e.g. ``post_link = post_column("post")``."""

    @admin.display(description=description or field, ordering=ordering or field)
    def column(model_admin, obj):
        return post_link(getattr(obj, field))

    return column


class ViewOnlyMixin:
    """No add, change or delete: history, or rows only services write."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """History (revisions, the ledger, tag links): view only."""


class ReadOnlyInline(ViewOnlyMixin, admin.TabularInline):
    """A row's history listed under it, view only; each line links to its own page."""

    extra = 0
    can_delete = False
    show_change_link = True


def adopt(obj, saved) -> None:
    """Point the admin's unsaved instance at the row a service created, so the admin's
    log entry, message and redirect use it."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()
