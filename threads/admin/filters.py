"""The admin's list filters."""

from django.contrib import admin
from django.db.models import F
from django.utils import timezone


class _NullStateFilter(admin.SimpleListFilter):
    """Yes/no on whether a nullable timestamp (or foreign key) is set."""

    field = ""

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field}__isnull": False})
        if self.value() == "no":
            return queryset.filter(**{f"{self.field}__isnull": True})
        return queryset


class DeletedFilter(_NullStateFilter):
    title = "deleted"
    parameter_name = "deleted"
    field = "deleted_at"


class ClosedFilter(_NullStateFilter):
    title = "closed"
    parameter_name = "closed"
    field = "closed_at"


class ProtectedFilter(_NullStateFilter):
    title = "protected"
    parameter_name = "protected"
    field = "protected_at"


class HasAcceptedAnswerFilter(_NullStateFilter):
    title = "has an accepted answer"
    parameter_name = "has_accepted"
    field = "accepted_answer"


class SynonymFilter(_NullStateFilter):
    title = "is a synonym"
    parameter_name = "synonym"
    field = "synonym_of"


class InForceUntilFilter(admin.SimpleListFilter):
    """Yes/No on whether ``field`` (an end time) is still in the future."""

    field = ""

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        in_force = {f"{self.field}__gt": timezone.now()}
        if self.value() == "yes":
            return queryset.filter(**in_force)
        if self.value() == "no":
            return queryset.exclude(**in_force)
        return queryset


class LockedFilter(InForceUntilFilter):
    title = "locked"
    parameter_name = "locked"
    field = "locked_until"


class AcceptedFilter(admin.SimpleListFilter):
    title = "accepted"
    parameter_name = "accepted"

    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(parent__accepted_answer=F("pk"))
        if self.value() == "no":
            return queryset.exclude(parent__accepted_answer=F("pk"))
        return queryset
