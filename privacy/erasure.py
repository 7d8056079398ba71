"""Carrying out a deletion request once its grace period is over (docs/rules.md, "Your
data"): the periodic job (``manage.py privacy_sweep``, RQ's cron in ``privacy.cron``) calls
``erase_due``.

The account stays, renamed to its pseudonym ``user<id>`` and deactivated, so the posts,
comments and edits the member licensed to the site stay attributed to it. Everything
personal goes: names, email addresses, profile, avatar file, password, sessions, django-allauth's
addresses, social accounts and MFA authenticators (when those apps are installed), notices,
follows, watched tags, email choices and data exports. Names copied as text into the records
are replaced through ``accounts.redaction`` (the one sanctioned path), and the erasure is
logged in ``accounts.AccountEvent``."""

import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import AccountEvent, AccountEventKind
from accounts.redaction import redact_names
from notifications.delivery import forget_unread
from notifications.models import EmailPreference, Follow, Notification, WatchedTag
from privacy import rules
from privacy.models import DeletionRequest
from privacy.services import exports_remove

logger = logging.getLogger(__name__)

#: django-allauth's tables that hold a member's addresses and credentials, erased when the
#: apps are installed: (app, model label).
ALLAUTH_MODELS = (
    ("allauth.account", "account.EmailAddress"),
    ("allauth.socialaccount", "socialaccount.SocialAccount"),
    ("allauth.mfa", "mfa.Authenticator"),
)


def pseudonym_for(user) -> str:
    """``user<id>``; in the rare case another account already took that username,
    ``deleted-user<id>`` (which sign-up's name rule never produces for another id)."""
    wanted = f"user{user.pk}"
    taken = get_user_model().objects.filter(username__iexact=wanted).exclude(pk=user.pk).exists()
    return f"deleted-user{user.pk}" if taken else wanted


def _delete_sessions(user_id: int) -> int:
    """The member's sessions in the database (a session names its user only inside its
    encoded data, so each live one is decoded once; the job runs in the background)."""
    store = Session.get_session_store_class()()
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(store.decode(session.session_data).get("_auth_user_id")) == str(user_id)
    ]
    return Session.objects.filter(pk__in=doomed).delete()[0]


def _delete_allauth_rows(user) -> dict[str, int]:
    removed = {}
    for app, label in ALLAUTH_MODELS:
        if apps.is_installed(app):
            removed[label] = apps.get_model(label).objects.filter(user=user).delete()[0]
    return removed


def _remove_avatar(user) -> None:
    if user.avatar:
        storage, name = user.avatar.storage, user.avatar.name
        transaction.on_commit(lambda: storage.delete(name), robust=True)


@transaction.atomic
def account_erase(*, request_id: int, now=None) -> bool:
    """Erase the account of the deletion request ``request_id`` if it is still open and due.
    Returns False when there is nothing to do (cancelled, done already, not due)."""
    now = now or timezone.now()
    request = DeletionRequest.objects.select_for_update().get(pk=request_id)
    user = get_user_model().objects.select_for_update().get(pk=request.user_id)
    try:
        rules.check_erase_permission(request, now)
    except PermissionDenied:
        return False
    names = [user.username, user.display_name]
    pseudonym = pseudonym_for(user)
    _remove_avatar(user)
    removed = {
        "sessions": _delete_sessions(user.pk),
        "notifications": Notification.objects.filter(recipient=user).delete()[0],
        "follows": Follow.objects.filter(user=user).delete()[0],
        "watched_tags": WatchedTag.objects.filter(user=user).delete()[0],
        "email_preferences": EmailPreference.objects.filter(user=user).delete()[0],
        "exports": exports_remove(user=user),
        **_delete_allauth_rows(user),
    }
    user.username = pseudonym
    for field in ("display_name", "email", "first_name", "last_name", "about", "location"):
        setattr(user, field, "")
    user.website = ""
    user.avatar = ""
    user.last_seen = None
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_moderator = False
    user.set_unusable_password()
    user.save()
    forget_unread([user.pk])
    redacted = redact_names(user=user, names=names, pseudonym=pseudonym)
    request.erased_at = now
    request.save(update_fields=["erased_at"])
    AccountEvent.objects.create(
        user=user,
        kind=AccountEventKind.ERASED,
        details={"request": request.pk, "removed": removed, "redacted": redacted},
    )
    return True


def erase_due(*, now=None) -> int:
    """The periodic job: erase every account whose grace period is over. Each is its own
    transaction, so one failure does not hold back the others."""
    now = now or timezone.now()
    due = DeletionRequest.objects.filter(
        cancelled_at__isnull=True, erased_at__isnull=True, due_at__lte=now
    ).values_list("pk", flat=True)
    erased = 0
    for pk in list(due):
        try:
            erased += account_erase(request_id=pk, now=now)
        except Exception:
            logger.exception("Erasing the account of deletion request %s failed", pk)
    return erased
