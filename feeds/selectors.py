"""What the feeds and the sitemap read: only what every visitor may see (docs/rules.md,
"Feeds and discovery"). Each function is one query (plus one for a list's tags), whatever
the number of rows."""

from django.db.models import Exists, Max, OuterRef, QuerySet

from accounts.models import User
from core.conf import qasite_setting
from moderation.models import EventKind, ModerationEvent
from threads.models import Post, Tag

#: The events of the public moderation feed: actions on posts, as each question's timeline
#: shows them. Events about members (suspensions, serial voting, destroyed accounts) are
#: the moderators' record, never a feed's.
PUBLIC_EVENT_KINDS = frozenset(EventKind) - {
    EventKind.SUSPENDED,
    EventKind.SUSPENSION_LIFTED,
    EventKind.SERIAL_VOTING_REVERSED,
    EventKind.ACCOUNT_DESTROYED,
}


def _limit() -> int:
    return qasite_setting("FEEDS.ITEMS")


def newest_questions(*, tag: Tag | None = None) -> list[Post]:
    """The newest visible questions, with their authors and tags (two queries)."""
    questions = Post.objects.questions().visible()
    if tag is not None:
        questions = questions.filter(tags=tag)
    return list(
        questions.select_related("author")
        .prefetch_related("tags")
        .order_by("-created_at", "-pk")[: _limit()]
    )


def question_answers(*, question: Post) -> list[Post]:
    """A question's newest visible answers, with their authors (one query)."""
    answers = (
        Post.objects.answers()
        .visible()
        .filter(parent=question)
        .select_related("author")
        .order_by("-created_at", "-pk")[: _limit()]
    )
    rows = list(answers)
    for answer in rows:
        answer.parent = question
    return rows


def public_events() -> list[ModerationEvent]:
    """The newest public moderation events (one query): actions on posts whose post and
    question are not deleted. Only the kind, the actor's public name, the reason shown on
    the question's timeline and the time; never flags or moderators' notes, which are not
    events at all."""
    return list(
        ModerationEvent.objects.filter(
            kind__in=PUBLIC_EVENT_KINDS,
            question__isnull=False,
            question__deleted_at__isnull=True,
            post__deleted_at__isnull=True,
        )
        .select_related("question", "post")
        .order_by("-created_at", "-pk")[: _limit()]
    )


# The sitemap ------------------------------------------------------------------------------


def sitemap_questions() -> QuerySet[Post]:
    """Visible questions by id (stable pages), with only what a sitemap entry needs."""
    return (
        Post.objects.questions()
        .visible()
        .only("pk", "kind", "title", "last_activity_at")
        .order_by("pk")
    )


def sitemap_questions_lastmod():
    return Post.objects.questions().visible().aggregate(latest=Max("last_activity_at"))["latest"]


def sitemap_tags() -> QuerySet[Tag]:
    """Tags in use that are not synonyms (a synonym's page redirects to its master)."""
    return (
        Tag.objects.filter(synonym_of__isnull=True, usage_count__gt=0)
        .only("pk", "name")
        .order_by("pk")
    )


def sitemap_users() -> QuerySet[User]:
    """Active members who have a visible post (profiles without content are not worth a
    search engine's visit); the system account is never listed."""
    posts = Post.objects.visible().filter(author=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True, is_system=False)
        .filter(Exists(posts))
        .only("pk", "username", "display_name")
        .order_by("pk")
    )
