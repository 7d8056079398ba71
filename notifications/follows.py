"""Following questions and watching tags, as Stack Exchange's "follow" and watched tags: the
asker and every answerer follow a question by default; anyone may follow or unfollow it, and
an unfollow is kept, so answering again does not undo it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from core.db import prepared_cursor
from notifications.models import Follow, WatchedTag
from threads.models import Post, Tag, TaggedPost
from threads.rules import can_view_post


def follow_by_default(*, user, question: Post) -> None:
    """The asker's and answerers' follow, unless they unfollowed this question before."""
    Follow.objects.bulk_create([Follow(user=user, question=question)], ignore_conflicts=True)


@transaction.atomic
def follow_set(*, user, question: Post, active: bool) -> bool:
    """Follow or unfollow ``question``; False when that was already the case. Only a
    question one may see can be followed (the view answers 404 before asking)."""
    if not question.is_question or not can_view_post(user, question):
        raise PermissionDenied("Only questions you can see can be followed.")
    follow, created = Follow.objects.select_for_update().get_or_create(
        user=user, question=question, defaults={"active": active}
    )
    if created:
        return True
    if follow.active == active:
        return False
    Follow.objects.filter(pk=follow.pk).update(active=active)
    return True


def is_following(*, user, question: Post) -> bool:
    """One indexed query: a per-question cache entry would miss on nearly every page, as
    people rarely view the same question twice in a cache's lifetime. Plain SQL: it runs on
    every logged-in view of a question, where building the ORM query cost several times
    what the database spends on it."""
    table = Follow._meta.db_table
    sql = f"SELECT 1 FROM {table} WHERE user_id = %s AND question_id = %s AND active LIMIT 1"
    with prepared_cursor() as cursor:
        cursor.execute(sql, [user.pk, question.pk])
        return cursor.fetchone() is not None


def followers(question: Post) -> QuerySet:
    """The ids of those following ``question``."""
    return Follow.objects.filter(question=question, active=True).values_list("user_id", flat=True)


def tag_watchers(question: Post) -> QuerySet:
    """The ids of those watching one of ``question``'s tags."""
    tag_ids = TaggedPost.objects.filter(content_object=question).values("tag_id")
    return (
        WatchedTag.objects.filter(tag_id__in=tag_ids).values_list("user_id", flat=True).distinct()
    )


def watched_tags(*, user) -> list[Tag]:
    return [watch.tag for watch in WatchedTag.objects.filter(user=user).select_related("tag")]


@transaction.atomic
def watched_tags_set(*, user, tags: list[Tag]) -> None:
    """Replace the tags ``user`` watches with ``tags``."""
    WatchedTag.objects.filter(user=user).exclude(tag__in=tags).delete()
    WatchedTag.objects.bulk_create(
        [WatchedTag(user=user, tag=tag) for tag in tags], ignore_conflicts=True
    )


@transaction.atomic
def watched_tags_move(*, source: Tag, target: Tag) -> None:
    """Those watching ``source`` watch ``target`` instead (``source`` became its synonym)."""
    watchers = WatchedTag.objects.filter(tag=source)
    WatchedTag.objects.bulk_create(
        [WatchedTag(user_id=pk, tag=target) for pk in watchers.values_list("user_id", flat=True)],
        ignore_conflicts=True,
    )
    watchers.delete()
