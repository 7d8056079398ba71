"""Password reset and change, and email change with re-verification, through allauth's
pages (docs/rules.md, "Accounts")."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.accounts.helpers import link_in, logged_in_user, mail_to
from tests.factories import DEMO_PASSWORD, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 77"
RESET_KEY_PATH = "/accounts/password/reset/key/"


def reset_link(client, address: str) -> str:
    response = client.post("/accounts/password/reset/", {"email": address})
    assert response.status_code == 302
    return link_in(mail_to(address)[-1], RESET_KEY_PATH)


def set_new_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the mailed link (allauth moves the key into the session) and post the form."""
    opened = client.get(link)
    target = opened["Location"] if opened.status_code == 302 else link
    return client.post(target, {"password1": password, "password2": password})


@pytest.fixture
def grace():
    return UserFactory(username="grace", email="grace@example.com")


def test_a_reset_link_sets_a_new_password(client, grace, mailoutbox):
    response = set_new_password(client, reset_link(client, "grace@example.com"))
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.check_password(NEW_PASSWORD)
    assert (
        client.post("/accounts/login/", {"login": "grace", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_a_reset_for_an_unknown_address_says_the_same_and_mails_no_link(client, grace, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302  # the same "we sent you a mail" page as for a member
    member = client.post("/accounts/password/reset/", {"email": "grace@example.com"})
    assert member["Location"] == response["Location"]
    assert all(RESET_KEY_PATH not in message.body for message in mail_to("nobody@example.com"))


@pytest.mark.parametrize("case", ["reused", "expired", "forged"])
def test_a_bad_reset_link_changes_nothing_and_says_so(client, grace, mailoutbox, case):
    link = reset_link(client, "grace@example.com")
    if case == "reused":
        assert set_new_password(client, link).status_code == 302
        grace.refresh_from_db()
        before = grace.password
        response = set_new_password(client, link, "yet another passphrase 88")
    elif case == "expired":
        before = grace.password
        with time_machine.travel(timezone.now() + timedelta(days=4)):
            response = set_new_password(client, link)
    else:
        before = grace.password
        uid = link.removeprefix(RESET_KEY_PATH).split("-", 1)[0]
        response = set_new_password(client, f"{RESET_KEY_PATH}{uid}-forged-token/")
    assert response.status_code == 200
    assert "The password reset link was invalid" in text_of(response)
    grace.refresh_from_db()
    assert grace.password == before


def test_a_member_changes_their_password(client, grace):
    client.force_login(grace)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.check_password(NEW_PASSWORD)
    assert logged_in_user(client) == grace  # this session stays


def test_a_password_change_needs_the_old_password(client, grace):
    client.force_login(grace)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Please type your current password." in text_of(response)
    grace.refresh_from_db()
    assert grace.check_password(DEMO_PASSWORD)


def test_an_email_change_waits_for_the_new_address_to_be_confirmed(client, grace, mailoutbox):
    client.force_login(grace)
    response = client.post("/accounts/email/", {"email": "hopper@example.com", "action_add": ""})
    assert response.status_code == 302
    grace.refresh_from_db()
    # Until then the old, verified address stays the one mail goes to.
    assert (grace.email, grace.email_verified) == ("grace@example.com", True)

    client.post(link_in(mail_to("hopper@example.com")[-1], "/accounts/confirm-email/"))
    grace.refresh_from_db()
    assert (grace.email, grace.email_verified) == ("hopper@example.com", True)
    assert list(EmailAddress.objects.filter(user=grace).values_list("email", flat=True)) == [
        "hopper@example.com"
    ]
    assert (
        client.post(
            "/accounts/login/", {"login": "hopper@example.com", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )


def test_an_address_already_in_use_is_never_taken_over(client, grace, mailoutbox):
    other = UserFactory(username="ada", email="ada@example.com")
    client.force_login(other)
    response = client.post("/accounts/email/", {"email": "grace@example.com", "action_add": ""})
    # Nothing says whose it is (the page answers as for a free address)...
    assert response.status_code == 302
    assert "already" not in text_of(client.get("/accounts/email/"))
    # ...and Ada cannot make it hers: at most a pending, unverified row whose link, mailed
    # to Grace's inbox, cannot confirm an address another account has verified.
    assert not EmailAddress.objects.filter(
        user=other, email="grace@example.com", verified=True
    ).exists()
    for message in mail_to("grace@example.com"):
        if "/accounts/confirm-email/" in message.body:
            client.post(link_in(message, "/accounts/confirm-email/"))
    other.refresh_from_db()
    assert (other.email, other.email_verified) == ("ada@example.com", True)
    assert not EmailAddress.objects.filter(
        user=other, email="grace@example.com", verified=True
    ).exists()
    client.logout()
    client.post("/accounts/login/", {"login": "grace@example.com", "password": DEMO_PASSWORD})
    assert logged_in_user(client) == grace


def test_signing_up_with_an_address_in_use_makes_no_second_account(client, grace):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "imposter",
            "email": "Grace@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "A user is already registered with this email address." in text_of(response)
    assert not get_user_model().objects.filter(username="imposter").exists()
