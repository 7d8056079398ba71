"""Reads for pages: querysets with their joins and prefetches, so each page costs a constant
number of queries whatever its size."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.conf import qasite_setting
from core.db import prepared_cursor
from threads import search
from threads.cache import immutable_cached
from threads.filters import QuestionFilter, split_tags
from threads.models import (
    Comment,
    CommentVote,
    Post,
    PostKind,
    PostLink,
    Revision,
    Tag,
    Vote,
)

# The reputation tab and summary are read in their own module and offered here with the rest.
from threads.reputation_feed import reputation_days as reputation_days
from threads.reputation_feed import reputation_feed as reputation_feed
from threads.reputation_feed import reputation_summary as reputation_summary

AUTHOR_FIELDS = ("author", "last_editor")
QUESTION_CACHE_SECONDS = 600
#: The list tabs and their orders, in the order the tabs show (docs/rules.md, "Question
#: lists"); every order has an index and ends with ``-pk``, so keyset pagination serves it.
QUESTION_SORTS = {
    "newest": ("-created_at", "-pk"),
    "active": ("-last_activity_at", "-pk"),
    "unanswered": ("-created_at", "-pk"),
    "votes": ("-score", "-created_at", "-pk"),
    "frequent": ("-link_count", "-pk"),
    "hot": ("-hot_rank", "-pk"),
    "week": ("-week_rank", "-pk"),
    "month": ("-month_rank", "-pk"),
}
#: Older names of tabs, still read in links made before.
SORT_ALIASES = {"score": "votes"}
#: What each ranked tab holds: only the questions the ranking job ranked.
_RANKED = {
    "frequent": Q(link_count__gt=0),
    "hot": Q(hot_rank__gt=0),
    "week": Q(week_rank__isnull=False),
    "month": Q(month_rank__isnull=False),
}
ANSWER_SORTS = ("score", "newest", "oldest")


def question_list(*, sort: str = "newest", params=None, tag: Tag | None = None) -> QuerySet[Post]:
    """Visible questions for the list pages, filtered by ``QuestionFilter`` (``params`` is
    the query string) and, on a tag's page, by that tag (whatever its name holds: a name
    with a space cannot be written in ``?tagged=``); ``unanswered`` means no accepted and
    no upvoted answer, as on Stack Exchange."""
    questions = QuestionFilter(params or {}, queryset=Post.objects.questions().visible()).qs
    if tag is not None:
        questions = questions.filter(tags=tag)
    if sort == "unanswered":
        answered = Post.objects.answers().visible().filter(score__gt=0).values("parent_id")
        questions = questions.filter(accepted_answer__isnull=True).exclude(pk__in=answered)
    if sort in _RANKED:
        questions = questions.filter(_RANKED[sort])
    return (
        questions.select_related("author")
        .prefetch_related("tags")
        .order_by(*QUESTION_SORTS.get(sort, QUESTION_SORTS["newest"]))
    )


def question_count(*, sort: str, params, tag: Tag | None = None) -> int:
    """How many questions a list shows, cached briefly: counting is the one part of a list
    page that grows with the site."""
    tagged = sorted(split_tags((params or {}).get("tagged", "")))
    tag_id = tag.pk if tag is not None else None
    key = "question-count:" + hashlib.sha1(f"{sort}|{tagged}|{tag_id}".encode()).hexdigest()
    return cache.get_or_set(
        key,
        lambda: question_list(sort=sort, params=params, tag=tag).count(),
        qasite_setting("LISTS.COUNT_SECONDS"),
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


class QuestionPageState(NamedTuple):
    """What validates a question's cached page: ``token`` is its version and how many of its
    thread's posts are locked now; ``next_unlock``, when the next of those locks ends."""

    token: str
    title: str
    changed_at: datetime
    next_unlock: datetime | None


