"""The real queue: with Redis, the mail task goes to RQ and a worker retries it after a
failed send. Uses Redis database 15 only (flushed before and after); skipped when no Redis
answers at redis://127.0.0.1:6379/15."""

import signal

import pytest
import redis
from django.core import mail
from rq.cron import CronScheduler

from notifications import mail as mailer
from notifications.models import EmailMode, EmailPreference, Kind, Notification
from tests.factories import AnswerFactory, CommentFactory
from tests.notifications.mail_backends import FailOnceBackend
from tests.workers import InProcessWorker

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis():
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} for the worker tests ({error})")
    return connection


@pytest.fixture
def queue(settings):
    import django_rq

    connection = _redis()
    connection.flushdb()  # database 15 only
    settings.RQ_QUEUES = {settings.TASK_QUEUE: {"URL": REDIS_URL}}
    settings.QASITE = {
        **settings.QASITE,
        "NOTIFICATIONS": {**settings.QASITE["NOTIFICATIONS"], "EMAIL_RETRY_SECONDS": [0]},
    }
    yield django_rq.get_queue(settings.TASK_QUEUE, commit_mode="auto")
    connection.flushdb()
    connection.close()


@pytest.mark.django_db
def test_the_worker_retries_a_failed_send(queue, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.FailOnceBackend"
    FailOnceBackend.failures = 0
    answer = AnswerFactory()
    EmailPreference.objects.create(user=answer.author, kind=Kind.COMMENT, mode=EmailMode.IMMEDIATE)

    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(post=answer)
    assert mail.outbox == []  # queued, not sent in the request
    (job,) = queue.get_jobs()
    assert job.func_name == "notifications.mail.send_immediate"
    assert job.retries_left == 1

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        InProcessWorker([queue], connection=queue.connection).work(burst=True)
    finally:  # the worker installs its own; pytest's come back
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert FailOnceBackend.failures == 1  # the first attempt failed…
    (message,) = mail.outbox  # …and the retry sent it
    assert message.to == [answer.author.email]
    assert Notification.objects.get(source=f"comment:{comment.pk}").emailed_at is not None
    job.refresh()
    assert job.get_status() == "finished"


def test_the_cron_schedule_names_the_sweeps(queue):
    scheduler = CronScheduler(connection=queue.connection)
    scheduler.load_config_from_file("notifications.cron")
    jobs = {job.func: job for job in scheduler.get_jobs()}
    assert jobs[mailer.send_digests].cron == "0 7 * * *"
    assert jobs[mailer.resend_unsent].interval == 15 * 60


RAN: list[str] = []


def remember(what: str) -> None:
    """A task for the worker test: the worker runs in this process (``InProcessWorker``)."""
    RAN.append(what)


def test_the_worker_command_works_this_sites_queue_only(queue, settings):
    from django.core.management import call_command
    from rq import Queue

    from notifications.mail_queue import enqueue

    other_site = Queue("qasite-other-site", connection=queue.connection)
    other_site.enqueue(remember, "the other site's job")
    enqueue(remember, "this site's job")
    assert queue.count == 1

    RAN.clear()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("worker", burst=True, worker_class="tests.workers.InProcessWorker")
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert RAN == ["this site's job"]
    assert queue.count == 0
    assert other_site.count == 1  # two sites sharing one Redis keep their jobs apart
