"""One-click unsubscribe links (RFC 8058): a signed token naming the person and the kind of
notification (or ``all``). It needs no login, so the mail client's POST works; a forged or
altered token names nobody."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from notifications.models import Kind

SALT = "notifications.unsubscribe"
ALL = "all"


def token(user, kind: str) -> str:
    return signing.dumps([user.pk, kind], salt=SALT)


def url(user, kind: str) -> str:
    """The absolute URL of the unsubscribe page (GET asks, POST unsubscribes)."""
    return settings.SITE_URL + reverse("email-unsubscribe", kwargs={"token": token(user, kind)})


def read(value: str):
    """(user, kind) named by a token, or None for a forged, altered or stale one (the user
    is gone or the kind no longer exists)."""
    try:
        user_id, kind = signing.loads(value, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or (kind != ALL and kind not in Kind.values):
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    return None if user is None else (user, kind)


def label(kind: str) -> str:
    return "all notifications" if kind == ALL else f"“{Kind(kind).label}”"
