"""Accounts' two middlewares: last seen (below) and two-factor enrolment for the people
who run the site (docs/rules.md, "Accounts").

With ``QASITE["ACCOUNTS"]["MFA_REQUIRED_FOR_STAFF"]`` on, a moderator, staff member or
superuser without an authenticator is sent to allauth's page that activates one before any
other page works; the account pages themselves (``/accounts/``: login, logout, email, the
two-factor pages) and static files stay reachable. It costs ordinary members nothing: the
roles are read from the user row the request loads anyway, and an enrolled moderator's
session remembers the answer, so only the first request of a session asks the database."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.profiles import record_last_seen
from core.conf import qasite_setting

#: The session remembers which user was found enrolled.
ENROLLED_SESSION_KEY = "accounts_mfa_enrolled"
ACCOUNT_PATHS = "/accounts/"
ENROL_MESSAGE = (
    "Set up two-factor authentication to go on: the site requires it of moderators and staff."
)


def must_enrol(user) -> bool:
    """Whether the site requires ``user`` to use two-factor authentication."""
    return bool(
        user.is_authenticated
        and (user.is_moderator or user.is_staff or user.is_superuser)
        and qasite_setting("ACCOUNTS.MFA_REQUIRED_FOR_STAFF")
    )


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def forget_enrolment(request) -> None:
    """After an authenticator is removed: ask the database again on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(ENROLLED_SESSION_KEY, None)


class MfaEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not qasite_setting("ACCOUNTS.MFA_REQUIRED_FOR_STAFF") or request.path.startswith(
            (ACCOUNT_PATHS, settings.STATIC_URL)
        ):
            return self.get_response(request)
        user = request.user
        if not must_enrol(user) or request.session.get(ENROLLED_SESSION_KEY) == user.pk:
            return self.get_response(request)
        if has_authenticator(user):
            request.session[ENROLLED_SESSION_KEY] = user.pk
            return self.get_response(request)
        messages.info(request, ENROL_MESSAGE)
        return redirect(reverse("mfa_activate_totp"))


class LastSeenMiddleware:
    """Records when a logged-in member was last seen, at most every
    ``LAST_SEEN_EVERY_MINUTES``: compared with the row the request already loaded, so one
    UPDATE when it is stale and no query otherwise (docs/rules.md, "Profiles and avatars")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            record_last_seen(user)
        return self.get_response(request)
