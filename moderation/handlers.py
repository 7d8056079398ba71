"""What moderation does when threads announces a change (connected in ``ready``): it keeps
the record and fills or empties the review queues."""

from datetime import timedelta

from django.utils import timezone

from core.conf import qasite_setting
from moderation import tasks
from moderation.models import EventKind, ReviewQueue, ReviewTask, TaskState
from moderation.services import event_record
from threads import signals
from threads.models import Post, SuggestedEditState


def record_deletion(sender, *, post: Post, actor, **kwargs) -> None:
    event_record(kind=EventKind.DELETED, post=post, actor=actor)
    tasks.tasks_finish(
        post=post, queues=ReviewQueue.values, state=TaskState.INVALIDATED, outcome="deleted"
    )


def record_undeletion(sender, *, post: Post, actor, **kwargs) -> None:
    event_record(kind=EventKind.UNDELETED, post=post, actor=actor)


def enqueue_new_post(sender, *, post: Post, author, **kwargs) -> None:
    """A user's first question or answer, and late answers from users with little
    reputation, go to their review queues."""
    if author is None:
        return
    review = qasite_setting("REVIEW")
    earlier = Post.objects.filter(author=author, kind=post.kind).exclude(pk=post.pk)
    if not earlier.exists():
        first = ReviewQueue.FIRST_QUESTIONS if post.is_question else ReviewQueue.FIRST_ANSWERS
        tasks.task_enqueue(queue=first, post=post)
        return
    if post.is_question:
        return
    late = post.created_at - post.parent.created_at > timedelta(days=review["LATE_ANSWER_DAYS"])
    if late and author.reputation < review["LATE_ANSWER_MAX_REPUTATION"]:
        tasks.task_enqueue(queue=ReviewQueue.LATE_ANSWERS, post=post)


def enqueue_suggested_edit(sender, *, suggested_edit, **kwargs) -> None:
    tasks.task_enqueue(
        queue=ReviewQueue.SUGGESTED_EDITS, post=suggested_edit.post, suggested_edit=suggested_edit
    )


def after_edit(sender, *, post: Post, editor, revision, **kwargs) -> None:
    """An edit makes a waiting suggestion stale; an asker's edit soon after the closure is
    recorded and sends the question to the Reopen queue."""
    if post.suggested_edits.filter(state=SuggestedEditState.SUPERSEDED).exists():
        stale = ReviewTask.objects.filter(
            post=post,
            queue=ReviewQueue.SUGGESTED_EDITS,
            state=TaskState.PENDING,
            suggested_edit__state=SuggestedEditState.SUPERSEDED,
        )
        stale.update(state=TaskState.INVALIDATED, outcome="edited", completed_at=timezone.now())
    question = Post.objects.get(pk=post.pk) if post.is_question else None
    if question is None or question.closed_at is None or editor is None:
        return
    if editor.pk != question.author_id:
        return
    window = timedelta(days=qasite_setting("REOPEN_REVIEW_EDIT_DAYS"))
    if timezone.now() - question.closed_at > window:
        return
    event_record(
        kind=EventKind.EDITED_WHILE_CLOSED,
        post=question,
        actor=editor,
        details={"revision": revision.number},
    )
    tasks.task_enqueue(queue=ReviewQueue.REOPEN, post=question)


def connect() -> None:
    signals.post_deleted.connect(record_deletion, dispatch_uid="moderation.record_deletion")
    signals.post_undeleted.connect(record_undeletion, dispatch_uid="moderation.record_undeletion")
    signals.post_created.connect(enqueue_new_post, dispatch_uid="moderation.enqueue_new_post")
    signals.edit_suggested.connect(
        enqueue_suggested_edit, dispatch_uid="moderation.enqueue_suggested_edit"
    )
    signals.post_edited.connect(after_edit, dispatch_uid="moderation.after_edit")
