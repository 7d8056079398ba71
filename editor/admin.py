from django.contrib import admin

from editor.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Uploaded images, read-only: they change only through the editor and the orphan job."""

    list_display = ["path", "user", "created_at", "size", "width", "height", "post"]
    list_select_related = ["user", "post"]
    search_fields = ["path", "user__username"]
    date_hierarchy = "created_at"
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
