"""The blocking notice: whether a member has a moderator message they have not acknowledged.
Read on every page by ``desk.middleware``, so it is one cache read; a change clears the
entry, and a miss answers with one query and refills it."""

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache

from core.conf import qasite_setting
from desk.models import Message
from notifications.delivery import forget


def _key(user_id: int) -> str:
    return f"desk:unacknowledged:{user_id}"


def unacknowledged_thread(user) -> int | None:
    """The conversation holding the member's oldest unacknowledged moderator message."""
    thread_id = cache.get(_key(user.pk))
    if thread_id is None:
        thread_id = refresh(user.pk)
    return thread_id or None


def refresh(user_id: int) -> int:
    """Count from the rows (one query) and cache the answer (0: nothing to acknowledge)."""
    first = (
        Message.objects.filter(
            thread__user_id=user_id, from_moderator=True, acknowledged_at__isnull=True
        )
        .order_by("created_at", "pk")
        .values_list("thread_id", flat=True)
        .first()
    )
    cache.set(_key(user_id), first or 0, qasite_setting("DESK")["NOTICE_CACHE_SECONDS"])
    return first or 0


def forget_notice(user_id: int) -> None:
    """After a message or an acknowledgement: now and again once the transaction commits."""
    forget([_key(user_id)])


def _logged_in(sender, *, user, **kwargs) -> None:
    refresh(user.pk)  # the first page after logging in reads the cache


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="desk.notices.logged_in")
