"""What operators read: ``/health/`` (alive), ``/ready/`` (database, migrations, Redis) and
``/metrics/`` (only with ``METRICS_TOKEN`` as a Bearer token; request metrics and the
queues' gauges). The Redis cases use database 7 and skip when no Redis answers."""

import pytest
import redis
from prometheus_client import REGISTRY

from core import operations
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/7"
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1
TOKEN = "scrape-me-0123456789"


def redis_or_skip():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error})")


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "tests-operations",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }


def test_health_answers_without_a_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200


def test_ready_when_the_database_is_migrated(client, django_assert_max_num_queries):
    client.get("/ready/")  # the first answer of a process reads the migrations once
    with django_assert_max_num_queries(1):
        response = client.get("/ready/")

    assert response.status_code == 200
    assert response.content == b"ready"


def test_not_ready_while_migrations_wait(client, monkeypatch):
    monkeypatch.setattr(operations, "_migrated", False)
    monkeypatch.setattr(operations.MigrationExecutor, "migration_plan", lambda self, nodes: [1])

    response = client.get("/ready/")

    assert response.status_code == 503
    assert b"migrations not applied" in response.content


def test_not_ready_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = redis_cache(NOWHERE)

    response = client.get("/ready/")

    assert response.status_code == 503
    assert b"cache 'default' unreachable" in response.content


def test_not_ready_when_the_queue_is_unreachable(client, settings):
    settings.RQ_QUEUES = {"default": {"URL": NOWHERE}}

    response = client.get("/ready/")

    assert response.status_code == 503
    assert b"queue 'default' unreachable" in response.content


def test_ready_with_redis(client, settings):
    redis_or_skip()
    settings.CACHES = redis_cache(REDIS_URL)
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}

    assert client.get("/ready/").status_code == 200


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics/").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_metrics_refuse_a_scraper_without_the_token(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    headers = {"Authorization": header} if header else {}

    response = client.get("/metrics/", headers=headers)

    assert response.status_code == 401
    assert b"django_http" not in response.content


def test_metrics_count_requests_for_the_scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.RQ_QUEUES = {}
    client.get("/health/")

    response = client.get("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert 'view="health"' in text
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text


def test_metrics_count_pages_served_from_the_anonymous_cache_in_the_totals(client):
    question = QuestionFactory()
    client.get(question.get_absolute_url())  # rendered by the view, then stored

    def requests(name: str, **labels) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    total = "django_http_requests_before_middlewares_total"
    by_view = "django_http_requests_total_by_view_transport_method_total"
    view = {"view": "question-detail", "transport": "http", "method": "GET"}
    before = requests(total), requests(by_view, **view)
    assert before[1] > 0  # the first request, which the view rendered
    assert client.get(question.get_absolute_url())["X-Cache"] == "hit"
    assert requests(total) == before[0] + 1
    assert requests(by_view, **view) == before[1]  # served before the view (README)


def test_metrics_show_queue_depth_and_failed_jobs(client, settings):
    redis_or_skip()
    import django_rq

    settings.METRICS_TOKEN = TOKEN
    settings.RQ_QUEUES = {"tests-operations": {"URL": REDIS_URL}}
    queue = django_rq.get_queue("tests-operations", commit_mode="auto")
    queue.empty()
    queue.enqueue("core.views.health", None)
    queue.enqueue("core.views.health", None)
    failed = queue.enqueue("core.views.health", None)
    queue.remove(failed)
    queue.failed_job_registry.add(failed, ttl=60, exc_string="planted")
    try:
        response = client.get("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"})
    finally:
        queue.empty()
        queue.failed_job_registry.remove(failed, delete_job=True)

    text = response.content.decode()
    assert 'qasite_rq_queue_depth{queue="tests-operations"} 2.0' in text
    assert 'qasite_rq_failed_jobs{queue="tests-operations"} 1.0' in text
    assert 'qasite_rq_up{queue="tests-operations"} 1.0' in text


def test_metrics_report_an_unreachable_queue(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.RQ_QUEUES = {"default": {"URL": NOWHERE}}

    response = client.get("/metrics/", headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    assert 'qasite_rq_up{queue="default"} 0.0' in response.content.decode()