def question_page_state(*, pk: int) -> QuestionPageState | None:
    """The state of a visible question's page (None for a missing or deleted one). Plain
    SQL: it runs for every page served from the cache, where building the query with the
    ORM would cost about as much as serving the page."""
    table = Post._meta.db_table
    # Locks end with the clock, not with a new version: how many of the thread's posts are
    # locked right now is part of the page's state.
    locked = (
        f"FROM {table} AS thread WHERE (thread.id = %s OR thread.parent_id = %s) "
        "AND thread.locked_until > %s"
    )
    sql = (
        f"SELECT version, title, changed_at, (SELECT COUNT(*) {locked}), "
        f"(SELECT MIN(thread.locked_until) {locked}) "
        f"FROM {table} WHERE id = %s AND kind = %s AND deleted_at IS NULL"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with prepared_cursor() as cursor:
        cursor.execute(sql, [pk, pk, now, pk, pk, now, pk, PostKind.QUESTION.value])
        row = cursor.fetchone()
    if row is None:
        return None
    version, title, changed_at, locked_count, next_unlock = row
    return QuestionPageState(
        f"{version}:{locked_count}", title, _aware(changed_at), _aware(next_unlock)
    )


def _aware(moment):
    """SQLite returns UTC without an offset (or, from an aggregate, as text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment


def newest_change() -> datetime | None:
    """The newest ``changed_at`` of any post (what validates the cached lists): one index
    read, in plain SQL for the same reason as ``question_page_state``."""
    sql = f"SELECT changed_at FROM {Post._meta.db_table} ORDER BY changed_at DESC LIMIT 1"
    with prepared_cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    if row is None:
        return None
    return _aware(row[0])


def post_get(*, pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("parent", *AUTHOR_FIELDS), pk=pk)


def post_get_brief(*, pk: int) -> Post:
    """``post_get`` without the authors' rows, for actions that only check and count
    (votes); its question comes along for the visibility check."""
    return get_object_or_404(Post.objects.select_related("parent"), pk=pk)


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


def tags_in_order(post: Post, latest: Revision | None) -> list[str]:
    """A question's tags in the order its latest revision gave them (as typed: an edit that
    keeps them keeps their order, so it is no retag); sorted when the revision does not hold
    them all (tags renamed or merged since)."""
    names = sorted(post.tags.names())
    if latest is not None and sorted(latest.tag_list) == names:
        return latest.tag_list
    return names


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
    """The tag named ``name`` as stored (older data may hold capitals), else as typed in
    another case (names are stored in lower case); 404 when there is neither."""
    found = {
        tag.name: tag
        for tag in Tag.objects.select_related("synonym_of").filter(name__in={name, name.lower()})
    }
    tag = found.get(name) or found.get(name.lower())
    if tag is None:
        raise Http404("No such tag.")
    return tag


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
    """The question page's Linked and Related lists, the same for every viewer. Linked is
    cached per question version (a new link bumps it); Related, a ranked full-text search,
    per question for ``SIDEBAR_SECONDS`` (it may lag by that much), so the votes and
    comments that bump the version do not run it again. What is missing is found in one
    query."""
    keys = {
        "linked": f"sidebar-linked:{question.pk}:{question.version}",
        "related": f"sidebar-related:{question.pk}",
    }
    cached = cache.get_many(list(keys.values()))
    sections = {
        "linked": lambda: search.Section(linked_questions(question=question), key="score"),
        "related": lambda: search.Section(
            search.related_questions(question=question), key="search_rank"
        ),
    }
    missing = {name: section() for name, section in sections.items() if keys[name] not in cached}
    found = search.posts_by_section(missing) if missing else {}
    cache.set_many({keys[name]: posts for name, posts in found.items()}, SIDEBAR_SECONDS)
    lists = {name: cached.get(keys[name], found.get(name)) for name in keys}
    return QuestionSidebar(linked=lists["linked"], related=lists["related"])


def similar_questions(*, title: str) -> list[Post]:
    """Questions like a title being typed on the ask form (any of its words, ranked)."""
    return search.similar_questions(title[: search.MAX_QUERY_LENGTH])


@dataclass(frozen=True)
class ThreadState:
    """A question's ``version`` and view count, and what its page shows differently to the
    viewer beyond their privileges: their votes (``{post id: value}``, upvoted comment ids)
    and which posts and comments are theirs. With ``privileges.privilege_signature`` this
    decides the page's HTML; the version also validates the cached question."""

    version: int
    view_count: int
    votes: dict = field(default_factory=dict)
    comment_votes: frozenset = frozenset()
    own_posts: frozenset = frozenset()
    own_comments: frozenset = frozenset()
    #: The thread's posts locked now: a timed lock ends without a new version.
    locked_posts: frozenset = frozenset()

    def viewer_key(self) -> tuple:
        return (
            sorted(self.votes.items()),
            sorted(self.comment_votes),
            sorted(self.own_posts),
            sorted(self.own_comments),
        )


