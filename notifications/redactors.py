"""Where notifications copy names as text: who acted, the notice's text and details
(redacted through ``accounts.redaction``; registered in ``NotificationsConfig.ready()``)."""

from accounts import redaction
from accounts.redaction import Redaction, redact_rows
from notifications.models import Notification


def redact(job: Redaction) -> int:
    changed = Notification.objects.filter(actor_id=job.user_id).update(actor_name=job.pseudonym)
    return changed + redact_rows(Notification.objects.all(), job, text=["text"], json=["details"])


def register() -> None:
    redaction.register("notifications", redact)
