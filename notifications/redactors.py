"""Where notifications copy names as text: who acted, the notice's text and details
(redacted through ``accounts.redaction``; registered in ``NotificationsConfig.ready()``)."""

from accounts import redaction
from accounts.redaction import Redaction, redact_rows
from notifications.models import Notification


def redact(job: Redaction) -> int:
    mine = Notification.objects.filter(actor_id=job.user_id)
    changed = mine.update(actor_name=job.pseudonym)
    # A notice's text names its actor ("… replied"); its details may name voters.
    changed += redact_rows(mine, job, text=["text"])
    return changed + redact_rows(Notification.objects.all(), job, json=["details"])


def register() -> None:
    redaction.register("notifications", redact)
