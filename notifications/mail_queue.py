"""Email leaves through the background queue after the action's transaction commits, so a
failing mail server never fails or slows the action (docs/architecture.md,
"notifications").

With ``REDIS_URL`` set, tasks go to the site's RQ queue (``settings.TASK_QUEUE``) and a
worker (``manage.py worker``) runs them, retrying a failed one
after each of ``EMAIL_RETRY_SECONDS``; the jobs that failed every retry wait in the staff
dashboard at ``/django-rq/`` to be requeued. Without Redis, a task runs in the process right
after the commit and a failure is logged. Either way a task lost on the way (a crash between
the commit and the queue, Redis down) is sent by the resend sweep
(``manage.py send_notification_mail``)."""

import logging

from django.conf import settings
from django.db import transaction
from rq import Retry

from core.conf import qasite_setting

logger = logging.getLogger(__name__)


def uses_worker() -> bool:
    return settings.TASK_QUEUE in settings.RQ_QUEUES


def enqueue(func, *args, job_timeout: int | None = None) -> None:
    """Run ``func(*args)`` as a background task (killed after ``job_timeout`` seconds on a
    worker, else the queue's default); never raises."""
    if not uses_worker():
        try:
            func(*args)
        except Exception:  # the resend sweep picks the rows up again
            logger.exception("Background task %s failed", func.__name__)
        return
    import django_rq  # reads the settings when imported

    intervals = list(qasite_setting("NOTIFICATIONS")["EMAIL_RETRY_SECONDS"])
    try:
        # commit_mode="auto": this already runs after the commit (after_commit_send).
        django_rq.get_queue(settings.TASK_QUEUE, commit_mode="auto").enqueue(
            func,
            *args,
            retry=Retry(max=len(intervals), interval=intervals),
            **({"job_timeout": job_timeout} if job_timeout else {}),
        )
    except Exception:  # Redis unreachable: the resend sweep sends it later
        logger.exception("Could not queue %s", func.__name__)


def after_commit_send(*, source: str) -> None:
    """Send the immediate emails of the notifications of ``source`` once committed."""
    from notifications import mail

    transaction.on_commit(lambda: enqueue(mail.send_immediate, source), robust=True)
