"""Deliveries leave through the background queue after the action's transaction commits
(docs/architecture.md, "webhooks"), like notifications' email: with ``REDIS_URL`` set, the
site's RQ queue (``settings.TASK_QUEUE``) runs them on a worker, each job killed after
``JOB_TIMEOUT_SECONDS``, and the worker's scheduler (``manage.py worker``) runs the
retries. Without Redis each try runs in a background thread of the process, started after
the commit (a retry on a timer), so the request never waits for a receiver; the sweep
(``manage.py send_webhooks``) sends what a restarted process lost. Never raises: a lost
task is found by the sweep."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction

from core.conf import qasite_setting

logger = logging.getLogger(__name__)
#: Without a worker, tries run in a thread; the tests turn it off to run them in line.
IN_THREAD = True


def uses_worker() -> bool:
    return settings.TASK_QUEUE in settings.RQ_QUEUES


def _run(func, *args) -> None:
    try:
        func(*args)
    except Exception:
        logger.exception("Webhook task %s failed", func.__name__)


def _run_in_thread(func, *args) -> None:
    try:
        _run(func, *args)
    finally:
        connections.close_all()  # the thread's own connections


def schedule(func, *args, delay: int = 0) -> None:
    """Run ``func(*args)`` in the background after ``delay`` seconds: on the worker, or in a
    thread of this process without one."""
    if not uses_worker():
        if IN_THREAD:
            timer = threading.Timer(delay, _run_in_thread, args=(func, *args))
            timer.daemon = True
            timer.start()
        elif not delay:
            _run(func, *args)
        # else: the sweep sends it once due
        return
    import django_rq  # reads the settings when imported

    timeout = qasite_setting("WEBHOOKS")["JOB_TIMEOUT_SECONDS"]
    try:
        q = django_rq.get_queue(settings.TASK_QUEUE, commit_mode="auto")
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
