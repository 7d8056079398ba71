"""The admin's own history names the objects it changed (``LogEntry.object_repr``: a
member's name when the member was edited in the admin). Redacted like the apps' records
(``accounts.redaction``), registered in ``PrivacyConfig.ready()`` when the admin is
installed."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from accounts import redaction
from accounts.redaction import Redaction


def redact(job: Redaction) -> int:
    from django.contrib.admin.models import LogEntry

    user_type = ContentType.objects.get_for_model(get_user_model())
    return LogEntry.objects.filter(content_type=user_type, object_id=str(job.user_id)).update(
        object_repr=job.pseudonym
    )


def register() -> None:
    if apps.is_installed("django.contrib.admin"):
        redaction.register("admin", redact)
