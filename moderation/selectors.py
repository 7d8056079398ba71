"""Reads for moderation pages."""

from dataclasses import dataclass
from datetime import timedelta
from itertools import chain

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.markdown import plain_text
from moderation import aging
from moderation.imported import without_imported_first_posts
from moderation.models import (
    CloseReason,
    CloseReasonKind,
    CloseVote,
    Decision,
    EventKind,
    Flag,
    FlagState,
    ModerationEvent,
    ReopenVote,
    Review,
    ReviewQueue,
    ReviewTask,
    TaskState,
    VoteState,
)
from moderation.notices import CloseNotice
from threads.diff import html_diff
from threads.models import Comment, Post, Revision


def reasons_for_dialog() -> list[CloseReason]:
    """Active top-level reasons, each with its active sub-reasons in ``subreasons``."""
    reasons = list(
        CloseReason.objects.filter(is_active=True).select_related("parent").order_by("order")
    )
    tops = [reason for reason in reasons if reason.parent_id is None]
    for top in tops:
        top.subreasons = [reason for reason in reasons if reason.parent_id == top.pk]
    return [top for top in tops if top.kind != CloseReasonKind.OFF_TOPIC or top.subreasons]


def close_vote_counts(question: Post) -> dict[int, int]:
    """The question's pending close votes still counting, per reason id (one query; none
    once they aged away). Who may see them: ``rules.can_see_close_votes``."""
    if aging.close_votes_aged(question):
        return {}
    rows = (
        CloseVote.objects.filter(question=question, state=VoteState.PENDING)
        .values_list("reason")
        .annotate(total=Count("pk"))
        .values_list("reason", "total")
    )
    return dict(rows)


#: Characters of a question's text shown in the close dialog's candidates and preview.
EXCERPT_CHARS = 200


def with_excerpt(question: Post) -> Post:
    """``question`` with ``excerpt``, its text cut short for the close dialog."""
    question.excerpt = plain_text(question.body_html, EXCERPT_CHARS)
    return question


def duplicate_candidates(*, question: Post, text: str, limit: int = 10) -> list[Post]:
    """Answered questions whose title contains every word typed (the close dialog's search),
    each with its ``excerpt``."""
    words = text.split()[:8]
    if not words:
        return []
    candidates = (
        Post.objects.questions().visible().filter(answer_count__gt=0).exclude(pk=question.pk)
    )
    for word in words:
        candidates = candidates.filter(title__icontains=word)
    return [with_excerpt(c) for c in candidates.order_by("-score", "-pk")[:limit]]


def pending_votes(*, question: Post, reopen: bool = False) -> list:
    """The question's pending close (or reopen) votes, oldest first, with their voters,
    reasons and duplicate targets (one query): what a close or reopen reviewer weighs."""
    if reopen:
        return list(
            ReopenVote.objects.filter(question=question, state=VoteState.PENDING)
            .select_related("voter")
            .order_by("created_at", "pk")
        )
    return list(
        CloseVote.objects.filter(question=question, state=VoteState.PENDING)
        .select_related("voter", "reason__parent", "duplicate_of")
        .order_by("created_at", "pk")
    )


def question_timeline(*, question: Post, include_deleted: bool = False) -> list[dict]:
    """Posts, edits and moderation events of a question, oldest first; deleted answers and
    their edits only with ``include_deleted`` (10k users and moderators)."""
    answers = Post.objects.answers().filter(parent=question).select_related("author")
    if not include_deleted:
        answers = answers.visible()
    answers = list(answers)
    post_ids = [question.pk, *(answer.pk for answer in answers)]
    revisions = Revision.objects.filter(post_id__in=post_ids).select_related("editor", "post")
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
    return ModerationEvent.objects.select_related("question", "post", "actor", "user").order_by(
        "-created_at", "-pk"
    )


def review_context(*, task) -> dict:
    """What a reviewer needs to judge a task: the post and its question, its comments, and
    for Reopen the changes since the closure, for Suggested edits the suggestion's diff."""
    post = task.post
    question = post if post.is_question else post.parent
    comments = list(
        Comment.objects.filter(post=post, deleted_at__isnull=True)
        .select_related("author")
        .order_by("created_at")
    )
    context = {"post": post, "question": question, "comments": comments}
    if task.queue in (ReviewQueue.CLOSE, ReviewQueue.REOPEN):
        reopen = task.queue == ReviewQueue.REOPEN
        context["pending_votes"] = pending_votes(question=question, reopen=reopen)
        context["votes_reopen"] = reopen
        if reopen:
            context["notice"] = CloseNotice.of(question)
    if task.queue == ReviewQueue.REOPEN and question.closed_at is not None:
        at_closing = (
            Revision.objects.filter(post=question, created_at__lte=question.closed_at)
            .order_by("-number")
            .first()
        )
        if at_closing is not None and at_closing.body != question.body:
            context["diff"] = html_diff(at_closing.body, question.body)
            context["diff_title"] = "Changes since the question was closed"
        if at_closing is not None and at_closing.title != question.title:
            context["title_diff"] = html_diff(at_closing.title, question.title)
            context.setdefault("diff_title", "Changes since the question was closed")
    if task.suggested_edit is not None:
        suggestion = task.suggested_edit
        context["suggestion"] = suggestion
        context["diff"] = html_diff(post.body, suggestion.body)
        context["diff_title"] = "The suggested edit"
        if post.is_question and suggestion.title != post.title:
            context["title_diff"] = html_diff(post.title, suggestion.title)
        current_tags = " ".join(sorted(post.tags.names())) if post.is_question else ""
        suggested_tags = " ".join(sorted(suggestion.tag_list))
        if post.is_question and suggested_tags != current_tags:
            context["tags_diff"] = html_diff(current_tags, suggested_tags)
    if post.is_question:
        context["reasons"] = reasons_for_dialog()
    return context


