"""last_seen: recorded for logged-in requests at most every LAST_SEEN_EVERY_MINUTES, with
one UPDATE when stale and no query otherwise."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.conf import qasite_setting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def updates_of(client, url="/questions/") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_login_records_it():
    ada = UserFactory(last_seen=None)
    client = Client()
    assert client.login(username=ada.username, password="qasite-demo")
    ada.refresh_from_db()
    assert ada.last_seen is not None
    assert updates_of(client) == []


def test_it_updates_once_when_stale_and_not_again_within_the_window(client):
    start = timezone.now()
    ada = UserFactory(last_seen=start)
    client.force_login(ada)
    every = qasite_setting("PROFILES.LAST_SEEN_EVERY_MINUTES")
    with time_machine.travel(start + timedelta(minutes=every - 1), tick=False):
        assert updates_of(client) == []
    later = start + timedelta(minutes=every + 1)
    with time_machine.travel(later, tick=False):
        (update,) = updates_of(client)
        assert "last_seen" in update
        assert updates_of(client) == []
    ada.refresh_from_db()
    assert ada.last_seen == later


def test_visitors_record_nothing(client):
    assert updates_of(client) == []


def test_the_profile_shows_it(client):
    ada = UserFactory(last_seen=timezone.now() - timedelta(days=3))
    page = client.get(ada.get_absolute_url()).content.decode()
    assert "Last seen" in page and "3\xa0days ago" in page
    never = UserFactory(last_seen=None)
    assert "Last seen never" in " ".join(
        client.get(never.get_absolute_url()).content.decode().split()
    )
