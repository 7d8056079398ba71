"""The admin's Yes/No list filters, each a condition: "Yes" lists the rows that meet it, "No"
the others."""

from collections.abc import Callable

from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone


class YesNoFilter(admin.SimpleListFilter):
    def lookups(self, request, model_admin):
        return (("yes", "Yes"), ("no", "No"))

    def condition(self) -> Q:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


def yes_no_filter(title: str, parameter_name: str, condition: Callable[[], Q]) -> type:
    """A ``YesNoFilter`` on ``condition()`` (read at each request), titled ``title``."""
    name = "".join(word.capitalize() for word in parameter_name.split("_")) + "Filter"
    attrs = {"title": title, "parameter_name": parameter_name}
    return type(name, (YesNoFilter,), {**attrs, "condition": staticmethod(condition)})


def is_set(field: str) -> Callable[[], Q]:
    """A nullable timestamp or foreign key is set."""
    return lambda: Q(**{f"{field}__isnull": False})


def is_future(field: str) -> Callable[[], Q]:
    """An end time is still in the future."""
    return lambda: Q(**{f"{field}__gt": timezone.now()})


DeletedFilter = yes_no_filter("deleted", "deleted", is_set("deleted_at"))
ClosedFilter = yes_no_filter("closed", "closed", is_set("closed_at"))
ProtectedFilter = yes_no_filter("protected", "protected", is_set("protected_at"))
HasAcceptedAnswerFilter = yes_no_filter(
    "has an accepted answer", "has_accepted", is_set("accepted_answer")
)
SynonymFilter = yes_no_filter("is a synonym", "synonym", is_set("synonym_of"))
LockedFilter = yes_no_filter("locked", "locked", is_future("locked_until"))
AcceptedFilter = yes_no_filter("accepted", "accepted", lambda: Q(parent__accepted_answer=F("pk")))
