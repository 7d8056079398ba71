"""Admin writes are service calls: the one place that turns a service's refusal into a
message on the page the request came from (``service_call`` / ``ServiceRefusalsMixin``,
used by the admins of both apps), and deletes made through services."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.text import capfirst

from threads import services
from threads.admin.common import admin_url

#: What the services raise when they refuse a request; the text is shown as is.
REFUSALS: tuple[type[Exception], ...] = (
    PermissionDenied,
    ValidationError,
    services.StaleEdit,
    services.SuggestionRefused,
)


class ServiceRefused(Exception):
    """A service refused what an admin page asked for; carries the text to show."""


def refusal_text(refused: Exception) -> str:
    if isinstance(refused, ValidationError):
        return " ".join(refused.messages)
    return str(refused)


def service_call(method):
    """Marks an admin method that calls services (``save_model``, ``delete_model``, an
    action…): their refusals become ``ServiceRefused``, which ``ServiceRefusalsMixin`` shows
    as a message. Only these, so the admin's own ``PermissionDenied`` (no permission to view
    or change a model) stays a 403."""

    @functools.wraps(method)
    def call(model_admin, *args, **kwargs):
        try:
            return method(model_admin, *args, **kwargs)
        except model_admin.service_refusals as refused:
            raise ServiceRefused(refusal_text(refused)) from refused

    return call


class ServiceRefusalsMixin:
    """A POST whose service refuses (``ServiceRefused``) is rolled back as a whole and
    redirected to the page it came from (a GET, which calls no service), with the reason as
    an error message: never a 500.

    An action that reports on each selected row instead (done, or refused and why) runs its
    service through ``call_each``."""

    #: The exceptions that count as refusals (another app's admin adds its own).
    service_refusals = REFUSALS

    def _refusals_shown(self, view, request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, *args, **kwargs)
        except ServiceRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self._refusals_shown(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusals_shown(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._refusals_shown(super().changelist_view, request, *args, **kwargs)

    def call_each(self, rows, call) -> tuple[list, list[tuple[object, str]]]:
        """``call(row)`` on each row: what the calls returned, and the rows refused with
        the reason. A refused row is left as it was and the others keep their change."""
        results, refused = [], []
        for row in rows:
            try:
                results.append(call(row))
            except self.service_refusals as refusal:
                refused.append((row, refusal_text(refusal)))
        return results, refused


class ServiceDeleteMixin(ServiceRefusalsMixin):
    """Deleting goes through a service (usually a soft delete): ``service_delete`` on each
    row. The confirmation page lists only the rows themselves instead of Django's cascade
    (which would also ask for delete permission on read-only history such as revisions and
    the ledger)."""

    delete_note = ""
    #: Loaded with the rows of a bulk delete, for ``service_delete``.
    delete_select_related: tuple[str, ...] = ()

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    @service_call
    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    @service_call
    def delete_queryset(self, request, queryset):
        if self.delete_select_related:
            queryset = queryset.select_related(*self.delete_select_related)
        for obj in queryset:
            self.service_delete(request, obj)

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


class SoftDeleteMixin(ServiceDeleteMixin):
    """The delete service keeps the row (``deleted_at`` is set): a deleted row can't be
    deleted again."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.deleted_at is not None:
            return False
        return super().has_delete_permission(request, obj)
