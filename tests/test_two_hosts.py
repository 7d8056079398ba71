"""Two web hosts, one state (README, "Deployment"), in small: with the Redis a host gets from
``REDIS_URL``, a page cached for one client changes on its next request after a write
through another, and a session made by a login here is found by another process. Uses
Redis database 7 (its own keys only); skipped when no Redis answers."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.test import Client

from accounts.privileges import Privilege
from tests.factories import DEMO_PASSWORD, QuestionFactory, UserFactory

# Writes commit, as in production: the other host learns of them once they have.
pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/7"
ROOT = Path(__file__).resolve().parent.parent


def other_host(script: str) -> str:
    """Run ``script`` in another process set up as a web host with ``REDIS_URL``; its output."""
    env = dict(os.environ, REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="tests.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def host_settings():
    """The cache and session settings of a host with ``REDIS_URL`` (as the settings build
    them), or a skip without Redis."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error})")
    return json.loads(
        other_host(
            "import json; from django.conf import settings; "
            "print(json.dumps({'CACHES': settings.CACHES, "
            "'SESSION_ENGINE': settings.SESSION_ENGINE}))"
        )
    )


@pytest.fixture
def shared(settings, host_settings):
    settings.CACHES = host_settings["CACHES"]
    settings.SESSION_ENGINE = host_settings["SESSION_ENGINE"]
    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    yield
    cache.close()


def test_a_page_cached_for_one_host_changes_after_a_write_through_another(
    shared, settings, django_assert_max_num_queries
):
    # This run's own keys: pages cached by an earlier run (other rows, same ids) stay apart.
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"tests-{uuid.uuid4().hex}"}
    }
    question = QuestionFactory()
    url = question.get_absolute_url()
    host_a, host_b = Client(), Client()
    host_a.get(url)
    with django_assert_max_num_queries(2):  # a hit: the version check, no rendering
        assert host_a.get(url).status_code == 200
    host_b.force_login(UserFactory(reputation=Privilege.COMMENT_EVERYWHERE.reputation))

    answer = host_b.post(
        f"/posts/{question.pk}/comments/",
        {"body": "Written through the other host.", "token": str(uuid.uuid4())},
    )

    assert answer.status_code == 302
    assert b"Written through the other host." in host_a.get(url).content


def test_a_session_made_here_is_found_by_another_process(shared):
    user = UserFactory()
    browser = Client()
    assert browser.post(
        "/accounts/login/", {"login": user.username, "password": DEMO_PASSWORD}
    ).status_code in (302, 303)
    key = browser.cookies["sessionid"].value

    found = json.loads(
        other_host(
            "import json; from django.conf import settings; "
            "from django.utils.module_loading import import_string; "
            "store = import_string(settings.SESSION_ENGINE + '.SessionStore'); "
            f"print(json.dumps(dict(store({key!r}).load())))"
        )
    )

    browser.logout()
    assert found[SESSION_KEY] == str(user.pk)
    assert found[HASH_SESSION_KEY] == user.get_session_auth_hash()
