"""Who hears of what: the receivers of what threads and moderation announce (their signals,
sent inside the action's transaction), connected in ``NotificationsConfig.ready``. Each
receiver names the action (``source``) so a recipient hears of it once."""

from core.conf import qasite_setting
from moderation import guidance
from moderation import signals as moderation_signals
from moderation.models import EventKind, Flag, FlagState, ReviewQueue
from moderation.notices import CloseNotice
from notifications import mentions
from notifications.delivery import deliver
from notifications.follows import (
    follow_by_default,
    followers,
    tag_watchers,
    watched_tags_move,
)
from notifications.models import Kind
from threads import signals as thread_signals
from threads.models import Post

# Threads ------------------------------------------------------------------------------------


def post_created(sender, *, post: Post, author, **kwargs) -> None:
    """The author follows what they wrote; followers hear of an answer, watchers of a tag
    hear of a question."""
    question = post if post.is_question else post.parent
    if author is not None:
        follow_by_default(user=author, question=question)
    if post.is_question:
        deliver(
            tag_watchers(question),
            kind=Kind.QUESTION_IN_WATCHED_TAG,
            source=f"post:{post.pk}",
            actor=author,
            post=post,
        )
    else:
        deliver(
            followers(question),
            kind=Kind.ANSWER,
            source=f"post:{post.pk}",
            actor=author,
            post=post,
            text=_excerpt(post.body),
        )


def comment_created(sender, *, comment, **kwargs) -> None:
    """The post's owner hears of every comment; a participant named with ``@`` hears of the
    one that names them. One notice per person per comment."""
    post = Post.objects.select_related("parent", "author").get(pk=comment.post_id)
    common = {
        "source": f"comment:{comment.pk}",
        "actor": comment.author,
        "post": post,
        "comment": comment,
        "text": _excerpt(comment.body),
    }
    deliver([post.author_id], kind=Kind.COMMENT, **common)
    named = mentions.mentioned_participants(post, comment.body) - {post.author_id}
    deliver(named, kind=Kind.MENTION, **common)


def post_edited(sender, *, post: Post, editor, revision, **kwargs) -> None:
    post = Post.objects.select_related("parent").get(pk=post.pk)
    deliver(
        [post.author_id],
        kind=Kind.EDIT,
        source=f"revision:{revision.pk}",
        actor=editor,
        post=post,
        text=revision.summary,
    )


def suggested_edit_decided(sender, *, suggested_edit, approved: bool, reason: str, **kwargs):
    deliver(
        [suggested_edit.author_id],
        kind=Kind.SUGGESTION_APPROVED if approved else Kind.SUGGESTION_REJECTED,
        source=f"suggestion:{suggested_edit.pk}",
        post=Post.objects.select_related("parent").get(pk=suggested_edit.post_id),
        text=reason,
    )


def answer_accepted(sender, *, answer: Post, user, accepted_at, **kwargs) -> None:
    deliver(
        [answer.author_id],
        kind=Kind.ACCEPTED,
        source=f"accept:{answer.pk}:{accepted_at.timestamp():.0f}",
        actor=user,
        post=answer,
    )


def tag_synonym_approved(sender, *, synonym, **kwargs) -> None:
    """Watching a tag that became a synonym means watching its master."""
    watched_tags_move(source=synonym.source, target=synonym.target)


# Moderation ---------------------------------------------------------------------------------


def event_recorded(sender, *, event, **kwargs) -> None:
    handler = EVENT_HANDLERS.get(event.kind)
    if handler is not None:
        handler(event, Post.objects.select_related("parent").get(pk=event.post_id))


def _first_close_vote(event, question: Post) -> None:
    """Guidance to the asker while the question is still open: the reasons chosen so far
    (counts, not names) and what to fix. Not when this vote closes the question."""
    if event.details.get("binding") or qasite_setting("CLOSE_VOTES_TO_CLOSE") <= 1:
        return
    reasons = guidance.pending_close_reasons(question)
    if sum(item.count for item in reasons) != 1:
        return
    deliver(
        [question.author_id],
        kind=Kind.CLOSE_GUIDANCE,
        source=f"event:{event.pk}",
        post=question,
        details={
            "reasons": [
                {"reason": item.reason, "count": item.count, "guidance": item.guidance}
                for item in reasons
            ],
            "needed": qasite_setting("CLOSE_VOTES_TO_CLOSE"),
        },
    )


