"""The reminder of a pending deletion: at each login during the grace period the member is
told when their account will be deleted and where to cancel (a message on the next page;
the "Your data" page says it too). Nothing is read on other pages."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse

from privacy.models import DeletionRequest


def remind(sender, request, user, **kwargs) -> None:
    due = (
        DeletionRequest.objects.filter(
            user_id=user.pk, cancelled_at__isnull=True, erased_at__isnull=True
        )
        .values_list("due_at", flat=True)
        .first()
    )
    if due is not None and hasattr(request, "_messages"):
        url = reverse("privacy-data", kwargs={"pk": user.pk})
        messages.warning(
            request,
            f"Your account will be deleted on {due:%b %d, %Y at %H:%M} (UTC). "
            f"To keep it, cancel the deletion on your data page: {url}",
        )


def connect() -> None:
    user_logged_in.connect(remind, dispatch_uid="privacy.remind")
