"""States (closed, locked, protected): only these functions write the state fields;
moderation decides when, and calls them."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from threads.models import (
    Post,
    PostLink,
    PostLinkKind,
)
from threads.services._common import _bump_version, _lock_row


@transaction.atomic
def question_close(*, question: Post, notice: dict, duplicate_of: Iterable[Post] = ()) -> bool:
    """Close with a notice (a snapshot of the reason texts, voters and targets)."""
    question = _lock_row(question)
    if question.closed_at is not None:
        return False
    now = timezone.now()
    Post.objects.filter(pk=question.pk).update(
        closed_at=now,
        close_notice=notice,
        close_votes_pending=0,
        last_close_vote_at=None,
        reopen_votes_pending=0,
        last_reopen_vote_at=None,
    )
    for target in duplicate_of:
        PostLink.objects.get_or_create(post=question, target=target, kind=PostLinkKind.DUPLICATE)
    _bump_version(question.pk, activity=True)
    return True


@transaction.atomic
def question_reopen(*, question: Post) -> bool:
    question = _lock_row(question)
    if question.closed_at is None:
        return False
    Post.objects.filter(pk=question.pk).update(
        closed_at=None,
        close_notice=None,
        reopen_votes_pending=0,
        last_reopen_vote_at=None,
        close_votes_pending=0,
        last_close_vote_at=None,
    )
    PostLink.objects.filter(post=question, kind=PostLinkKind.DUPLICATE).delete()
    _bump_version(question.pk, activity=True)
    return True


@transaction.atomic
def question_pending_votes_set(
    *,
    question: Post,
    close: int | None = None,
    last_close_vote_at=None,
    reopen: int | None = None,
    last_reopen_vote_at=None,
) -> None:
    """Store the pending vote counts moderation counted (a copy for pages, never the
    source of a threshold)."""
    fields = {}
    if close is not None:
        fields.update(close_votes_pending=close, last_close_vote_at=last_close_vote_at)
    if reopen is not None:
        fields.update(reopen_votes_pending=reopen, last_reopen_vote_at=last_reopen_vote_at)
    Post.objects.filter(pk=question.pk).update(**fields)
    _bump_version(question.pk)


@transaction.atomic
def post_lock(*, post: Post, kind: str, until) -> bool:
    """Lock until ``until`` (``PERMANENT_LOCK_UNTIL`` for no end)."""
    post = _lock_row(post)
    if post.is_locked and post.lock_kind == kind and post.locked_until == until:
        return False
    Post.objects.filter(pk=post.pk).update(locked_until=until, lock_kind=kind)
    _bump_version(post.question_id)
    return True


@transaction.atomic
def post_unlock(*, post: Post) -> bool:
    post = _lock_row(post)
    if not post.is_locked:
        return False
    Post.objects.filter(pk=post.pk).update(locked_until=None, lock_kind="")
    _bump_version(post.question_id)
    return True


@transaction.atomic
def question_protect(*, question: Post, protect: bool = True) -> bool:
    question = _lock_row(question)
    if question.is_protected == protect:
        return False
    Post.objects.filter(pk=question.pk).update(protected_at=timezone.now() if protect else None)
    _bump_version(question.pk)
    return True
