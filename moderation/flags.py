"""Flags on posts and comments (docs/rules.md, "Flags"): raising one (10 a day, one pending per
user and target), what enough of them do on their own (spam and rude flags delete a post
and cost its author 100, exactly once; "no longer needed" flags remove a comment), the
queues they feed, and moderators' verdicts."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.conf import qasite_setting
from moderation import rules, signals, tasks
from moderation.models import (
    COMMENT_FLAG_KINDS,
    FLAG_KINDS_NEEDING_TEXT,
    POST_FLAG_KINDS,
    Flag,
    FlagKind,
    FlagState,
    ReviewQueue,
)
from moderation.services import ModerationError
from threads import limits
from threads import services as threads_services
from threads.models import Comment, Post, ReputationCause, ReputationChange
from threads.reputation import amount_for, reputation_credit

SPAM_KINDS = (FlagKind.SPAM, FlagKind.RUDE)
LOW_QUALITY_KINDS = (FlagKind.VERY_LOW_QUALITY, FlagKind.NOT_AN_ANSWER)


def _check_kind(*, kind: str, post: Post | None, comment: Comment | None, text: str) -> None:
    allowed = POST_FLAG_KINDS if post is not None else COMMENT_FLAG_KINDS
    if kind not in allowed:
        raise ModerationError("Choose one of the flags offered for this.")
    if kind == FlagKind.NOT_AN_ANSWER and (post is None or post.is_question):
        raise ModerationError("Only answers can be flagged as not an answer.")
    if kind in FLAG_KINDS_NEEDING_TEXT and not text.strip():
        raise ModerationError("Say what the moderators should look at.")


@transaction.atomic
def flag_raise(
    *, flagger, post: Post | None = None, comment: Comment | None = None, kind: str, text: str = ""
) -> Flag:
    """Raise a flag and apply what it triggers. The flagger's row is locked for the daily
    limit, then the target's row, so thresholds are counted exactly once."""
    if (post is None) == (comment is None):
        raise ValueError("Flag a post or a comment.")
    _check_kind(kind=kind, post=post, comment=comment, text=text)
    limits.check_daily(
        user=flagger,
        rows=Flag.objects.filter(flagger=flagger, created_at__gte=limits.utc_midnight()),
        name="FLAGS_PER_DAY",
        what="flags",
    )
    if post is not None:
        post = (
            Post.objects.select_for_update(no_key=True, of=("self",))
            .select_related("parent")
            .get(pk=post.pk)
        )
        rules.check_flag_permission(flagger, post)
        target = {"post": post}
    else:
        comment = (
            Comment.objects.select_for_update(no_key=True, of=("self",))
            .select_related("post__parent")
            .get(pk=comment.pk)
        )
        rules.check_flag_comment_permission(flagger, comment)
        target = {"comment": comment}
    if Flag.objects.filter(flagger=flagger, state=FlagState.PENDING, **target).exists():
        raise ModerationError("You have already flagged this; a moderator will look at it.")
    flag = Flag.objects.create(flagger=flagger, kind=kind, text=text.strip()[:500], **target)
    signals.flag_raised.send(sender=Flag, flag=flag)
    if post is not None:
        _after_post_flag(post, flag)
    else:
        _after_comment_flag(comment, flag)
    return flag


def _after_post_flag(post: Post, flag: Flag) -> None:
    if flag.kind in SPAM_KINDS:
        flaggers = (
            Flag.objects.filter(post=post, kind__in=SPAM_KINDS)
            .exclude(state=FlagState.DECLINED)
            .values("flagger")
            .distinct()
            .count()
        )
        if flaggers >= qasite_setting("FLAGS")["SPAM_OR_RUDE_TO_DELETE"]:
            _delete_as_spam(post)
    elif flag.kind == FlagKind.NEEDS_IMPROVEMENT:
        question = post if post.is_question else post.parent
        tasks.task_enqueue(queue=ReviewQueue.CLOSE, post=question)
    elif flag.kind in LOW_QUALITY_KINDS:
        tasks.task_enqueue(queue=ReviewQueue.LOW_QUALITY, post=post)


def _delete_as_spam(post: Post) -> None:
    """Delete the post and charge its author once, however many flags arrive later."""
    threads_services.post_delete(actor=None, post=post)
    penalised = ReputationChange.objects.filter(
        post=post, cause=ReputationCause.SPAM_PENALTY
    ).exists()
    if post.author_id is not None and not penalised:
        reputation_credit(
            user_id=post.author_id,
            amount=amount_for("POST_DELETED_AS_SPAM"),
            cause=ReputationCause.SPAM_PENALTY,
            post=post,
        )
    _mark_helpful(Flag.objects.filter(post=post, kind__in=SPAM_KINDS, state=FlagState.PENDING))


