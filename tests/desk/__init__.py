"""Tests of the moderator's desk: suspensions and moderator messages.

Helpers shared by these modules: a message sent through the service, with or without a
suspension, and the template texts."""

from datetime import timedelta

from django.utils import timezone

from desk import services
from desk.message_templates import BY_KEY
from tests.factories import UserFactory


def moderator(**extra):
    return UserFactory(is_moderator=True, **extra)


def message(member, *, by=None, days: float | None = None, template: str = "rude_comments"):
    """A message from a template to ``member``, suspending them for ``days`` if given."""
    chosen = BY_KEY[template]
    return services.message_send(
        moderator=by or moderator(),
        member=member,
        template=template,
        subject=chosen.subject or "About your posts",
        body=chosen.body,
        suspend_until=None if days is None else timezone.now() + timedelta(days=days),
    )


def suspend(member, days: float = 7, *, by=None):
    """``member`` suspended for ``days`` with a message; returns the member as stored."""
    message(member, by=by, days=days)
    member.refresh_from_db()
    return member


def acknowledge(member) -> None:
    for thread in member.moderator_messages.all():
        services.messages_acknowledge(user=member, thread=thread)
