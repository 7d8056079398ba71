"""allauth's pages are drawn in the site's layout, with no inline script or style (the
Content-Security-Policy forbids both) and no page error."""

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VISITOR_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-key/",
    "/accounts/password/reset/key/1-forged/",
]
MEMBER_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/reauthenticate/",
    "/accounts/3rdparty/",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")


def assert_site_page(response, path):
    assert response.status_code == 200, path
    content = response.content.decode()
    assert 'class="topbar"' in content, path
    assert "style=" not in content, path
    assert not INLINE_SCRIPT.search(content), path
    assert content.count("<h1") == 1, path


@pytest.mark.parametrize("path", VISITOR_PAGES)
def test_visitors_pages(client, path):
    assert_site_page(client.get(path, follow=True), path)


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_members_pages(client, path):
    UserFactory(username="grace")
    client.post("/accounts/login/", {"login": "grace", "password": DEMO_PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert_site_page(client.get(path, follow=True), path)


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", "/accounts/2fa/recovery-codes/", "/accounts/2fa/totp/deactivate/"]
)
def test_two_factor_pages_of_an_enrolled_member(client, path):
    grace = UserFactory(username="grace")
    TOTP.activate(grace, generate_totp_secret())
    RecoveryCodes.activate(grace)
    client.force_login(grace)
    client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert_site_page(client.get(path, follow=True), path)