@dataclass
class FlaggedItem:
    """A post or comment in the flag queue with its pending flags, oldest first."""

    flags: list

    @property
    def first(self) -> Flag:
        return self.flags[0]

    @property
    def post(self) -> Post | None:
        return self.first.post

    @property
    def comment(self):
        return self.first.comment

    @property
    def excerpt(self) -> str:
        if self.post is not None:
            return plain_text(self.post.body_html, FLAG_EXCERPT_CHARS)
        return plain_text(self.comment.body_html, FLAG_EXCERPT_CHARS)


#: Characters of a flagged post's or comment's text shown in the flag queue.
FLAG_EXCERPT_CHARS = 400


def flagged_targets() -> QuerySet:
    """The posts and comments with pending flags, the longest waiting first: one row each
    (``post_id`` or ``comment_id``), to paginate; ``flagged_items`` fills a page."""
    return (
        Flag.objects.filter(state=FlagState.PENDING)
        .values("post_id", "comment_id")
        .annotate(first_at=Min("created_at"), first_pk=Min("pk"))
        .order_by("first_at", "first_pk")
    )


def flagged_items(targets) -> list[FlaggedItem]:
    """A page of ``flagged_targets`` with every pending flag on each, their posts, the
    answers' questions and the comments' posts (one query)."""
    targets = list(targets)
    post_ids = [row["post_id"] for row in targets if row["post_id"]]
    comment_ids = [row["comment_id"] for row in targets if row["comment_id"]]
    if not targets:
        return []
    flags = (
        Flag.objects.filter(state=FlagState.PENDING)
        .filter(Q(post_id__in=post_ids) | Q(comment_id__in=comment_ids))
        .select_related(
            "flagger", "post__author", "post__parent", "comment__author", "comment__post__parent"
        )
        .order_by("created_at", "pk")
    )
    groups: dict[tuple, list] = {}
    for flag in flags:
        groups.setdefault((flag.post_id, flag.comment_id), []).append(flag)
    return [
        FlaggedItem(groups[key])
        for key in ((row["post_id"], row["comment_id"]) for row in targets)
        if key in groups
    ]


def flags_of(*, flagger) -> QuerySet[Flag]:
    return (
        Flag.objects.filter(flagger=flagger)
        .select_related("post__parent", "comment__post__parent", "handled_by")
        .order_by("-created_at", "-pk")
    )


def dashboard(*, days: int = 30) -> dict:
    """The moderator dashboard's numbers, in a constant number of queries."""
    now = timezone.now()
    queues = {
        row["queue"]: row
        for row in without_imported_first_posts(
            ReviewTask.objects.filter(state=TaskState.PENDING, is_audit=False)
        )
        .values("queue")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
    }
    start = (now - timedelta(days=days - 1)).date()
    per_day = (
        ModerationEvent.objects.filter(
            kind__in=[EventKind.CLOSED, EventKind.REOPENED], created_at__date__gte=start
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", "kind")
        .annotate(count=Count("pk"))
    )
    counts = {(row["day"], row["kind"]): row["count"] for row in per_day}
    series = [
        {
            "day": day,
            "closed": counts.get((day, EventKind.CLOSED), 0),
            "reopened": counts.get((day, EventKind.REOPENED), 0),
        }
        for day in (start + timedelta(days=offset) for offset in range(days))
    ]
    top_reviewers = (
        Review.objects.filter(created_at__gte=now - timedelta(days=days))
        .exclude(decision=Decision.SKIP)
        .values("reviewer__id", "reviewer__username", "reviewer__display_name")
        .annotate(count=Count("pk"))
        .order_by("-count")[:10]
    )
    return {
        "queues": queues,
        "flags_pending": Flag.objects.filter(state=FlagState.PENDING).count(),
        "series": series,
        "top_reviewers": list(top_reviewers),
        "now": now,
    }
