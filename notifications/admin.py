from django.contrib import admin

from notifications.models import EmailPreference, Follow, Notification, WatchedTag


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "recipient",
        "kind",
        "title",
        "read_at",
        "email_mode",
        "emailed_at",
    )
    list_filter = ("kind", "email_mode")
    search_fields = ("recipient__username", "title", "source")
    raw_id_fields = ("recipient", "actor", "post", "question", "comment")
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "active", "created_at")
    raw_id_fields = ("user", "question")


@admin.register(WatchedTag)
class WatchedTagAdmin(admin.ModelAdmin):
    list_display = ("user", "tag", "created_at")
    raw_id_fields = ("user", "tag")


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "mode")
    raw_id_fields = ("user",)
