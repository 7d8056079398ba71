"""Whether a member is suspended (docs/rules.md, "Suspensions and moderator messages").

A suspension is derived from ``User.suspended_until`` alone: it ends when that time passes,
with no job and no moderator action. Only ``suspension_set`` writes the field; the desk app
(which keeps the ``Suspension`` rows and the event log) calls it in its transaction."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone


def is_suspended(user, now: datetime | None = None) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and until > (now or timezone.now())


def suspended_message(user) -> str:
    return f"Your account is suspended until {user.suspended_until:%b %d, %Y at %H:%M} (UTC)."


def suspension_set(*, user, until: datetime | None) -> None:
    """Start (``until`` in the future) or end (None) the suspension of ``user``."""
    get_user_model().objects.filter(pk=user.pk).update(suspended_until=until)
    user.suspended_until = until
