"""Writing notifications: the one function every handler calls (``deliver``).

Rows are written in the transaction of the action that causes them, so a rolled-back action
leaves no notice and a committed one cannot lose its notice (docs/architecture.md,
"notifications"). Fan-out to many recipients is one bulk insert; the unique
(recipient, source) constraint makes a repeated signal (a replayed POST, a retried task)
write nothing. Email and the unread counts follow after the commit."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.conf import qasite_setting
from notifications import mail_queue
from notifications.models import (
    ABOUT_REMOVAL,
    MODERATION_KINDS,
    EmailMode,
    EmailPreference,
    Kind,
    Notification,
)
from threads.models import Comment, Post
from threads.rules import can_view_post


def unread_key(user_id: int) -> str:
    return f"inbox:unread:{user_id}"


def forget(keys: list[str]) -> None:
    """Drop cached values now and again once the transaction commits: a reader between
    the two may have cached what was true before the commit."""
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def forget_unread(user_ids: Iterable[int]) -> None:
    forget([unread_key(pk) for pk in set(user_ids)])


def default_email_mode(kind: str) -> str:
    settings = qasite_setting("NOTIFICATIONS")
    if kind in MODERATION_KINDS:
        return settings["EMAIL_MODERATION_DEFAULT"]
    return settings["EMAIL_OTHER_DEFAULT"]


def _email_modes(user_ids: set[int], kind: str) -> dict[int, str]:
    chosen = dict(
        EmailPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "mode"
        )
    )
    default = default_email_mode(kind)
    return {pk: chosen.get(pk, default) for pk in user_ids}


def _may_see(user, post: Post | None, comment: Comment | None, kind: str) -> bool:
    """Never tell someone about content they may no longer see (a deleted post, by the rule
    of ``threads.rules.can_view_post``, except its removal to its owner; a deleted comment)."""
    if comment is not None and comment.deleted_at is not None:
        return False
    if post is None or kind in ABOUT_REMOVAL:
        return True
    question = post if post.is_question else post.parent
    return can_view_post(user, post) and can_view_post(user, question)


def deliver(
    recipient_ids: Iterable[int | None],
    *,
    kind: Kind,
    source: str,
    actor=None,
    post: Post | None = None,
    comment: Comment | None = None,
    title: str = "",
    text: str = "",
    details: dict | None = None,
) -> int:
    """Tell each recipient once about the action named ``source``; never its ``actor``.
    Returns how many rows were offered (existing ones are skipped by the database)."""
    wanted = {pk for pk in recipient_ids if pk is not None}
    if actor is not None:
        wanted.discard(actor.pk)
    if not wanted:
        return 0
    recipients = [
        user
        for user in get_user_model().objects.filter(pk__in=wanted, is_active=True, is_system=False)
        if _may_see(user, post, comment, kind)
    ]
    if not recipients:
        return 0
    modes = _email_modes({user.pk for user in recipients}, kind)
    question = None if post is None else (post if post.is_question else post.parent)
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            source=source[:60],
            actor=actor,
            actor_name=actor.name if actor is not None else "",
            post=post,
            question=question,
            comment=comment,
            title=(title or (question.title if question is not None else ""))[:250],
            text=text,
            details=details or {},
            created_at=now,
            email_mode=modes[user.pk] if user.email else EmailMode.OFF,
        )
        for user in recipients
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    forget_unread(user.pk for user in recipients)
    if any(row.email_mode == EmailMode.IMMEDIATE for row in rows):
        mail_queue.after_commit_send(source=source[:60])
    return len(rows)
