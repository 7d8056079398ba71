"""Staff register webhook endpoints and read the delivery log in the admin
(docs/architecture.md, "webhooks"). Every list selects its related rows in the same query."""

from django.contrib import admin, messages
from django.db import transaction

from webhooks.forms import EndpointForm
from webhooks.models import Attempt, Delivery, DeliveryState, Endpoint, new_secret


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = (
        "url",
        "description",
        "event_names",
        "active",
        "failures_in_row",
        "disabled_at",
    )
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = ("secret", "failures_in_row", "disabled_at", "disabled_reason", "created_at")
    actions = ("rotate_secret", "enable")

    @admin.display(description="events")
    def event_names(self, obj) -> str:
        return ", ".join(obj.events)

    def get_fields(self, request, obj=None):
        fields = ["url", "description", "events", "active"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change and "active" in form.changed_data and obj.active:
            obj.failures_in_row = 0
            obj.disabled_at = None
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)
        if not change:
            messages.info(
                request,
                "Give the receiver this endpoint's secret (shown on its page) to check "
                "each delivery's X-Qasite-Signature.",
            )

    @admin.action(description="Generate a new secret")
    def rotate_secret(self, request, queryset):
        with transaction.atomic():
            for endpoint in queryset.select_for_update():
                endpoint.secret = new_secret()
                endpoint.save(update_fields=["secret"])
        messages.success(request, "New secrets generated: give them to the receivers.")

    @admin.action(description="Turn back on (after fixing the receiver)")
    def enable(self, request, queryset):
        queryset.update(active=True, failures_in_row=0, disabled_at=None, disabled_reason="")


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ("started_at", "status_code", "duration_ms", "ok", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "event",
        "endpoint",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "next_attempt_at",
    )
    list_filter = ("state", "event")
    list_select_related = ("endpoint",)
    search_fields = ("uuid", "endpoint__url")
    date_hierarchy = "created_at"
    readonly_fields = (
        "uuid",
        "endpoint",
        "event",
        "body",
        "state",
        "attempts",
        "next_attempt_at",
        "last_status",
        "last_error",
        "created_at",
        "delivered_at",
    )
    inlines = (AttemptInline,)
    actions = ("retry_now",)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send again now")
    def retry_now(self, request, queryset):
        from webhooks.queue import after_commit_send

        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(state=DeliveryState.PENDING, next_attempt_at=None)
        after_commit_send(ids)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("started_at", "delivery", "status_code", "duration_ms", "ok", "error")
    list_filter = ("ok",)
    list_select_related = ("delivery",)
    raw_id_fields = ("delivery",)
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
