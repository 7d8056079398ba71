"""Social login (GitHub here; Google works the same way): offered only when configured, a
new member signs up through the provider, and an address already on an account is never
taken over (docs/rules.md, "Accounts"). The provider's HTTP calls are mocked."""

from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from tests.accounts.helpers import logged_in_user
from tests.factories import UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

GITHUB = {
    "github": {
        "APPS": [{"client_id": "test-client", "secret": "test-secret"}],
        "SCOPE": ["read:user", "user:email"],
    }
}


def provider_response(url: str, verified: bool, email: str):
    if url.endswith("/login/oauth/access_token"):
        body = {"access_token": "token-123", "token_type": "bearer", "scope": "user:email"}
    elif url.endswith("/user/emails"):
        body = [{"email": email, "primary": True, "verified": verified}]
    elif url.endswith("/user"):
        body = {"id": 4242, "login": "octocat", "name": "Mona Octocat", "email": email}
    else:
        raise AssertionError(f"unexpected call to {url}")
    response = requests.Response()
    response.status_code = 200
    response._content = __import__("json").dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    response.url = url
    return response


def github_login(client, *, email="mona@example.com", verified=True):
    """The whole dance: our POST to start, GitHub's redirect back with a code, and the
    token and profile calls allauth makes (answered by the mock)."""
    start = client.post("/accounts/github/login/", {"process": "login"})
    assert start.status_code == 302
    assert start["Location"].startswith("https://github.com/login/oauth/authorize")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    def fake(self, method, url, *args, **kwargs):
        return provider_response(url, verified, email)

    with mock.patch.object(requests.Session, "request", fake):
        return client.get("/accounts/github/login/callback/", {"code": "the-code", "state": state})


def test_no_provider_is_offered_unless_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/github/login/" not in page and "/accounts/google/login/" not in page
    assert client.post("/accounts/github/login/").status_code in (400, 404)


def test_a_configured_provider_shows_its_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    page = client.get("/accounts/login/")
    assert 'href="/accounts/github/login/?process=login"' in page.content.decode()
    assert "GitHub" in text_of(page)


def test_a_new_member_signs_up_through_github_with_a_verified_address(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    response = github_login(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(socialaccount__provider="github")
    assert logged_in_user(client) == user
    assert (user.username, user.display_name, user.email) == (
        "octocat",
        "Mona Octocat",
        "mona@example.com",
    )
    assert user.email_verified is True  # GitHub vouches for the address
    assert EmailAddress.objects.get(user=user).verified is True
    assert not user.has_usable_password()


def test_an_address_github_does_not_vouch_for_needs_confirming(client, settings, mailoutbox):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    github_login(client, verified=False)
    user = get_user_model().objects.get(socialaccount__provider="github")
    assert user.email_verified is False
    assert "Confirm your email address" in text_of(client.get("/questions/ask/"))


def test_an_existing_members_address_is_not_silently_taken_over(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    member = UserFactory(username="mona", email="mona@example.com")
    response = github_login(client, email="mona@example.com")
    # No login into the member's account and no link to it: the visitor is asked to sign up
    # with another address instead.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert not logged_in_user(client).is_authenticated
    assert not SocialAccount.objects.filter(user=member).exists()
    form = client.get("/accounts/3rdparty/signup/")
    assert form.status_code == 200
    taken = client.post(
        "/accounts/3rdparty/signup/", {"username": "octocat", "email": "mona@example.com"}
    )
    assert "already" in text_of(taken)
    assert get_user_model().objects.filter(email__iexact="mona@example.com").count() == 1
