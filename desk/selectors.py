from django.db.models import Prefetch, QuerySet

from desk.models import Message, ModeratorMessage, Suspension


def threads_of(*, member) -> QuerySet[ModeratorMessage]:
    return ModeratorMessage.objects.filter(user=member)


def conversations(*, member) -> list[ModeratorMessage]:
    """The member's conversations, newest first, each with its messages and whether one of
    the moderators' awaits acknowledgement (``awaiting``): two queries."""
    threads = list(
        threads_of(member=member)
        .order_by("-created_at", "-pk")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.order_by("created_at", "pk"))
        )
    )
    for thread in threads:
        thread.awaiting = any(
            message.from_moderator and message.acknowledged_at is None
            for message in thread.messages.all()
        )
    return threads


def suspensions(*, member) -> list[Suspension]:
    """The member's suspensions, newest first, for the moderators (one query)."""
    return list(Suspension.objects.filter(user=member).select_related("moderator", "lifted_by"))
