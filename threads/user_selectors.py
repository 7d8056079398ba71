"""Reads for the profile's tabs and the users list (docs/rules.md, "Profiles and avatars",
"Users list"). Each returns its rows in a fixed number of queries, whatever their number.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from core.conf import qasite_setting
from threads.models import Post, PostKind, Revision, RevisionKind, TaggedPost, Vote

#: The revisions that count as edits on the users list (not a post's first text, not an
#: imported history).
EDIT_KINDS = [RevisionKind.EDIT, RevisionKind.ROLLBACK, RevisionKind.SUGGESTED, RevisionKind.RETAG]


@dataclass(frozen=True)
class ProfileStats:
    questions: int
    answers: int
    reach: int


def _shown_posts(user) -> QuerySet[Post]:
    """The member's posts a reader sees: not deleted, and no answer to a deleted question."""
    return (
        Post.objects.visible()
        .filter(author=user)
        .filter(Q(parent__isnull=True) | Q(parent__deleted_at__isnull=True))
    )


def profile_stats(*, user) -> ProfileStats:
    """The profile's counts and reach, in two queries. Reach (docs/rules.md, "Profiles and
    avatars"): the views of the questions the member asked or answered, each counted once."""
    counts = _shown_posts(user).aggregate(
        questions=Count("pk", filter=Q(kind=PostKind.QUESTION)),
        answers=Count("pk", filter=Q(kind=PostKind.ANSWER)),
    )
    # The asked and the answered questions' ids as one set (a UNION, each found through the
    # author index): "asked OR in answered" made the database read every post.
    asked = Post.objects.questions().filter(author=user).values("pk")
    answered = Post.objects.answers().visible().filter(author=user).values("parent_id")
    reach = (
        Post.objects.questions()
        .visible()
        .filter(pk__in=asked.union(answered))
        .aggregate(views=Sum("view_count"))["views"]
    )
    return ProfileStats(counts["questions"], counts["answers"], reach or 0)


@dataclass(frozen=True)
class TagScore:
    name: str
    score: int  # the score of the member's answers in the tag (Stack Exchange's tag score)
    posts: int  # the member's questions and answers in the tag


def user_tags(*, user) -> list[TagScore]:
    """Each tag the member asked or answered in, with their tag score and post count, best
    first: two grouped queries (one row a tag), merged here."""
    asked = (
        TaggedPost.objects.filter(
            content_object__author=user,
            content_object__kind=PostKind.QUESTION,
            content_object__deleted_at__isnull=True,
        )
        .values("tag__name")
        .annotate(posts=Count("pk"))
    )
    answered = (
        TaggedPost.objects.filter(
            content_object__deleted_at__isnull=True,
            content_object__answers__author=user,
            content_object__answers__deleted_at__isnull=True,
        )
        .values("tag__name")
        .annotate(
            posts=Count("content_object__answers"), score=Sum("content_object__answers__score")
        )
    )
    tags: dict[str, list[int]] = {}
    for row in asked:
        tags.setdefault(row["tag__name"], [0, 0])[1] += row["posts"]
    for row in answered:
        entry = tags.setdefault(row["tag__name"], [0, 0])
        entry[0] += row["score"] or 0
        entry[1] += row["posts"]
    rows = [TagScore(name, score, posts) for name, (score, posts) in tags.items()]
    return sorted(rows, key=lambda tag: (-tag.score, -tag.posts, tag.name))


def top_posts(*, user, limit: int) -> list[Post]:
    return list(
        _shown_posts(user).select_related("parent").order_by("-score", "-created_at")[:limit]
    )


def recent_posts(*, user, limit: int) -> list[Post]:
    return list(_shown_posts(user).select_related("parent").order_by("-created_at")[:limit])


# The users list ------------------------------------------------------------------------------

USER_SORTS = ("reputation", "new", "voters", "editors", "moderators")


def activity_since():
    return timezone.now() - timedelta(days=qasite_setting("PROFILES.USERS_ACTIVITY_DAYS"))


def users_listing(*, sort: str, users: QuerySet) -> QuerySet:
    """What the users list pages through for ``sort`` (``USER_SORTS``), from ``users`` (the
    active members, filtered by name). Voters and editors are grouped rows
    (``{"user": id, "count": n}``) over the last ``USERS_ACTIVITY_DAYS``; ``members_of``
    turns a page of them into members."""
    if sort == "voters":
        return (
            Vote.objects.filter(cast_at__gte=activity_since(), user__in=users)
            .values("user")
            .annotate(count=Count("pk"))
            .order_by("-count", "user")
        )
    if sort == "editors":
        return (
            Revision.objects.filter(
                created_at__gte=activity_since(), kind__in=EDIT_KINDS, editor__in=users
            )
            .values("editor")
            .annotate(count=Count("pk"))
            .order_by("-count", "editor")
        )
    if sort == "new":
        return users.order_by("-date_joined", "-pk")
    if sort == "moderators":
        users = users.filter(Q(is_moderator=True) | Q(is_superuser=True))
    return users.order_by("-reputation", "pk")


def members_of(rows) -> list:
    """A page of ``users_listing`` as members, each with ``count`` when grouped (one
    query for grouped rows, none otherwise)."""
    rows = list(rows)
    if not rows or not isinstance(rows[0], dict):
        return rows
    key = "user" if "user" in rows[0] else "editor"
    found = get_user_model().objects.in_bulk([row[key] for row in rows])
    members = []
    for row in rows:
        member = found.get(row[key])
        if member is not None:
            member.count = row["count"]
            members.append(member)
    return members
