"""Where moderation copies names as text: the event log's actor, voters' and members' names
in its details, and the one reason that names someone (serial voting's receiver). Redacted
through ``accounts.redaction``, the one change the append-only log accepts (registered in
``ModerationConfig.ready()``)."""

from accounts import redaction
from accounts.redaction import Redaction, redact_rows
from moderation.models import EventKind, ModerationEvent


def redact(job: Redaction) -> int:
    changed = ModerationEvent.objects.filter(actor_id=job.user_id).update(actor_name=job.pseudonym)
    changed += redact_rows(ModerationEvent.objects.all(), job, json=["details"])
    # "… votes on posts by <receiver>": only in the events about this member's posts.
    return changed + redact_rows(
        ModerationEvent.objects.filter(
            kind=EventKind.SERIAL_VOTING_REVERSED, details__receiver_id=job.user_id
        ),
        job,
        text=["reason"],
    )


def register() -> None:
    redaction.register("moderation", redact)
