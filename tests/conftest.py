"""Fixtures shared by the whole suite. Factories live in tests/factories.py."""

import os

import pytest
from django.core.cache import cache
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
    with override_settings(STORAGES=storages, **TEST_SETTINGS):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
