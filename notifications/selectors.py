"""Reading the inbox. What a recipient may no longer see (a deleted post, unless they see
deleted posts or it is about the removal itself; a deleted comment) drops out of the list and
the count, and comes back if it is undeleted."""

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse

from core.conf import qasite_setting
from notifications.delivery import unread_key
from notifications.models import ABOUT_REMOVAL, FLAG_OUTCOMES, Notification
from threads.rules import can_see_deleted_posts


def visible(*, user) -> QuerySet[Notification]:
    """The rule of ``threads.rules.can_view_post`` in SQL: a deleted post is seen by its
    author and by those who see deleted posts."""
    items = Notification.objects.filter(recipient=user).filter(
        Q(comment__isnull=True) | Q(comment__deleted_at__isnull=True)
    )
    if not can_see_deleted_posts(user):
        post_seen = Q(post__deleted_at__isnull=True) | Q(post__author=user)
        question_seen = Q(question__deleted_at__isnull=True) | Q(question__author=user)
        items = items.filter(
            Q(post__isnull=True) | Q(kind__in=ABOUT_REMOVAL) | (post_seen & question_seen)
        )
    return items


def inbox(*, user) -> QuerySet[Notification]:
    """The inbox, newest first, with what each item shows (one query a page)."""
    return visible(user=user).select_related("question").order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    """One cache read; a count on a miss (the cache is cleared when it changes)."""
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = visible(user=user).filter(read_at__isnull=True).count()
        cache.set(key, count, qasite_setting("NOTIFICATIONS")["UNREAD_CACHE_SECONDS"])
    return count


def latest(*, user) -> list[Notification]:
    return list(inbox(user=user)[: qasite_setting("NOTIFICATIONS")["DROPDOWN_ITEMS"]])


def target_url(item: Notification) -> str:
    """Where an item leads: the exact comment, answer or question (no query); a flag's
    outcome, to the flagger's flag history (the flagged post may be gone); an item about no
    post, to the page its writer named (``details["url"]``, a moderator message)."""
    if item.details.get("url"):
        return item.details["url"]
    if item.kind in FLAG_OUTCOMES:
        return reverse("flag-history", kwargs={"pk": item.recipient_id})
    if item.question_id is None:
        return reverse("inbox")
    question_url = reverse("question-short", kwargs={"pk": item.question_id})
    if item.comment_id is not None:
        return f"{question_url}#comment-{item.comment_id}"
    if item.post_id is not None and item.post_id != item.question_id:
        return reverse("answer-short", kwargs={"pk": item.post_id})
    return question_url
