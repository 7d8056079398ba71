"""Review tasks entering and leaving their queues, on events from anywhere in moderation."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from moderation.models import ReviewQueue, ReviewTask, TaskState
from threads.models import Post, SuggestedEdit


def task_enqueue(
    *, queue: ReviewQueue, post: Post, suggested_edit: SuggestedEdit | None = None
) -> ReviewTask:
    """Put ``post`` in ``queue`` unless it is already waiting there."""
    existing = ReviewTask.objects.filter(
        queue=queue, post=post, state=TaskState.PENDING, is_audit=False
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ReviewTask.objects.create(queue=queue, post=post, suggested_edit=suggested_edit)
    except IntegrityError:
        return ReviewTask.objects.get(
            queue=queue, post=post, state=TaskState.PENDING, is_audit=False
        )


def tasks_finish(*, post: Post, queues, state: TaskState, outcome: str) -> int:
    """End the pending tasks of ``post`` in ``queues`` (its state changed elsewhere)."""
    return ReviewTask.objects.filter(
        post=post, queue__in=list(queues), state=TaskState.PENDING, is_audit=False
    ).update(state=state, outcome=outcome, completed_at=timezone.now())
