"""Fixtures shared by the whole suite. Factories live in tests/factories.py."""

import os

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

# Property-based tests (Hypothesis): ``ci`` (the default) is a few reproducible examples per
# test, writing no example database; ``HYPOTHESIS_PROFILE=deep`` tries many more, each run
# different.
hypothesis_settings.register_profile(
    "ci", max_examples=12, derandomize=True, deadline=None, database=None, print_blob=True
)
hypothesis_settings.register_profile("deep", max_examples=300, deadline=None, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The suite runs with DEBUG off, so settings default to HTTPS-only behaviour and to
# whitenoise's manifest storage (which needs `collectstatic`). Neither suits tests.
# This is a session-wide override rather than pytest-django's function-scoped `settings`
# fixture because `live_server` is session-scoped: its handler instantiates
# SecurityMiddleware once, before any function-scoped fixture could run, and would
# otherwise redirect every browser request to https.
TEST_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SECURE_HSTS_SECONDS": 0,
    # Hashing passwords properly costs ~0.3 s a user; tests create hundreds.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    from django.conf import settings

    storages = {name: dict(options) for name, options in settings.STORAGES.items()}
    storages["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    # The per-process copy of immutable entries (threads.cache.immutable_cached) is off:
    # tests clear the cache to render cold; the ``local_cache`` fixture turns it on.
    without_local = {name: dict(options) for name, options in settings.CACHES.items()}
    local = without_local.pop("local")
    with override_settings(STORAGES=storages, CACHES=without_local, **TEST_SETTINGS):
        global LOCAL_CACHE_SETTINGS
        LOCAL_CACHE_SETTINGS = local
        yield


LOCAL_CACHE_SETTINGS: dict = {}


@pytest.fixture
def local_cache(settings):
    """The ``local`` cache alias as production configures it, emptied."""
    settings.CACHES = {**settings.CACHES, "local": LOCAL_CACHE_SETTINGS}
    caches["local"].clear()
    yield caches["local"]
    caches["local"].clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


# Redis for the tests that run the cache on it (TEST_REDIS_URL; skipped without a server).
# Each test gets its own key prefix and removes only its own keys: the database may be
# shared, so nothing here ever flushes it.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_cache_settings(prefix: str) -> dict:
    """``CACHES`` on the test Redis, namespaced by ``prefix``, as production configures it."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def redis_prefixes():
    """Key prefixes for Redis-backed caches, each unique to this test; their keys are
    deleted afterwards."""
    import uuid

    import redis

    connection = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {TEST_REDIS_URL} for the cache tests ({error})")
    made: list[str] = []

    def new_prefix() -> str:
        made.append(f"qasite-test-{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield new_prefix
    for prefix in made:
        for key in connection.scan_iter(match=f"{prefix}:*", count=1000):
            connection.delete(key)


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request):
    """Runs a test once with the per-process cache and once with Redis (docs/architecture.md,
    "Clock and cache": the page cache works the same on both)."""
    if request.param == "locmem":
        yield "locmem"
        return
    prefix = request.getfixturevalue("redis_prefixes")()
    with override_settings(CACHES=redis_cache_settings(prefix)):
        yield "redis"
