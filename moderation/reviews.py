"""Review queues (docs/rules.md, "Review queues"): tasks enter from events, reviewers take one
at a time (never their own posts, never a task twice, 20 a day per queue), and each queue
completes by its own rule. Decisions act through the same services as the site's buttons:
a Close review is a close vote, an approval applies the edit."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.privileges import is_moderator
from core.conf import qasite_setting
from moderation import review_bans, rules, services, signals
from moderation.flags import flag_raise
from moderation.imported import without_imported_first_posts
from moderation.models import (
    CloseReason,
    Decision,
    Review,
    ReviewQueue,
    ReviewTask,
    TaskState,
)
from moderation.queues import QueueSpec
from moderation.services import ModerationError
from threads import limits
from threads import services as threads_services
from threads.models import Post, ReputationCause, ReputationChange


def setting(name: str):
    return qasite_setting("REVIEW")[name]


# Taking a task -------------------------------------------------------------------------------


def reviews_today(*, reviewer, queue: str) -> int:
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Review.objects.filter(reviewer=reviewer, task__queue=queue, created_at__gte=midnight)
        .exclude(decision=Decision.SKIP)
        .count()
    )


def daily_limit_reached(*, reviewer, queue: str) -> bool:
    if is_moderator(reviewer):
        return False
    return reviews_today(reviewer=reviewer, queue=queue) >= setting("REVIEWS_PER_QUEUE_PER_DAY")


def _reviewable(spec: QueueSpec, reviewer):
    """Pending tasks this reviewer may take: never their own posts or suggestions, never a
    task twice, not on deleted or locked posts."""
    pending = ReviewTask.objects.filter(queue=spec.slug, state=TaskState.PENDING, is_audit=False)
    return (
        without_imported_first_posts(pending)
        .exclude(post__author=reviewer)
        .exclude(suggested_edit__author=reviewer)
        .exclude(post__deleted_at__isnull=False)
        .exclude(post__locked_until__gt=timezone.now())
        .exclude(reviews__reviewer=reviewer)
    )


@transaction.atomic
def next_task(*, spec: QueueSpec, reviewer) -> ReviewTask | None:
    """The oldest task this reviewer may take, or an audit now and then. Rows locked by a
    reviewer deciding right now are skipped (``skip_locked``) rather than waited for."""
    audit = _audit_for(spec, reviewer)
    if audit is not None:
        return audit
    return (
        _reviewable(spec, reviewer)
        .select_for_update(no_key=True, skip_locked=True, of=("self",))
        .select_related("post__parent", "post__author", "suggested_edit__author")
        .order_by("created_at", "pk")
        .first()
    )


def queue_counts() -> dict[str, int]:
    pending = ReviewTask.objects.filter(state=TaskState.PENDING, is_audit=False)
    rows = without_imported_first_posts(pending).values_list("queue").annotate(total=Count("pk"))
    return dict(rows)


# Audits --------------------------------------------------------------------------------------


def _audit_candidate(spec: QueueSpec, reviewer) -> Post | None:
    """A post whose right answer is known: a clearly good one for Close and Low quality,
    one deleted as spam for First questions."""
    posts = Post.objects.exclude(author=reviewer)
    good = setting("AUDIT_GOOD_SCORE")
    if spec.queue == ReviewQueue.CLOSE:
        posts = posts.questions().visible().filter(closed_at__isnull=True, score__gte=good)
    elif spec.queue == ReviewQueue.LOW_QUALITY:
        posts = posts.answers().visible().filter(score__gte=good)
    elif spec.queue == ReviewQueue.FIRST_QUESTIONS:
        spam = ReputationChange.objects.filter(cause=ReputationCause.SPAM_PENALTY)
        posts = posts.questions().filter(deleted_at__isnull=False, pk__in=spam.values("post_id"))
    else:
        return None
    return posts.order_by("?").first()


def _audit_for(spec: QueueSpec, reviewer) -> ReviewTask | None:
    """Every ``AUDIT_EVERY``-th review in a queue with audits is a test; an audit already
    handed out is handed out again until decided."""
    if spec.audit_expects is None or is_moderator(reviewer):
        return None
    waiting = (
        ReviewTask.objects.filter(
            queue=spec.slug, is_audit=True, audit_for=reviewer, state=TaskState.PENDING
        )
        .exclude(reviews__reviewer=reviewer)
        .first()
    )
    if waiting is not None:
        return waiting
    done = Review.objects.filter(reviewer=reviewer, task__queue=spec.slug).count()
    if (done + 1) % setting("AUDIT_EVERY"):
        return None
    candidate = _audit_candidate(spec, reviewer)
    if candidate is None:
        return None
    return ReviewTask.objects.create(
        queue=spec.slug,
        post=candidate,
        is_audit=True,
        audit_expected=spec.audit_expects,
        audit_for=reviewer,
    )


#: Decisions that count as the expected one (an edit keeps a good post, as the queues do).
AUDIT_ACCEPTS = {
    Decision.LEAVE_OPEN: {Decision.LEAVE_OPEN, Decision.EDIT},
    Decision.LOOKS_OK: {Decision.LOOKS_OK, Decision.EDIT},
    Decision.FLAG: {Decision.FLAG},
}


def _audit_result(task: ReviewTask, review: Review) -> bool:
    passed = review.decision in AUDIT_ACCEPTS.get(task.audit_expected, {task.audit_expected})
    Review.objects.filter(pk=review.pk).update(audit_passed=passed)
    ReviewTask.objects.filter(pk=task.pk).update(
        state=TaskState.COMPLETED,
        outcome="audit passed" if passed else "audit failed",
        completed_at=timezone.now(),
    )
    if not passed:
        review_bans.ban_after_failed_audits(review.reviewer)
    return passed


# Deciding ------------------------------------------------------------------------------------


@dataclass
class ReviewResult:
    review: Review | None
    completed: bool = False
    audit_passed: bool | None = None
    expected: str = ""
    message: str = ""


@transaction.atomic
def review_decide(
    *,
    reviewer,
    task: ReviewTask,
    decision: str,
    spec: QueueSpec,
    reason: CloseReason | None = None,
    duplicate_of: Post | None = None,
    comment: str = "",
    flag_kind: str = "",
    improved: dict | None = None,
) -> ReviewResult:
    """Record one reviewer's decision and apply the queue's rule. The task row is locked,
    so parallel reviewers complete a task exactly once. The same rules as the queue page
    apply whatever the entry point: the reviewer's access to the queue, and no decision on
    a deleted or locked post (the queue never hands those out)."""
    rules.check_review_queue_permission(reviewer, spec)
    if decision not in spec.decisions:
        raise ModerationError("That decision isn't offered in this queue.")
    limits.lock_users(reviewer.pk)  # the daily limit is counted under the reviewer's lock
    task = (
        ReviewTask.objects.select_for_update(no_key=True, of=("self",))
        .select_related("post__parent", "suggested_edit")
        .get(pk=task.pk)
    )
    if task.queue != spec.slug:
        raise ModerationError("This task belongs to another queue.")
    if task.state != TaskState.PENDING:
        raise ModerationError("This task was completed by other reviewers meanwhile.")
    if not task.is_audit:  # an audit acts on nothing: its post may be deleted spam
        _check_post_reviewable(task.post)
    if task.is_audit and task.audit_for_id != reviewer.pk:
        raise ModerationError("This task isn't yours to review.")
    if task.post.author_id == reviewer.pk or (
        task.suggested_edit is not None and task.suggested_edit.author_id == reviewer.pk
    ):
        raise ModerationError("You can't review your own post or suggestion.")
    if Review.objects.filter(task=task, reviewer=reviewer).exists():
        raise ModerationError("You have already reviewed this task.")
    if decision != Decision.SKIP and daily_limit_reached(reviewer=reviewer, queue=spec.slug):
        raise ModerationError(
            f"You have reached today's {setting('REVIEWS_PER_QUEUE_PER_DAY')} reviews in this "
            "queue. Thanks! Come back tomorrow."
        )
    review = Review.objects.create(
        task=task, reviewer=reviewer, decision=decision, comment=comment.strip()[:500]
    )
    if decision == Decision.SKIP:
        if task.is_audit:  # a skipped audit is never handed out again
            _complete(task, "audit skipped")
        return ReviewResult(review)
    if task.is_audit:
        passed = _audit_result(task, review)
        expected = Decision(task.audit_expected).label
        return ReviewResult(
            review,
            completed=True,
            audit_passed=passed,
            expected=expected,
            message=""
            if passed
            else (
                f"This was an audit: a post whose right review is known. The expected decision "
                f"was “{expected}”. Please look closer at each post."
            ),
        )
    completed = _apply(task, review, spec, reason, duplicate_of, comment, flag_kind, improved)
    return ReviewResult(review, completed=completed)


def _check_post_reviewable(post: Post) -> None:
    if post.is_deleted:
        raise ModerationError("This post has been deleted; its review is over.")
    if post.is_locked or (not post.is_question and post.parent.is_locked):
        raise ModerationError("This post is locked: it can't be reviewed until it is unlocked.")


def _complete(task: ReviewTask, outcome: str) -> bool:
    if ReviewTask.objects.filter(pk=task.pk, state=TaskState.PENDING).update(
        state=TaskState.COMPLETED, outcome=outcome, completed_at=timezone.now()
    ):
        signals.review_completed.send(sender=ReviewTask, task=task, outcome=outcome)
    return True


def _count(task: ReviewTask, decisions) -> int:
    return Review.objects.filter(task=task, decision__in=list(decisions)).count()


def _apply(task, review, spec, reason, duplicate_of, comment, flag_kind, improved) -> bool:
    """The queue's rule. Returns whether the task is now completed."""
    reviewer, decision, post = review.reviewer, review.decision, task.post
    alone = is_moderator(reviewer)
    if decision == Decision.CLOSE:
        if reason is None:
            raise ModerationError("Choose why the question should be closed.")
        services.close_vote_cast(
            voter=reviewer,
            question=post,
            reason=reason,
            duplicate_of=duplicate_of,
            comment=comment,
        )
        if spec.queue != ReviewQueue.CLOSE:  # one review completes a first question's task
            return _complete(task, "close")
        post.refresh_from_db()
        return post.is_closed
    if decision == Decision.REOPEN:
        services.reopen_vote_cast(voter=reviewer, question=post)
        post.refresh_from_db()
        return not post.is_closed
    if decision == Decision.FLAG:
        flag_raise(flagger=reviewer, post=post, kind=flag_kind or "", text=comment)
        return _complete(task, "flagged")
    if spec.queue == ReviewQueue.CLOSE:
        needed = 1 if alone else setting("CLOSE_LEAVE_OPEN_TO_COMPLETE")
        if _count(task, (Decision.LEAVE_OPEN, Decision.EDIT)) >= needed:
            services.close_votes_clear(actor=reviewer if alone else None, question=post)
            return _complete(task, "leave open")
        return False
    if spec.queue == ReviewQueue.REOPEN:
        needed = 1 if alone else setting("REOPEN_LEAVE_CLOSED_TO_COMPLETE")
        if _count(task, (Decision.LEAVE_CLOSED,)) >= needed:
            services.reopen_votes_clear(actor=reviewer if alone else None, question=post)
            return _complete(task, "leave closed")
        return False
    if spec.queue == ReviewQueue.LOW_QUALITY:
        return _low_quality(task, decision, reviewer, alone)
    if spec.queue == ReviewQueue.SUGGESTED_EDITS:
        return _suggested_edit(task, review, alone, comment, improved or {})
    return _complete(task, decision)  # first posts and late answers: one review


