"""The session store and backend read their rows with one plain SQL query each
(accounts/auth.py); these pin Django's semantics on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.auth import AuthenticationBackend, ModelBackend, SessionStore
from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_backend_loads_an_active_user_by_id():
    user = UserFactory(username="reader")
    loaded = ModelBackend().get_user(user.pk)
    assert loaded == user
    assert loaded.username == "reader" and loaded.reputation == user.reputation


@pytest.mark.parametrize("user_id", ["not-a-number", "", None, 10**12])
def test_the_backend_answers_none_for_an_id_it_cannot_use(user_id):
    UserFactory()
    assert ModelBackend().get_user(user_id) is None


def test_the_backend_refuses_an_inactive_user():
    user = UserFactory(is_active=False)
    assert ModelBackend().get_user(user.pk) is None


def test_the_backend_reads_the_id_as_stored_in_a_session():
    user = UserFactory()
    assert ModelBackend().get_user(str(user.pk)) == user


def test_the_session_store_reads_back_what_it_saved():
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key)["answer"] == 42


def test_an_expired_session_is_not_read():
    store = SessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    stale = SessionStore(store.session_key)
    assert "answer" not in stale
    assert stale.session_key is None


def test_an_unknown_session_key_starts_an_empty_session():
    store = SessionStore("x" * 32)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_allauths_backend_reads_the_user_with_the_same_one_query(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert AuthenticationBackend().get_user(user.pk) == user
    assert AuthenticationBackend().get_user("junk") is None


def test_a_login_through_the_form_is_remembered_with_allauths_backend(client):
    UserFactory(username="reader", email="reader@example.com")
    client.post("/accounts/login/", {"login": "reader@example.com", "password": DEMO_PASSWORD})
    assert client.session[BACKEND_SESSION_KEY] == "accounts.auth.AuthenticationBackend"


def test_a_session_made_before_allauth_stays_logged_in(client):
    user = UserFactory(username="returning")
    client.force_login(user, backend="accounts.auth.ModelBackend")
    assert client.get("/").context["user"] == user
