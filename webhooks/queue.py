"""Deliveries leave through the background queue after the action's transaction commits
(docs/architecture.md, "webhooks"), like notifications' email: with ``REDIS_URL`` set, RQ's
``default`` queue runs them on a worker, each job killed after ``JOB_TIMEOUT_SECONDS``, and
its scheduler (``rqworker --with-scheduler``) runs the retries. Without Redis the first try
runs in the process right after the commit and the sweep (``manage.py send_webhooks``)
sends the retries. Never raises: a lost task is found by the sweep."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from core.conf import qasite_setting

logger = logging.getLogger(__name__)
QUEUE = "default"


def uses_worker() -> bool:
    return QUEUE in settings.RQ_QUEUES


def schedule(func, *args, delay: int = 0) -> None:
    """Run ``func(*args)`` on the worker after ``delay`` seconds; in process (now) or by the
    sweep (later) without one."""
    if not uses_worker():
        if delay:
            return  # the sweep sends it once due
        try:
            func(*args)
        except Exception:
            logger.exception("Webhook task %s failed", func.__name__)
        return
    import django_rq  # reads the settings when imported

    timeout = qasite_setting("WEBHOOKS")["JOB_TIMEOUT_SECONDS"]
    try:
        q = django_rq.get_queue(QUEUE, commit_mode="auto")
        if delay:
            q.enqueue_in(timedelta(seconds=delay), func, *args, job_timeout=timeout)
        else:
            q.enqueue(func, *args, job_timeout=timeout)
    except Exception:  # Redis unreachable: the sweep sends it later
        logger.exception("Could not queue %s", func.__name__)


def after_commit_send(delivery_ids: list[int]) -> None:
    """Send these deliveries once the action commits; nothing if it rolls back."""
    from webhooks.sending import send_delivery

    def send() -> None:
        for pk in delivery_ids:
            schedule(send_delivery, pk)

    transaction.on_commit(send, robust=True)