def _closed(event, question: Post) -> None:
    notice = CloseNotice.from_json(event.details)
    reason = notice.reason
    deliver(
        [question.author_id],
        kind=Kind.CLOSED,
        source=f"event:{event.pk}",
        actor=event.actor,
        post=question,
        text=event.reason,
        details={
            "label": notice.label,
            "reason": reason.name if reason else event.reason,
            "notice": (reason.post_notice if reason else "")
            or (notice.group.post_notice if notice.group else ""),
            "guidance": (reason.asker_guidance if reason else "")
            or (notice.group.asker_guidance if notice.group else ""),
            "comments": [item.comment for item in notice.comments],
            "duplicates": [{"id": item.id, "title": item.title} for item in notice.duplicates],
            "edit_days": qasite_setting("REOPEN_REVIEW_EDIT_DAYS"),
        },
    )


def _to_author(kind: Kind, *, with_actor: bool = True):
    def handle(event, post: Post) -> None:
        deliver(
            [post.author_id],
            kind=kind,
            source=f"event:{event.pk}",
            actor=event.actor if with_actor else None,
            post=post,
            text=event.reason,
        )

    return handle


EVENT_HANDLERS = {
    EventKind.CLOSE_VOTE: _first_close_vote,
    EventKind.CLOSED: _closed,
    EventKind.REOPENED: _to_author(Kind.REOPENED),
    # The asker's own edit: the queue, not the asker, acts on it.
    EventKind.EDITED_WHILE_CLOSED: _to_author(Kind.REOPEN_REVIEW, with_actor=False),
    EventKind.LOCKED: _to_author(Kind.LOCKED),
    EventKind.DELETED: _to_author(Kind.DELETED),
    EventKind.UNDELETED: _to_author(Kind.UNDELETED),
}


def flags_handled(sender, *, flag_ids, **kwargs) -> None:
    """The flagger hears of the verdict; the row names the flagged post by its title only,
    as a helpful flag often removed it."""
    flags = Flag.objects.filter(pk__in=flag_ids).select_related(
        "post__parent", "comment__post__parent"
    )
    for flag in flags:
        post = flag.post or flag.comment.post
        question = post if post.is_question else post.parent
        deliver(
            [flag.flagger_id],
            kind=Kind.FLAG_HELPFUL if flag.state == FlagState.HELPFUL else Kind.FLAG_DECLINED,
            source=f"flag:{flag.pk}",
            title=question.title,
            text=flag.decline_reason,
            details={"flag": flag.get_kind_display(), "on_comment": flag.comment_id is not None},
        )


def review_suspended(sender, *, suspension, **kwargs) -> None:
    deliver(
        [suspension.user_id],
        kind=Kind.REVIEW_SUSPENDED,
        source=f"suspension:{suspension.pk}",
        title="Your review privileges are suspended",
        text=suspension.reason,
        details={
            "ends_at": suspension.ends_at.isoformat(),
            "ends_at_text": f"{suspension.ends_at:%b %d, %Y at %H:%M} UTC",
        },
    )


def review_completed(sender, *, task, outcome: str, **kwargs) -> None:
    """A reopen review that ends with the question still closed."""
    if task.queue != ReviewQueue.REOPEN or outcome != "leave closed":
        return
    question = Post.objects.get(pk=task.post_id)
    deliver(
        [question.author_id],
        kind=Kind.LEFT_CLOSED,
        source=f"task:{task.pk}",
        post=question,
    )


def _excerpt(text: str, length: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def connect() -> None:
    pairs = [
        (thread_signals.post_created, post_created),
        (thread_signals.comment_created, comment_created),
        (thread_signals.post_edited, post_edited),
        (thread_signals.suggested_edit_decided, suggested_edit_decided),
        (thread_signals.answer_accepted, answer_accepted),
        (thread_signals.tag_synonym_approved, tag_synonym_approved),
        (moderation_signals.event_recorded, event_recorded),
        (moderation_signals.flags_handled, flags_handled),
        (moderation_signals.review_suspended, review_suspended),
        (moderation_signals.review_completed, review_completed),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
