"""The desk's actions: messages to a member (with an optional suspension), replies,
acknowledgements, and lifting a suspension. Each checks ``desk.rules`` inside its
transaction, on the member's locked row; each start and lift is a moderation event."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.suspension import suspension_set
from core.conf import qasite_setting
from core.markdown import render_post
from desk import rules
from desk.message_templates import BY_KEY
from desk.models import Annotation, Message, ModeratorMessage, Suspension
from desk.notices import forget_notice
from moderation.models import EventKind
from moderation.services import event_record
from notifications.delivery import deliver
from notifications.models import Kind
from threads.services import author_pages_refresh


def _locked_member(member):
    return get_user_model().objects.select_for_update().get(pk=member.pk)


def _check_body(body: str) -> str:
    body = body.strip()
    limits = qasite_setting("DESK")
    if len(body) < limits["MESSAGE_BODY_MIN"]:
        raise ValidationError({"body": f"Write at least {limits['MESSAGE_BODY_MIN']} characters."})
    if len(body) > limits["MESSAGE_BODY_MAX"]:
        raise ValidationError({"body": f"Write at most {limits['MESSAGE_BODY_MAX']} characters."})
    return body


def _append(thread: ModeratorMessage, *, author, body: str) -> Message:
    from_moderator = author.pk != thread.user_id
    return Message.objects.create(
        thread=thread,
        author=author,
        author_name=author.name,
        from_moderator=from_moderator,
        body=body,
        body_html=render_post(body),
    )


def messages_url(member_id: int, thread_id: int) -> str:
    return reverse("desk-messages", kwargs={"pk": member_id}) + f"#thread-{thread_id}"


@transaction.atomic
def message_send(
    *,
    moderator,
    member,
    template: str,
    subject: str,
    body: str,
    suspend_until: datetime | None = None,
) -> ModeratorMessage:
    """Open a conversation with ``member`` from a template, and suspend them until
    ``suspend_until`` if given. The member sees it before any other page until they
    acknowledge it."""
    member = _locked_member(member)
    rules.check_send_message_permission(moderator, member)
    if template not in BY_KEY:
        raise ValidationError({"template": "Choose one of the templates."})
    subject = " ".join(subject.split())
    if not subject or len(subject) > 200:
        raise ValidationError({"subject": "Give the message a subject (200 characters at most)."})
    body = _check_body(body)
    thread = ModeratorMessage.objects.create(user=member, template=template, subject=subject)
    _append(thread, author=moderator, body=body)
    if suspend_until is not None:
        _suspend(
            moderator, member, ends_at=suspend_until, reason=BY_KEY[template].label, thread=thread
        )
    deliver(
        [member.pk],
        kind=Kind.MODERATOR_MESSAGE,
        source=f"desk-thread:{thread.pk}",
        actor=moderator,
        title=subject,
        text="The moderators wrote to you: read the message, and reply if you wish.",
        details={"url": messages_url(member.pk, thread.pk)},
    )
    forget_notice(member.pk)
    return thread


def _suspend(moderator, member, *, ends_at: datetime, reason: str, thread) -> Suspension:
    rules.check_suspend_permission(moderator, member)
    now = timezone.now()
    if ends_at <= now:
        raise ValidationError({"suspend_until": "The suspension's end must be in the future."})
    suspension = Suspension.objects.create(
        user=member,
        moderator=moderator,
        reason=reason[:200],
        thread=thread,
        starts_at=now,
        ends_at=ends_at,
    )
    suspension_set(user=member, until=ends_at)
    author_pages_refresh(user=member)  # their cards on cached pages show 1 from now
    event_record(
        kind=EventKind.SUSPENDED,
        user=member,
        actor=moderator,
        reason=reason,
        details={"ends_at": ends_at.isoformat(), "suspension": suspension.pk},
    )
    return suspension


@transaction.atomic
def suspension_lift(*, moderator, member) -> Suspension:
    """End the member's suspension now (it also ends by itself at its end time)."""
    member = _locked_member(member)
    rules.check_lift_suspension_permission(moderator, member)
    now = timezone.now()
    suspension = (
        Suspension.objects.select_for_update()
        .filter(user=member, lifted_at__isnull=True, ends_at__gt=now)
        .order_by("-ends_at")
        .first()
    )
    if suspension is not None:
        suspension.lifted_at, suspension.lifted_by = now, moderator
        suspension.save(update_fields=["lifted_at", "lifted_by"])
    suspension_set(user=member, until=None)
    author_pages_refresh(user=member)
    event_record(
        kind=EventKind.SUSPENSION_LIFTED,
        user=member,
        actor=moderator,
        details={"suspension": suspension.pk if suspension else None},
    )
    return suspension


@transaction.atomic
def message_reply(*, author, thread: ModeratorMessage, body: str) -> Message:
    """The member's reply (an appeal) reaches every moderator; a moderator's reaches the
    member, who acknowledges it like the first message."""
    rules.check_reply_permission(author, thread)
    message = _append(thread, author=author, body=_check_body(body))
    if message.from_moderator:
        recipients = [thread.user_id]
        forget_notice(thread.user_id)
    else:
        recipients = moderator_ids()
    deliver(
        recipients,
        kind=Kind.MODERATOR_MESSAGE if message.from_moderator else Kind.MESSAGE_REPLY,
        source=f"desk-message:{message.pk}",
        actor=author,
        title=thread.subject,
        text=f"{author.name} (moderator) replied."
        if message.from_moderator
        else f"{author.name} replied to the moderators.",
        details={"url": messages_url(thread.user_id, thread.pk)},
    )
    return message


def moderator_ids() -> list[int]:
    """Who hears of an appeal: every moderator (``accounts.privileges.is_moderator``)."""
    moderators = get_user_model().objects.filter(Q(is_moderator=True) | Q(is_superuser=True))
    return list(moderators.filter(is_active=True, is_system=False).values_list("pk", flat=True))


@transaction.atomic
def messages_acknowledge(*, user, thread: ModeratorMessage) -> int:
    """The member has read the moderators' messages of ``thread``; returns how many."""
    rules.check_acknowledge_permission(user, thread)
    count = Message.objects.filter(
        thread=thread, from_moderator=True, acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now())
    forget_notice(user.pk)
    return count


@transaction.atomic
def annotation_add(*, moderator, member, body: str) -> Annotation:
    """A private note on ``member`` for the other moderators (Markdown, sanitised)."""
    rules.check_moderate_member_permission(moderator)
    body = _check_body(body)
    return Annotation.objects.create(
        user=member,
        moderator=moderator,
        moderator_name=moderator.name,
        body=body,
        body_html=render_post(body),
    )
