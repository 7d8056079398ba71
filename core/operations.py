"""What operators and their tools read (README, "Operations"): the readiness probe
(``/ready/``) and the metrics for a Prometheus scraper (``/metrics/``). ``/health/``
(``core.views.health``) stays the liveness probe: no query, no Redis."""

import hmac
import os

import django_rq
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from redis.exceptions import RedisError

#: Set once this process has seen every migration applied (code does not change under it).
_migrated = False


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def readiness_problems() -> list[str]:
    """What keeps this host from serving: the database unreachable or behind the code's
    migrations, a Redis cache or queue unreachable. Empty when ready."""
    problems = []
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        problems.append(f"database unreachable: {error.__class__.__name__}")
    else:
        if not _migrations_applied():
            problems.append("database migrations not applied (run the release step)")
    for alias in settings.CACHES:
        if "redis" in settings.CACHES[alias]["BACKEND"].lower():
            try:
                caches[alias].get("ready-probe")
            except RedisError as error:
                problems.append(f"cache {alias!r} unreachable: {error.__class__.__name__}")
    for name in settings.RQ_QUEUES:
        try:
            django_rq.get_connection(name).ping()
        except RedisError as error:
            problems.append(f"queue {name!r} unreachable: {error.__class__.__name__}")
    return problems


@never_cache
def ready(request):
    """For load balancers and deploys: 200 when the host can serve, else 503 with why."""
    problems = readiness_problems()
    if problems:
        return HttpResponse("\n".join(problems), status=503, content_type="text/plain")
    return HttpResponse("ready", content_type="text/plain")


class QueueCollector:
    """RQ's queue depth and failed jobs per queue, read from Redis at each scrape."""

    def collect(self):
        depth = GaugeMetricFamily(
            "qasite_rq_queue_depth", "Jobs waiting in the queue.", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "qasite_rq_failed_jobs", "Jobs in the queue's failed registry.", labels=["queue"]
        )
        up = GaugeMetricFamily(
            "qasite_rq_up", "1 when the queue's Redis answered.", labels=["queue"]
        )
        for name in settings.RQ_QUEUES:
            try:
                queue = django_rq.get_queue(name)
                depth.add_metric([name], queue.count)
                failed.add_metric([name], queue.failed_job_registry.count)
            except RedisError:
                up.add_metric([name], 0)
            else:
                up.add_metric([name], 1)
        yield from (depth, failed, up)


def _authorised(request) -> bool:
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {settings.METRICS_TOKEN}".encode())


@never_cache
def metrics(request):
    """Prometheus text: requests and latency (django-prometheus' middleware, summed over
    gunicorn's workers through ``PROMETHEUS_MULTIPROC_DIR``) and the queues. Not public:
    a 404 unless ``METRICS_TOKEN`` is set, a 401 without it as a Bearer token."""
    if not settings.METRICS_TOKEN:
        raise Http404("Metrics are off.")
    if not _authorised(request):
        response = HttpResponse("Bearer token required.", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    queues = CollectorRegistry()
    queues.register(QueueCollector())
    body = generate_latest(requests) + generate_latest(queues)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
