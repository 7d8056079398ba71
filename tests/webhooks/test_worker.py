"""The real queue: with Redis, deliveries go to RQ with a hard timeout and the worker runs
the retry. Uses Redis database 13 only (flushed before and after); skipped when no Redis
answers at redis://127.0.0.1:6379/13."""

import signal

import pytest
import redis
from rq.cron import CronScheduler

from tests.factories import UserFactory
from tests.webhooks.conftest import webhook_settings
from tests.workers import InProcessWorker
from threads import services as threads_services
from webhooks.models import Attempt, Delivery, DeliveryState
from webhooks.sending import send_due

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def queue(settings):
    import django_rq

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} for the worker tests ({error})")
    connection.flushdb()  # database 13 only
    settings.RQ_QUEUES = {settings.TASK_QUEUE: {"URL": REDIS_URL}}
    yield django_rq.get_queue(settings.TASK_QUEUE, commit_mode="auto")
    connection.flushdb()
    connection.close()


def work(queue) -> None:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        InProcessWorker([queue], connection=queue.connection).work(burst=True)
    finally:  # the worker installs its own; pytest's come back
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@pytest.mark.django_db
def test_the_worker_sends_and_retries_with_a_hard_timeout(
    queue, settings, endpoint, receiver, django_capture_on_commit_callbacks
):
    webhook_settings(settings, RETRY_SECONDS=[0])
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        threads_services.question_create(
            author=UserFactory(reputation=1000),
            title="What does the worker do with a failing receiver?",
            body="It should retry after the backoff and then succeed, once. " * 2,
            tags=["python"],
        )
    assert receiver.requests == []  # queued, not sent in the request
    (job,) = queue.get_jobs()
    assert job.func_name == "webhooks.sending.send_delivery"
    assert job.timeout == 30

    work(queue)

    assert [a.status_code for a in Attempt.objects.order_by("pk")] == [500, 200]
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


@pytest.mark.django_db
def test_the_sweep_queues_one_job_per_due_delivery(queue, endpoint):
    for _ in range(3):
        Delivery.objects.create(endpoint=endpoint, event="question.asked", body="{}")
    Delivery.objects.update(next_attempt_at="2000-01-01T00:00:00Z")
    assert send_due() == 3
    assert len(queue.get_jobs()) == 3


def test_the_cron_schedule_runs_the_sweep_every_minute(queue):
    scheduler = CronScheduler(connection=queue.connection)
    scheduler.load_config_from_file("webhooks.cron")
    (job,) = [job for job in scheduler.get_jobs() if job.func is send_due]
    assert job.interval == 60
