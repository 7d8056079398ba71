"""What moderation records when threads announces a change (connected in ``ready``)."""

from datetime import timedelta

from django.utils import timezone

from moderation.models import EventKind
from moderation.services import event_record
from qasite.conf import qasite_setting
from threads import signals
from threads.models import Post


def record_deletion(sender, *, post: Post, actor, **kwargs) -> None:
    event_record(kind=EventKind.DELETED, post=post, actor=actor)


def record_undeletion(sender, *, post: Post, actor, **kwargs) -> None:
    event_record(kind=EventKind.UNDELETED, post=post, actor=actor)


def record_asker_edit_while_closed(sender, *, post: Post, editor, revision, **kwargs) -> None:
    """An asker's edit within ``REOPEN_REVIEW_EDIT_DAYS`` of the closure is recorded; the
    Reopen review queue picks these events up."""
    question = Post.objects.get(pk=post.pk) if post.is_question else None
    if question is None or question.closed_at is None or editor is None:
        return
    if editor.pk != question.author_id:
        return
    if timezone.now() - question.closed_at > timedelta(
        days=qasite_setting("REOPEN_REVIEW_EDIT_DAYS")
    ):
        return
    event_record(
        kind=EventKind.EDITED_WHILE_CLOSED,
        post=question,
        actor=editor,
        details={"revision": revision.number},
    )


def connect() -> None:
    signals.post_deleted.connect(record_deletion, dispatch_uid="moderation.record_deletion")
    signals.post_undeleted.connect(record_undeletion, dispatch_uid="moderation.record_undeletion")
    signals.post_edited.connect(
        record_asker_edit_while_closed, dispatch_uid="moderation.asker_edit_while_closed"
    )
