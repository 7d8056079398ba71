"""Email leaves through the background queue after the action's transaction commits, so a
failing mail server never fails or slows the action (docs/architecture.md,
"notifications")."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(func, *args) -> None:
    """Run ``func(*args)`` as a background task: in process for now."""
    try:
        func(*args)
    except Exception:  # the resend sweep picks the rows up again
        logger.exception("Background task %s failed", func.__name__)


def after_commit_send(*, source: str) -> None:
    """Send the immediate emails of the notifications of ``source`` once committed."""
    from notifications import mail

    transaction.on_commit(lambda: enqueue(mail.send_immediate, source), robust=True)
