"""Whether a member's email address is verified, and the one rule that reads it
(docs/rules.md, "Accounts").

``User.email_verified`` mirrors allauth's ``EmailAddress`` rows for the address in
``User.email``: the adapter sets it False for a sign-up whose address nobody has vouched for
(``accounts.adapter``), and ``email_verified_sync`` sets it from the rows whenever allauth
confirms or changes an address (``accounts/receivers.py``). Users made any other way
(the admin, an import, the demo) count as verified."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from core.conf import qasite_setting


def email_verified_sync(user) -> bool:
    """Set ``user.email_verified`` from allauth's rows: whether the address in
    ``user.email`` is one of the user's verified addresses. Returns the new value."""
    email = (user.email or "").strip()
    verified = bool(email) and (
        EmailAddress.objects.filter(user_id=user.pk, email__iexact=email, verified=True).exists()
    )
    if user.email_verified != verified:
        get_user_model().objects.filter(pk=user.pk).update(email_verified=verified)
        user.email_verified = verified
    return verified


def unverified_message() -> str:
    """The refusal, with the link to the page that sends the confirmation mail again."""
    return format_html(
        "Confirm your email address before you post: open the link in the mail we sent you, "
        'or <a href="{}">send it again</a>.',
        reverse("account_email"),
    )


def must_verify_email(user) -> bool:
    """Whether ``user`` may not post until they confirm their address
    (``QASITE["ACCOUNTS"]["VERIFIED_EMAIL_TO_POST"]``). Reads only the user row."""
    return bool(
        user.is_authenticated
        and not getattr(user, "email_verified", True)
        and qasite_setting("ACCOUNTS.VERIFIED_EMAIL_TO_POST")
    )


def check_email_verified(user) -> None:
    """The rule: asking, answering, commenting and editing (or suggesting edits) need a
    verified address when the site says so. ``threads.rules`` calls it from each of those
    actions' checks, so every entry point is covered."""
    if must_verify_email(user):
        raise PermissionDenied(unverified_message())
