"""Rate limits (docs/rules.md, "Rate limits"): counted from the user's own rows after locking the
user's row, inside the caller's transaction, so parallel requests and several workers can
never exceed them. The numbers live in ``settings.QASITE["RATE_LIMITS"]``."""

import math
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from core.conf import qasite_setting
from core.exceptions import RateLimited

__all__ = ["RateLimited", "check_daily", "check_interval", "limit", "lock_users", "utc_midnight"]


def limit(name: str) -> int:
    return qasite_setting("RATE_LIMITS")[name]


def utc_midnight() -> datetime:
    now = timezone.now()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def lock_user(user) -> None:
    lock_users(user.pk)


def lock_users(*pks: int | None) -> None:
    """Lock user rows in id order (one order everywhere: no deadlocks). Every row lock here
    is FOR NO KEY UPDATE (``no_key=True``): it serialises writers as FOR UPDATE does, but
    lets other transactions' foreign-key checks (PostgreSQL runs Django's deferred ones at
    COMMIT) through, which FOR UPDATE would turn into deadlocks."""
    wanted = sorted({pk for pk in pks if pk is not None})
    list(
        get_user_model().objects.select_for_update(no_key=True).filter(pk__in=wanted).order_by("pk")
    )


def check_daily(*, user, rows: QuerySet, name: str, what: str, locked: bool = False) -> None:
    """At most ``RATE_LIMITS[name]`` of ``rows`` (the user's, with a time field already
    filtered to today by the caller) per UTC day. ``locked``: the caller's transaction
    already holds the user's row lock (``lock_users``), so it is not asked for again."""
    if not locked:
        lock_user(user)
    allowed = limit(name)
    if rows.count() >= allowed:
        raise RateLimited(
            f"You have reached today's limit of {allowed} {what}. It resets at midnight UTC.",
            retry_after=_seconds_to_midnight(),
        )


def check_interval(*, user, latest, seconds: float, what: str) -> None:
    """One ``what`` per ``seconds``: ``latest`` is the time of the user's last one."""
    lock_user(user)
    if latest is None:
        return
    wait = timedelta(seconds=seconds) - (timezone.now() - latest)
    if wait.total_seconds() > 0:
        raise RateLimited(
            f"You can only post one {what} every {_duration(seconds)}; try again in "
            f"{_duration(wait.total_seconds())}.",
            retry_after=max(1, math.ceil(wait.total_seconds())),
        )


def _seconds_to_midnight() -> int:
    """Seconds until the next UTC midnight, when the daily limits reset."""
    left = utc_midnight() + timedelta(days=1) - timezone.now()
    return max(1, math.ceil(left.total_seconds()))


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