def _after_comment_flag(comment: Comment, flag: Flag) -> None:
    """A comment goes when "no longer needed" flags reach (score ÷ 3) + 3."""
    if flag.kind != FlagKind.NO_LONGER_NEEDED or comment.deleted_at is not None:
        return
    flags = Flag.objects.filter(
        comment=comment, kind=FlagKind.NO_LONGER_NEEDED, state=FlagState.PENDING
    ).count()
    if flags >= comment.score // 3 + 3:
        threads_services.comment_delete(actor=None, comment=comment)
        _mark_helpful(
            Flag.objects.filter(
                comment=comment, kind=FlagKind.NO_LONGER_NEEDED, state=FlagState.PENDING
            )
        )


def _mark_helpful(pending) -> None:
    """Flags whose target the community removed were helpful."""
    flag_ids = list(pending.values_list("pk", flat=True))
    if flag_ids:
        Flag.objects.filter(pk__in=flag_ids, state=FlagState.PENDING).update(
            state=FlagState.HELPFUL, handled_at=timezone.now()
        )
        signals.flags_handled.send(sender=Flag, flag_ids=flag_ids)


@transaction.atomic
def flag_handle(*, moderator, flag: Flag, helpful: bool, decline_reason: str = "") -> bool:
    """A moderator's verdict, shown to the flagger; False if it was already handled."""
    rules.check_handle_flags_permission(moderator)
    if not helpful and not decline_reason.strip():
        raise ModerationError("Say why the flag is declined: the flagger will see it.")
    updated = Flag.objects.filter(pk=flag.pk, state=FlagState.PENDING).update(
        state=FlagState.HELPFUL if helpful else FlagState.DECLINED,
        decline_reason="" if helpful else decline_reason.strip()[:300],
        handled_by=moderator,
        handled_at=timezone.now(),
    )
    if updated:
        signals.flags_handled.send(sender=Flag, flag_ids=[flag.pk])
    return bool(updated)


def _pending_on_target(flag: Flag):
    """The pending flags on ``flag``'s post or comment (``flag`` among them if pending)."""
    target = {"post_id": flag.post_id} if flag.post_id else {"comment_id": flag.comment_id}
    return Flag.objects.filter(state=FlagState.PENDING, **target)


def _handle_pending(pending, *, moderator, helpful: bool, decline_reason: str = "") -> int:
    flag_ids = list(pending.select_for_update().values_list("pk", flat=True))
    updated = Flag.objects.filter(pk__in=flag_ids, state=FlagState.PENDING).update(
        state=FlagState.HELPFUL if helpful else FlagState.DECLINED,
        decline_reason="" if helpful else decline_reason.strip()[:300],
        handled_by=moderator,
        handled_at=timezone.now(),
    )
    if updated:
        signals.flags_handled.send(sender=Flag, flag_ids=flag_ids)
    return updated


@transaction.atomic
def flags_handle_target(*, moderator, flag: Flag, helpful: bool, decline_reason: str = "") -> int:
    """A moderator's verdict on every pending flag on ``flag``'s post or comment (the flag
    queue shows them together); how many were handled (0: others handled them already)."""
    rules.check_handle_flags_permission(moderator)
    if not helpful and not decline_reason.strip():
        raise ModerationError("Say why the flag is declined: the flaggers will see it.")
    return _handle_pending(
        _pending_on_target(flag),
        moderator=moderator,
        helpful=helpful,
        decline_reason=decline_reason,
    )


@transaction.atomic
def flagged_delete(*, moderator, flag: Flag) -> bool:
    """Delete ``flag``'s post or comment from the flag queue: its pending flags were
    helpful. False when it was deleted already (its flags are still handled)."""
    rules.check_handle_flags_permission(moderator)
    # The post's (or comment's) row is locked before its flags, in the order flag_raise
    # takes them, so the two never wait for each other.
    if flag.post_id:
        deleted = threads_services.post_delete(actor=moderator, post=flag.post)
    else:
        deleted = threads_services.comment_delete(actor=moderator, comment=flag.comment)
    _handle_pending(_pending_on_target(flag), moderator=moderator, helpful=True)
    return deleted


def flag_counts(*, flagger) -> dict[str, int]:
    """The flagger's flags by outcome (for their profile)."""
    counts = dict(
        Flag.objects.filter(flagger=flagger)
        .values_list("state")
        .annotate(total=Count("pk"))
        .values_list("state", "total")
    )
    return {state: counts.get(state, 0) for state in FlagState.values}
