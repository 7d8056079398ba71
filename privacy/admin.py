"""Exports, deletion requests and the account log in the admin: view only. Requests are
made and cancelled by their member, erased by the sweep (``privacy.services``,
``privacy.erasure``), and the log is append-only."""

from django.contrib import admin

from accounts.models import AccountEvent
from privacy.models import DataExport, DeletionRequest
from threads.admin.common import ReadOnlyAdmin


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    actions = None
    list_display = ("user", "state", "requested_at", "finished_at", "expires_at", "size")
    list_select_related = ("user",)
    list_filter = ("state",)
    fields = ("user", "state", "requested_at", "finished_at", "expires_at", "size")


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyAdmin):
    actions = None
    list_display = ("user", "requested_at", "due_at", "cancelled_at", "erased_at")
    list_select_related = ("user",)
    date_hierarchy = "requested_at"


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    """The append-only account log (the model refuses updates and deletes as well)."""

    actions = None
    list_display = ("kind", "user", "actor", "created_at")
    list_select_related = ("user", "actor")
    list_filter = ("kind",)
    search_fields = ("user__id__exact",)
    date_hierarchy = "created_at"
    fields = ("kind", "user", "actor", "details", "created_at")
