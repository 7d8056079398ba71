"""Service refusals shown as messages on the page they came from."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect

from threads import services


class ServiceRefused(Exception):
    """A service refused what an admin page asked for; carries the text to show."""


def _refusal_text(refused: Exception) -> str:
    if isinstance(refused, ValidationError):
        return " ".join(refused.messages)
    return str(refused)


def service_call(method):
    """Marks an admin method that calls services (``save_model``, ``delete_model``, an
    action…): their refusals become ``ServiceRefused``, which ``ServiceRefusalsMixin`` shows
    as a message. Only these, so the admin's own ``PermissionDenied`` (no permission to view
    or change a model) stays a 403."""

    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (
            PermissionDenied,
            ValidationError,
            services.StaleEdit,
            services.SuggestionRefused,
        ) as refused:
            raise ServiceRefused(_refusal_text(refused)) from refused

    return call


class ServiceRefusalsMixin:
    """A POST whose service refuses (``ServiceRefused``) is rolled back as a whole and
    redirected to the page it came from (a GET, which calls no service), with the reason as
    an error message: never a 500."""

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
