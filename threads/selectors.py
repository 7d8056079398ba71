"""Reads for pages: querysets with their joins and prefetches, so each page costs a constant
number of queries whatever its size."""

import hashlib
from collections import defaultdict
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from threads import search
from threads.filters import QuestionFilter, split_tags
from threads.models import (
    Comment,
    CommentVote,
    Post,
    PostLink,
    ReputationChange,
    Tag,
    Vote,
)

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


def thread_post_ids(*, question: Post, answers: list[Post]) -> list[int]:
    """The ids of a thread's posts as shown: lookups by these use the post indexes (an OR
    across the answers' join would scan whole tables)."""
    return [question.pk, *(answer.pk for answer in answers)]


def comments_by_post(*, post_ids: list[int]) -> dict[int, list[Comment]]:
    """Visible comments of a thread's posts in one query."""
    comments = (
        Comment.objects.filter(post_id__in=post_ids, deleted_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    grouped: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        grouped[comment.post_id].append(comment)
    return grouped


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


# Linked, related and similar questions (search) --------------------------------------------


class QuestionSidebar(NamedTuple):
    linked: list[Post]
    related: list[Post]

    @property
    def sections(self) -> list[tuple[str, list[Post]]]:
        """The non-empty lists with their headings, in page order."""
        sections = (("Linked", self.linked), ("Related", self.related))
        return [(name, items) for name, items in sections if items]


def linked_questions(*, question: Post, limit: int = search.RELATED_LIMIT) -> QuerySet[Post]:
    """Questions linked with ``question`` either way, as on Stack Exchange: those its posts
    link to and those whose posts link to it (links in text, or duplicate closures)."""
    live_links = PostLink.objects.filter(post__deleted_at__isnull=True)
    linked_ids = (
        live_links.filter(post_id=question.pk)
        .values_list("target_id")
        .union(
            live_links.filter(post__parent_id=question.pk).values_list("target_id"),
            live_links.filter(target_id=question.pk).values_list(
                Coalesce("post__parent_id", "post_id")
            ),
        )
    )
    return (
        Post.objects.questions()
        .visible()
        .filter(pk__in=linked_ids)
        .exclude(pk=question.pk)
        .order_by("-score", "-pk")[:limit]
    )


SIDEBAR_SECONDS = 600


def question_sidebar(*, question: Post) -> QuestionSidebar:
    """The question page's Linked and Related lists: the same for every viewer, so cached
    per question version (a new link bumps it; Related may lag by ``SIDEBAR_SECONDS``)."""
    key = f"sidebar:{question.pk}:{question.version}"
    return cache.get_or_set(key, lambda: _question_sidebar(question), SIDEBAR_SECONDS)


def _question_sidebar(question: Post) -> QuestionSidebar:
    """Linked and Related in one query (their tags prefetched)."""
    found = search.posts_by_section(
        {
            "linked": search.Section(linked_questions(question=question), key="score"),
            "related": search.Section(
                search.related_questions(question=question), key="search_rank"
            ),
        }
    )
    return QuestionSidebar(linked=found["linked"], related=found["related"])


def similar_questions(*, title: str) -> list[Post]:
    """Questions like a title being typed on the ask form (any of its words, ranked)."""
    return search.similar_questions(title[: search.MAX_QUERY_LENGTH])


def viewer_votes_in_thread(*, user, post_ids: list[int]) -> tuple[dict[int, int], set[int]]:
    """The viewer's votes in a thread — ``{post id: value}`` and the ids of the comments
    they upvoted — in one query (the page's sidebar needs the query this saves)."""
    if not user.is_authenticated:
        return {}, set()
    post_votes = Vote.objects.filter(user=user, post_id__in=post_ids).values_list(
        Value("post"), "post_id", "value"
    )
    comment_votes = CommentVote.objects.filter(
        user=user, comment__post_id__in=post_ids
    ).values_list(Value("comment"), "comment_id", Value(1))
    votes: dict[int, int] = {}
    comment_ids: set[int] = set()
    for what, pk, value in post_votes.union(comment_votes, all=True):
        if what == "post":
            votes[pk] = value
        else:
            comment_ids.add(pk)
    return votes, comment_ids
