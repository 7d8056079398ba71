"""Abuse resistance of the account pages (docs/rules.md, "Accounts"): login failures lock
out, sign-ups and resets are rate limited, the honeypot, messages that never say whether an
account exists, and the admin's login is the site's."""

from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.helpers import logged_in_user, mail_to, signup
from tests.factories import DEMO_PASSWORD, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

WRONG = "The username and/or password you specified are not correct."
LOCKED = "Too many failed login attempts. Try again later."


def test_repeated_login_failures_lock_the_account_out_with_a_clear_message(client):
    UserFactory(username="grace")
    for _ in range(5):  # "5/5m/key": five failures for one login
        response = client.post("/accounts/login/", {"login": "grace", "password": "nope"})
        assert WRONG in text_of(response)
    response = client.post("/accounts/login/", {"login": "grace", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert LOCKED in text_of(response)
    assert not logged_in_user(client).is_authenticated


def test_the_lockout_is_per_login(client):
    UserFactory(username="grace")
    UserFactory(username="ada")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "grace", "password": "nope"})
    response = client.post("/accounts/login/", {"login": "ada", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_too_many_sign_ups_from_one_address_are_refused(client, settings, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for n in range(2):
        assert signup(client, username=f"user{n}", email=f"u{n}@example.com").status_code == 302
        client.logout()
    response = signup(client, username="user2", email="u2@example.com")
    assert response.status_code == 429
    assert "Please slow down" in text_of(response)
    assert not get_user_model().objects.filter(username="user2").exists()


def test_password_reset_mails_are_rate_limited_per_address(client, mailoutbox):
    UserFactory(username="grace", email="grace@example.com")
    for _ in range(8):
        client.post("/accounts/password/reset/", {"email": "grace@example.com"})
    assert len(mail_to("grace@example.com")) == 5  # "5/m/key"


def test_a_filled_honeypot_makes_no_account_but_looks_like_success(client, mailoutbox):
    response = signup(client, phone_number="+1 555 0100")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="lovelace").exists()
    assert mailoutbox == []
    assert not logged_in_user(client).is_authenticated


def test_login_failures_do_not_say_whether_the_account_exists(client):
    UserFactory(username="grace", email="grace@example.com")

    def refusal(login: str) -> str:
        response = client.post("/accounts/login/", {"login": login, "password": "nope"})
        assert response.status_code == 200
        return text_of(response).split(" Username or email")[0]

    assert refusal("grace") == refusal("nobody")
    assert refusal("grace@example.com") == refusal("nobody@example.com")
    assert "not correct" in refusal("nobody@example.com")


def test_the_admin_login_is_the_sites(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith("/accounts/login/?next=")
    assert unquote(login["Location"]).endswith("?next=/admin/")


def test_staff_log_in_to_the_admin_through_the_site(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    response = client.post(
        "/accounts/login/", {"login": "boss", "password": DEMO_PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_members_get_no_admin(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403


def test_a_signup_password_still_follows_the_validators(client):
    response = signup(client, password1="password", password2="password")
    assert "This password is too common." in text_of(response)
    assert not get_user_model().objects.filter(username="lovelace").exists()
