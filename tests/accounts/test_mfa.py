"""Two-factor authentication (allauth.mfa: an authenticator app and recovery codes) and its
enforcement for moderators and staff (docs/rules.md, "Accounts")."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.middleware import ENROLLED_SESSION_KEY
from tests.accounts.helpers import accounts_settings
from tests.factories import DEMO_PASSWORD, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # now, between the tolerated earlier and later ones
    return format_hotp_value(hotp_value(secret, counter))


def log_in(client, username: str):
    return client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})


def reauthenticate(client):
    """allauth asks for the password again before two-factor settings change."""
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")
    response = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert response.status_code == 302


def logged_in_user(client):
    return client.get("/questions/").context["user"]


def enrolled(user) -> str:
    """An authenticator app and recovery codes for ``user``; returns the app's secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


@pytest.fixture
def _required(settings):
    accounts_settings(settings, MFA_REQUIRED_FOR_STAFF=True)


def test_a_member_enrols_an_authenticator_app_and_gets_recovery_codes(client):
    user = UserFactory(username="grace")
    assert log_in(client, "grace").status_code == 302
    reauthenticate(client)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assert "Authenticator secret" in text_of(page)
    secret = client.session["mfa.totp.secret"]

    wrong = client.post(ACTIVATE, {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code." in text_of(wrong)
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post(ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_logging_in_with_an_authenticator_asks_for_its_code(client):
    user = UserFactory(username="grace")
    secret = enrolled(user)
    response = log_in(client, "grace")
    assert response["Location"] == AUTHENTICATE
    assert not logged_in_user(client).is_authenticated

    wrong = client.post(AUTHENTICATE, {"code": "000000"})
    assert "Incorrect code." in text_of(wrong)
    assert not logged_in_user(client).is_authenticated

    assert client.post(AUTHENTICATE, {"code": current_code(secret)}).status_code == 302
    assert logged_in_user(client) == user


def test_a_recovery_code_logs_in_once(client):
    user = UserFactory(username="grace")
    enrolled(user)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    code = codes.get_unused_codes()[0]
    log_in(client, "grace")
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 302
    assert logged_in_user(client) == user

    client.logout()
    log_in(client, "grace")
    again = client.post(AUTHENTICATE, {"code": code})
    assert "Incorrect code." in text_of(again)
    assert not logged_in_user(client).is_authenticated


@pytest.mark.parametrize(
    "role",
    [{"is_moderator": True}, {"is_staff": True}, {"is_superuser": True, "is_staff": True}],
    ids=["moderator", "staff", "superuser"],
)
@pytest.mark.usefixtures("_required")
def test_staff_without_an_authenticator_must_enrol_first(client, role):
    UserFactory(username="boss", **role)
    log_in(client, "boss")
    for path in ("/", "/questions/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(ACTIVATE)
    reauthenticate(client)  # the account pages still work
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assert "the site requires it of moderators and staff" in text_of(page)
    assert client.get("/accounts/email/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.usefixtures("_required")
def test_enrolled_staff_go_on_and_their_session_remembers_it(client):
    boss = UserFactory(username="boss", is_moderator=True)
    secret = enrolled(boss)
    log_in(client, "boss")
    client.post(AUTHENTICATE, {"code": current_code(secret)})
    assert client.get("/questions/").status_code == 200
    assert client.session[ENROLLED_SESSION_KEY] == boss.pk
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/questions/").status_code == 200
    assert not any("mfa_authenticator" in query["sql"] for query in queries.captured_queries)


@pytest.mark.usefixtures("_required")
def test_removing_the_authenticator_asks_again(client):
    boss = UserFactory(username="boss", is_moderator=True)
    enrolled(boss)
    client.force_login(boss)
    assert client.get("/questions/").status_code == 200
    assert client.session[ENROLLED_SESSION_KEY] == boss.pk
    client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=boss).exists()
    assert ENROLLED_SESSION_KEY not in client.session
    assert client.get("/questions/")["Location"].startswith(ACTIVATE)


@pytest.mark.usefixtures("_required")
def test_members_are_never_asked_and_pay_no_query_for_it(client):
    member = UserFactory(username="member")
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/questions/").status_code == 200
    assert not any("mfa_authenticator" in query["sql"] for query in queries.captured_queries)
    assert client.get("/").status_code == 200


def test_without_the_setting_staff_are_not_asked(client):
    UserFactory(username="boss", is_moderator=True, is_staff=True)
    log_in(client, "boss")
    assert client.get("/questions/").status_code == 200
    assert client.get("/admin/").status_code == 200