def _low_quality(task, decision, reviewer, alone: bool) -> bool:
    needed = 1 if alone else setting("LOW_QUALITY_AGREEING")
    if decision == Decision.RECOMMEND_DELETION:
        if _count(task, (Decision.RECOMMEND_DELETION,)) >= needed:
            _complete(task, "deleted")  # before the deletion, which invalidates pending tasks
            threads_services.post_delete(actor=reviewer if alone else None, post=task.post)
            return True
        return False
    if _count(task, (Decision.LOOKS_OK, Decision.EDIT)) >= needed:
        return _complete(task, "looks ok")
    return False


def _suggested_edit(task, review, alone: bool, comment: str, improved: dict) -> bool:
    suggestion = task.suggested_edit
    needed = 1 if alone else setting("SUGGESTED_EDIT_AGREEING")
    if review.decision == Decision.REJECT:
        if not comment.strip():
            raise ModerationError("Say why the edit is rejected: its author will see it.")
        if _count(task, (Decision.REJECT,)) >= needed:
            reasons = "; ".join(
                Review.objects.filter(task=task, decision=Decision.REJECT).values_list(
                    "comment", flat=True
                )
            )
            threads_services.suggested_edit_reject(suggested_edit=suggestion, reason=reasons)
            return _complete(task, "rejected")
        return False
    if review.decision == Decision.IMPROVE:
        if not improved.get("body", "").strip():
            raise ModerationError("Improve the suggested text before saving it.")
        try:
            threads_services.suggested_edit_approve(
                suggested_edit=suggestion, improver=review.reviewer, **improved
            )
        except ValidationError as invalid:
            raise ModerationError(" ".join(invalid.messages)) from invalid
        return _complete(task, "improved")
    if _count(task, (Decision.APPROVE,)) >= needed:
        threads_services.suggested_edit_approve(suggested_edit=suggestion)
        return _complete(task, "approved")
    return False


def reviewer_stats(*, reviewer) -> dict[str, dict[str, int]]:
    """Per queue: reviews today and in all (skips excluded)."""
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Review.objects.filter(reviewer=reviewer)
        .exclude(decision=Decision.SKIP)
        .values("task__queue")
        .annotate(total=Count("pk"), today=Count("pk", filter=Q(created_at__gte=midnight)))
    )
    return {row["task__queue"]: {"total": row["total"], "today": row["today"]} for row in rows}
