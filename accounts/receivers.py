"""What accounts does when allauth reports a change (connected in ``AccountsConfig.ready``)."""

from accounts.middleware import forget_enrolment
from accounts.verification import email_verified_sync


def on_email_confirmed(sender, request=None, email_address=None, **kwargs) -> None:
    """An address was confirmed: the user's ``email_verified`` follows their primary one."""
    if email_address is not None:
        email_verified_sync(email_address.user)


def on_email_changed(sender, request=None, user=None, **kwargs) -> None:
    """The primary address changed (an email change completed)."""
    if user is not None:
        user.refresh_from_db(fields=["email"])
        email_verified_sync(user)


def on_authenticator_removed(sender, request=None, **kwargs) -> None:
    forget_enrolment(request)
