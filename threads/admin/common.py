"""What the admins of both apps share: links to rows, read-only and service-delete admins."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst

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


class ReadOnlyAdmin(admin.ModelAdmin):
    """History (revisions, the ledger, tag links): view only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceDeleteMixin:
    """Deleting goes through a service (usually a soft delete), so the confirmation page
    lists only the rows themselves instead of Django's cascade (which would also ask for
    delete permission on read-only history such as revisions and the ledger)."""

    delete_note = ""

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        opts = self.model._meta
        suffix = f" ({self.delete_note})" if self.delete_note else ""
        deleted = [
            format_html(
                '{}: <a href="{}">{}</a>{}',
                capfirst(opts.verbose_name),
                admin_url(obj),
                obj,
                suffix,
            )
            for obj in objs
        ]
        return deleted, {opts.verbose_name_plural: len(objs)}, set(), []


def adopt(obj, saved) -> None:
    """Point the admin's unsaved instance at the row a service created, so the admin's
    log entry, message and redirect use it."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()
