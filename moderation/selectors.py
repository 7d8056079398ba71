"""Reads for moderation pages."""

from itertools import chain

from django.db.models import Q, QuerySet

from moderation.models import CloseReason, CloseReasonKind, ModerationEvent
from threads.models import Post, Revision


def reasons_for_dialog() -> list[CloseReason]:
    """Active top-level reasons, each with its active sub-reasons in ``subreasons``."""
    reasons = list(
        CloseReason.objects.filter(is_active=True).select_related("parent").order_by("order")
    )
    tops = [reason for reason in reasons if reason.parent_id is None]
    for top in tops:
        top.subreasons = [reason for reason in reasons if reason.parent_id == top.pk]
    return [top for top in tops if top.kind != CloseReasonKind.OFF_TOPIC or top.subreasons]


def duplicate_candidates(*, question: Post, text: str, limit: int = 10) -> list[Post]:
    """Answered questions whose title contains every word typed (the close dialog's search)."""
    words = text.split()[:8]
    if not words:
        return []
    candidates = (
        Post.objects.questions().visible().filter(answer_count__gt=0).exclude(pk=question.pk)
    )
    for word in words:
        candidates = candidates.filter(title__icontains=word)
    return list(candidates.order_by("-score", "-pk")[:limit])


def question_timeline(*, question: Post, include_deleted: bool = False) -> list[dict]:
    """Posts, edits and moderation events of a question, oldest first; deleted answers and
    their edits only with ``include_deleted`` (10k users and moderators)."""
    answers = Post.objects.answers().filter(parent=question).select_related("author")
    revisions = Revision.objects.filter(Q(post=question) | Q(post__parent=question)).select_related(
        "editor", "post"
    )
    if not include_deleted:
        answers = answers.visible()
        revisions = revisions.filter(post__deleted_at__isnull=True)
    events = ModerationEvent.objects.filter(question=question).select_related("post")
    rows = chain(
        [
            {
                "when": question.created_at,
                "what": "asked",
                "post": question,
                "who": question.display_author,
            }
        ],
        [
            {"when": a.created_at, "what": "answered", "post": a, "who": a.display_author}
            for a in answers
        ],
        [
            {
                "when": r.created_at,
                "what": "edited",
                "post": r.post,
                "who": r.editor_name,
                "detail": r.summary,
                "revision": r,
            }
            for r in revisions
            if r.number > 1
        ],
        [
            {
                "when": e.created_at,
                "what": e.get_kind_display().lower(),
                "post": e.post,
                "who": e.actor_name,
                "detail": e.reason,
                "event": e,
            }
            for e in events
        ],
    )
    return sorted(rows, key=lambda row: row["when"])


def moderation_log() -> QuerySet[ModerationEvent]:
    return ModerationEvent.objects.select_related("question", "post", "actor").order_by(
        "-created_at", "-pk"
    )
