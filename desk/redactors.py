"""Where the desk copies names as text: the author of each moderator message or appeal,
the moderator of each annotation. Both are append-only; ``accounts.redaction`` is the one
change they accept besides a message's acknowledgement (registered in
``DeskConfig.ready()``)."""

from accounts import redaction
from accounts.redaction import Redaction
from desk.models import Annotation, Message


def redact(job: Redaction) -> int:
    changed = Message.objects.filter(author_id=job.user_id).update(author_name=job.pseudonym)
    return changed + Annotation.objects.filter(moderator_id=job.user_id).update(
        moderator_name=job.pseudonym
    )


def register() -> None:
    redaction.register("desk", redact)
