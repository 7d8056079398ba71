"""Where moderation copies names as text: the event log's actor, its reasons and details
(voters, serial voting's voter and receiver). Redacted through ``accounts.redaction``, the
one change the append-only log accepts besides none (registered in
``ModerationConfig.ready()``)."""

from accounts import redaction
from accounts.redaction import Redaction, redact_rows
from moderation.models import ModerationEvent


def redact(job: Redaction) -> int:
    changed = ModerationEvent.objects.filter(actor_id=job.user_id).update(actor_name=job.pseudonym)
    return changed + redact_rows(
        ModerationEvent.objects.all(), job, text=["reason"], json=["details"]
    )


def register() -> None:
    redaction.register("moderation", redact)
