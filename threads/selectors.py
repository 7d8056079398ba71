"""Reads for pages: querysets with their joins and prefetches, so each page costs a constant
number of queries whatever its size."""

import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from threads.filters import QuestionFilter, split_tags
from threads.models import Comment, CommentVote, Post, ReputationChange, Tag, Vote

AUTHOR_FIELDS = ("author", "last_editor")
QUESTION_COUNT_SECONDS = 60
QUESTION_SORTS = {
    "newest": ("-created_at", "-pk"),
    "active": ("-last_activity_at", "-pk"),
    "score": ("-score", "-created_at", "-pk"),
    "unanswered": ("-created_at", "-pk"),
}
ANSWER_SORTS = ("score", "newest", "oldest")


def question_list(*, sort: str = "newest", params=None) -> QuerySet[Post]:
    """Visible questions for the list pages, filtered by ``QuestionFilter`` (``params`` is
    the query string); ``unanswered`` means no accepted and no upvoted answer, as on
    Stack Exchange."""
    questions = QuestionFilter(params or {}, queryset=Post.objects.questions().visible()).qs
    if sort == "unanswered":
        answered = Post.objects.answers().visible().filter(score__gt=0).values("parent_id")
        questions = questions.filter(accepted_answer__isnull=True).exclude(pk__in=answered)
    return (
        questions.select_related("author")
        .prefetch_related("tags")
        .order_by(*QUESTION_SORTS.get(sort, QUESTION_SORTS["newest"]))
    )


def question_count(*, sort: str, params) -> int:
    """How many questions a list shows, cached briefly: counting is the one part of a list
    page that grows with the site."""
    tagged = sorted(split_tags((params or {}).get("tagged", "")))
    key = "question-count:" + hashlib.sha1(f"{sort}|{tagged}".encode()).hexdigest()
    return cache.get_or_set(
        key, lambda: question_list(sort=sort, params=params).count(), QUESTION_COUNT_SECONDS
    )


def top_questions(*, limit: int = 5) -> list[Post]:
    """The highest-voted open questions, for the list pages' sidebar (one query)."""
    return list(
        Post.objects.questions()
        .visible()
        .filter(closed_at__isnull=True)
        .only("pk", "kind", "title", "score", "answer_count", "accepted_answer_id")
        .order_by("-score", "-pk")[:limit]
    )


def question_get(*, pk: int) -> Post:
    """A question for its page (deleted ones too: the view decides who may see them)."""
    return get_object_or_404(
        Post.objects.questions().select_related(*AUTHOR_FIELDS).prefetch_related("tags"),
        pk=pk,
    )


def post_get(*, pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("parent", *AUTHOR_FIELDS), pk=pk)


def answers_for(*, question: Post, sort: str = "score", include_deleted: bool = False):
    """Answers in page order; with ``score`` the accepted one comes first."""
    answers = Post.objects.answers().filter(parent=question).select_related(*AUTHOR_FIELDS)
    if not include_deleted:
        answers = answers.visible()
    if sort == "newest":
        ordered = answers.order_by("-created_at", "-pk")
    elif sort == "oldest":
        ordered = answers.order_by("created_at", "pk")
    else:
        ordered = answers.order_by("-score", "created_at", "pk")
    rows = list(ordered)
    for answer in rows:
        answer.parent = question
    if sort not in ("newest", "oldest"):
        rows.sort(key=lambda answer: answer.pk != question.accepted_answer_id)
    return rows


def comments_by_post(*, question: Post) -> dict[int, list[Comment]]:
    """Visible comments of a question and its answers in one query."""
    comments = (
        Comment.objects.filter(Q(post_id=question.pk) | Q(post__parent_id=question.pk))
        .filter(deleted_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    grouped: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        grouped[comment.post_id].append(comment)
    return grouped


def user_votes_in_thread(*, user, question: Post) -> dict[int, int]:
    """The user's vote value per post of the thread (question and answers), one query."""
    if not user.is_authenticated:
        return {}
    return dict(
        Vote.objects.filter(user=user)
        .filter(Q(post_id=question.pk) | Q(post__parent_id=question.pk))
        .values_list("post_id", "value")
    )


def user_comment_votes_in_thread(*, user, question: Post) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        CommentVote.objects.filter(user=user)
        .filter(Q(comment__post_id=question.pk) | Q(comment__post__parent_id=question.pk))
        .values_list("comment_id", flat=True)
    )


def revisions_for(*, post: Post) -> list:
    """Revisions newest first, each paired with the one before it (for diffs)."""
    revisions = list(post.revisions.select_related("editor").order_by("-number"))
    return [
        (revision, revisions[index + 1] if index + 1 < len(revisions) else None)
        for index, revision in enumerate(revisions)
    ]


def tag_list(*, name_contains: str = "", sort: str = "popular") -> QuerySet[Tag]:
    tags = Tag.objects.filter(synonym_of__isnull=True)
    if name_contains:
        tags = tags.filter(name__icontains=name_contains.strip().lower())
    order = ("name",) if sort == "name" else ("-usage_count", "name")
    return tags.order_by(*order)


def tag_get(*, name: str) -> Tag:
    return get_object_or_404(Tag.objects.select_related("synonym_of"), name=name.lower())


def tag_suggestions(*, prefix: str, limit: int = 8) -> list[str]:
    prefix = prefix.strip().lower()
    if not prefix:
        return []
    return list(
        Tag.objects.filter(name__startswith=prefix, synonym_of__isnull=True)
        .order_by("-usage_count", "name")
        .values_list("name", flat=True)[:limit]
    )


def unknown_tags(names: list[str]) -> list[str]:
    known = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    return [name for name in names if name not in known]


def user_questions(*, user) -> QuerySet[Post]:
    return (
        Post.objects.questions()
        .visible()
        .filter(author=user)
        .prefetch_related("tags")
        .order_by("-score", "-created_at")
    )


def user_answers(*, user) -> QuerySet[Post]:
    return (
        Post.objects.answers()
        .visible()
        .filter(author=user, parent__deleted_at__isnull=True)
        .select_related("parent")
        .order_by("-score", "-created_at")
    )


def reputation_history(*, user) -> QuerySet[ReputationChange]:
    return (
        ReputationChange.objects.filter(user=user)
        .select_related("post__parent")
        .order_by("-created_at", "-pk")
    )
