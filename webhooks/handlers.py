"""What outside software hears of: receivers of the signals threads and moderation send
inside the action's transaction, connected in ``WebhooksConfig.ready``. Each writes the
outbox rows (``webhooks.outbox``) with a payload of public fields (``webhooks.payloads``)."""

from moderation import signals as moderation_signals
from moderation.models import EventKind
from threads import signals as thread_signals
from threads.models import Post
from webhooks import outbox, payloads
from webhooks.models import Event


def post_created(sender, *, post: Post, **kwargs) -> None:
    if post.is_question and outbox.wanted(Event.QUESTION_ASKED):
        outbox.record(Event.QUESTION_ASKED, {"question": payloads.question(post)})


EVENTS = {
    EventKind.CLOSED: Event.QUESTION_CLOSED,
    EventKind.REOPENED: Event.QUESTION_REOPENED,
    EventKind.DELETED: Event.QUESTION_DELETED,
}


def event_recorded(sender, *, event, **kwargs) -> None:
    kind = EVENTS.get(event.kind)
    if kind is None or event.post_id is None or event.post_id != event.question_id:
        return  # only questions' closing, reopening and deletion
    if not outbox.wanted(kind):
        return
    question = Post.objects.get(pk=event.post_id)
    data = {
        "question": payloads.question(question),
        "at": event.created_at.isoformat(),
        "timeline_event_id": event.pk,
    }
    if kind == Event.QUESTION_CLOSED:
        data["close"] = payloads.close_reason(event)
    outbox.record(kind, data)


def flag_raised(sender, *, flag, **kwargs) -> None:
    """That a flag of a kind was raised on a post or comment: never its text or flagger."""
    if not outbox.wanted(Event.FLAG_RAISED):
        return
    data = {"flag": {"id": flag.pk, "kind": flag.kind, "created_at": flag.created_at}}
    if flag.comment_id is not None:
        data["comment_id"] = flag.comment_id
        post = Post.objects.select_related("parent").get(pk=flag.comment.post_id)
    else:
        post = Post.objects.select_related("parent").get(pk=flag.post_id)
    data["post"] = payloads.post_ref(post)
    outbox.record(Event.FLAG_RAISED, data)


def review_completed(sender, *, task, outcome: str, **kwargs) -> None:
    if not outbox.wanted(Event.REVIEW_COMPLETED):
        return
    post = Post.objects.select_related("parent").get(pk=task.post_id)
    data = {
        "task": {"id": task.pk, "queue": task.queue, "outcome": outcome},
        "post": payloads.post_ref(post),
    }
    outbox.record(Event.REVIEW_COMPLETED, data)


def connect() -> None:
    thread_signals.post_created.connect(post_created, dispatch_uid="webhooks.post_created")
    moderation_signals.event_recorded.connect(
        event_recorded, dispatch_uid="webhooks.event_recorded"
    )
    moderation_signals.flag_raised.connect(flag_raised, dispatch_uid="webhooks.flag_raised")
    moderation_signals.review_completed.connect(
        review_completed, dispatch_uid="webhooks.review_completed"
    )