def thread_state(*, user, question_id: int) -> ThreadState:
    """The question's version and view count and the viewer's votes and own posts and
    comments in its thread, in one query that loads no post (a cached page is served
    without them). Plain SQL: it runs on every view of a question page, and building this
    union with the ORM would cost several times what the database spends on it."""
    tables = {
        "post": Post._meta.db_table,
        "vote": Vote._meta.db_table,
        "comment": Comment._meta.db_table,
        "comment_vote": CommentVote._meta.db_table,
    }
    sql = (
        "SELECT 'question', version, view_count FROM {post} "
        "WHERE id = %(question)s AND kind = %(kind)s "
        # Locks end with the clock, not with a new version: the posts locked right now.
        "UNION ALL SELECT 'locked', id, 0 FROM {post} "
        "WHERE (id = %(question)s OR parent_id = %(question)s) AND locked_until > %(now)s"
    )
    if user.is_authenticated:
        thread = "SELECT id FROM {post} WHERE id = %(question)s OR parent_id = %(question)s"
        sql += (
            " UNION ALL SELECT 'vote', post_id, value FROM {vote} "
            f"WHERE user_id = %(user)s AND post_id IN ({thread}) "
            "UNION ALL SELECT 'comment_vote', comment_id, 1 FROM {comment_vote} "
            "JOIN {comment} ON {comment}.id = {comment_vote}.comment_id "
            f"WHERE {{comment_vote}}.user_id = %(user)s AND {{comment}}.post_id IN ({thread}) "
            "UNION ALL SELECT 'post', id, 0 FROM {post} "
            "WHERE (id = %(question)s OR parent_id = %(question)s) AND author_id = %(user)s "
            "UNION ALL SELECT 'comment', id, 0 FROM {comment} WHERE author_id = %(user)s "
            f"AND deleted_at IS NULL AND post_id IN ({thread})"
        )
    found = defaultdict(dict)  # {"vote": {post id: value}, …, "question": {version: views}}
    with prepared_cursor() as cursor:
        cursor.execute(
            sql.format(**tables),
            {
                "user": user.pk,
                "question": question_id,
                "kind": PostKind.QUESTION.value,
                "now": connection.ops.adapt_datetimefield_value(timezone.now()),
            },
        )
        for what, pk, value in cursor.fetchall():
            found[what][pk] = value
    if not found["question"]:
        raise Http404("No such question.")
    [(version, view_count)] = found["question"].items()
    return ThreadState(
        version=version,
        view_count=view_count,
        votes=found["vote"],
        comment_votes=frozenset(found["comment_vote"]),
        own_posts=frozenset(found["post"]),
        own_comments=frozenset(found["comment"]),
        locked_posts=frozenset(found["locked"]),
    )


def question_as_of(*, state: ThreadState, pk: int) -> Post:
    """``question_get(pk)`` for the version in ``state``, from the cache when that version
    was read before: every change to the question bumps its version (its view count,
    which does not, comes from ``state``)."""
    key = f"question:{pk}:{state.version}"
    question = immutable_cached(key, lambda: question_get(pk=pk), QUESTION_CACHE_SECONDS)
    question.view_count = state.view_count
    return question
