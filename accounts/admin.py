"""The admin for the User (bottom floor: imports neither app).

``reputation`` and ``imported_reputation`` are read-only here: ``reputation`` is
1 + ``imported_reputation`` + the sum of the ledger, so only ``threads.reputation`` may
change it, and changing the imported base alone would break that sum. Users are not
deleted from the admin: their Vote rows would cascade away without the scores and
reputation they moved being undone (deactivate them instead; see ``has_delete_permission``).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "email",
                    "email_verified",
                    "first_name",
                    "last_name",
                    "about",
                    "location",
                    "website",
                    "avatar",
                    "last_seen",
                )
            },
        ),
        (
            "Q&A",
            {
                "fields": (
                    "reputation",
                    "imported_reputation",
                    "is_moderator",
                    "is_system",
                    "suspended_until",
                ),
                "description": (
                    "Reputation is 1 + imported reputation + the reputation ledger; it "
                    "changes only through votes, accepts and the other ledger causes."
                ),
            },
        ),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "display_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    # ``suspended_until`` changes through the moderator's desk, which logs every start and lift.
    readonly_fields = (
        "reputation",
        "imported_reputation",
        "suspended_until",
        "last_login",
        "date_joined",
    )
    list_display = (
        "username",
        "display_name",
        "email",
        "reputation",
        "is_moderator",
        "is_staff",
        "is_system",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_moderator", "is_system", "is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "display_name", "email", "first_name", "last_name")
    ordering = ("username",)
    date_hierarchy = "date_joined"

    def has_delete_permission(self, request, obj=None) -> bool:
        # Needs a ``user_delete`` service that retracts the user's votes and comment votes
        # through ``threads.services`` before the row goes; until then, deactivate users.
        return False
