"""Sign up, log in and log out through the HTTP client (allauth's pages, the site's rules)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.helpers import PASSWORD, logged_in_user, signup
from tests.admin_helpers import form_data
from tests.factories import DEMO_PASSWORD, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_it_shows_the_signup_form_in_the_sites_layout(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("username", "display_name", "email", "password1", "password2"):
        assert f'name="{name}"' in content
    assert 'class="topbar"' in content  # templates/base.html
    assert "style=" not in content and "<script>" not in content
    # The honeypot is there for bots, labelled and out of sight for people.
    assert 'name="phone_number"' in content and 'class="honeypot"' in content


def test_it_signs_up_and_logs_in(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = get_user_model().objects.get(username="lovelace")
    assert user.reputation == 1
    assert user.display_name == "Ada Lovelace"
    assert logged_in_user(client) == user
    assert "Ada Lovelace" in text_of(client.get("/").content.decode())
    assert user.email == "ada@example.com"
    assert user.email_verified is False


def test_it_follows_a_local_next_after_signup(client):
    response = signup(client, next="/tags/")
    assert response["Location"] == "/tags/"


def test_it_ignores_a_foreign_next_after_signup(client):
    response = signup(client, next="https://evil.example.com/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_refuses_mismatched_passwords_and_keeps_the_input(client):
    response = signup(client, password2=PASSWORD + "!")
    assert response.status_code in (200, 400)
    assert "You must type the same password each time." in text_of(response.content.decode())
    content = response.content.decode()
    assert 'value="lovelace"' in content
    assert 'value="ada@example.com"' in content
    assert not get_user_model().objects.filter(username="lovelace").exists()


def test_it_refuses_a_duplicate_username(client):
    UserFactory(username="lovelace")
    response = signup(client)
    assert response.status_code in (200, 400)
    assert "A user with that username already exists." in text_of(response)
    assert 'value="Ada Lovelace"' in response.content.decode()
    assert get_user_model().objects.filter(username="lovelace").count() == 1


def test_it_refuses_a_weak_password(client):
    response = signup(client, password1="password", password2="password")
    assert response.status_code in (200, 400)
    assert "This password is too common." in text_of(response.content.decode())


def test_it_sends_members_away_from_signup(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/signup/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_shows_the_login_form(client):
    response = client.get("/accounts/login/?next=/tags/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="login"' in content and 'name="password"' in content
    assert 'name="next" value="/tags/"' in content
    assert "Username or email" in text_of(response)


def test_it_logs_in_by_username(client):
    user = UserFactory(username="hopper")
    response = client.post(
        "/accounts/login/", {"login": "hopper", "password": DEMO_PASSWORD, "next": "/tags/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/tags/"
    assert logged_in_user(client) == user


def test_it_logs_in_by_email_in_any_case(client):
    user = UserFactory(username="hopper", email="grace@example.com")
    response = client.post(
        "/accounts/login/", {"login": "Grace@Example.com", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user(client) == user


def test_it_refuses_a_wrong_password_and_keeps_the_login(client):
    UserFactory(username="hopper")
    response = client.post("/accounts/login/", {"login": "hopper", "password": "nope"})
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in text_of(response)
    assert 'value="hopper"' in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_it_logs_out_with_post(client):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not logged_in_user(client).is_authenticated


def test_it_does_not_log_out_with_get(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/logout/")
    assert response.status_code == 200  # a page asking to confirm, with a POST form
    assert 'action="/accounts/logout/"' in response.content.decode()
    assert logged_in_user(client).is_authenticated


def test_it_shows_login_links_to_visitors_and_logout_to_members(client):
    visitor = client.get("/questions/").content.decode()
    assert 'href="/accounts/login/?next=/questions/"' in visitor
    assert 'href="/accounts/signup/"' in visitor
    client.force_login(UserFactory(display_name="Grace Hopper", reputation=15))
    member = client.get("/questions/").content.decode()
    assert 'action="/accounts/logout/"' in member
    assert "Grace Hopper" in member


def test_a_logged_out_session_cookie_no_longer_logs_in(client):
    client.force_login(UserFactory())
    old_cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    assert not logged_in_user(replay).is_authenticated


def test_an_expired_session_no_longer_logs_in(client):
    client.force_login(UserFactory())
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not logged_in_user(client).is_authenticated


def test_a_suspended_account_is_logged_out(client):
    user = UserFactory()
    client.force_login(user)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert not logged_in_user(client).is_authenticated


def test_a_password_change_ends_other_sessions(client):
    user = UserFactory()
    client.force_login(user)
    user.set_password("a completely new passphrase 7")
    user.save()
    assert not logged_in_user(client).is_authenticated


# Names that would pass for a moderator's -------------------------------------------------

MARKED_NAMES = [
    "Ada ♦",
    "♦ moderator",
    "◆Ada",
    "Ada⬥",
    "⯁",
    "♢ Ada",
    "◇Ada",
    "❖ Ada",
    "⧫Ada",
    "🔷 Ada",
    "Ada 🔹",
    "Ada♦\ufe0f",  # the emoji form of the suit
    "Ada\u20df",  # combining enclosing diamond
]
MODERATOR_WORD_NAMES = ["moderator", "Moderator", " MODERATOR ", "mod", "M o d", "mod.", "ｍｏｄ"]


@pytest.mark.parametrize("name", MARKED_NAMES)
def test_signup_refuses_a_display_name_with_the_moderator_mark(client, name):
    response = signup(client, display_name=name)

    assert response.status_code == 200
    assert "Names can't contain ♦ or a similar mark" in text_of(response)
    assert 'value="lovelace"' in response.content.decode()  # the rest is kept
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("name", [*MODERATOR_WORD_NAMES, "mod\u200b"])
def test_signup_refuses_a_display_name_that_is_a_moderators_title(client, name):
    response = signup(client, display_name=name)

    assert response.status_code == 200
    assert "“Moderator” and “mod” are kept for the site's moderators" in text_of(response)
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("name", ["moderator", "Moderator", "mod", "MODS", "m.o.d"])
def test_signup_refuses_a_username_that_is_a_moderators_title(client, name):
    response = signup(client, username=name, display_name="")

    assert response.status_code == 200
    assert "“Moderator” and “mod” are kept for the site's moderators" in text_of(response)
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("name", ["lovelace♦", "◆lovelace", "lovelace🔷"])
def test_signup_refuses_a_username_with_the_moderator_mark(client, name):
    response = signup(client, username=name)

    assert response.status_code == 200
    assert "Enter a valid username" in text_of(response) or "Names can't contain ♦" in text_of(
        response
    )
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("name", ["Modesty", "Ada the moderator", "Mod Squad", "Dr. Mo"])
def test_signup_takes_names_that_only_contain_the_words(client, name):
    assert signup(client, display_name=name).status_code == 302
    assert get_user_model().objects.get(username="lovelace").display_name == name


def admin_user_form(client, user, **changes) -> tuple[str, dict]:
    """The User admin's change page for ``user``: its URL and what a browser would post
    back, with ``changes`` applied."""
    url = reverse("admin:accounts_user_change", args=[user.pk])
    return url, form_data(client.get(url), **changes)


def test_the_user_admin_keeps_the_title_for_moderators_and_the_mark_from_everyone(admin_client):
    user = UserFactory(username="grace", display_name="Grace Hopper")

    url, data = admin_user_form(admin_client, user, display_name="Moderator")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "kept for the site's moderators" in text_of(response)

    url, data = admin_user_form(admin_client, user, display_name="Moderator", is_moderator="on")
    assert admin_client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.is_moderator) == ("Moderator", True)

    url, data = admin_user_form(admin_client, user, display_name="Grace ♦")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Names can't contain ♦" in text_of(response)
    user.refresh_from_db()
    assert user.display_name == "Moderator"


def test_the_user_admin_refuses_to_add_an_ordinary_user_named_moderator(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "moderator",
            "display_name": "",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "kept for the site's moderators" in text_of(response)
    assert not get_user_model().objects.filter(username="moderator").exists()


def test_the_account_settings_pages_share_a_menu_in_the_sites_layout(client):
    client.force_login(UserFactory())
    assert 'href="/accounts/email/"' in client.get("/questions/").content.decode()
    for path in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        response = client.get(path)
        assert response.status_code == 200, path
        content = response.content.decode()
        assert 'class="topbar"' in content and "Account settings" in text_of(response)
        assert 'href="/accounts/2fa/"' in content
        assert "style=" not in content, path
