"""The emails of notifications: one message per immediate notification, one daily digest per
person, each with a plain-text and an HTML part, absolute links to the exact post or comment
and a one-click unsubscribe (docs/architecture.md, "notifications").

These functions run as background tasks (``notifications.mail_queue``) and from
``manage.py send_notification_mail``. Each row is claimed before it is sent: one
``UPDATE … WHERE emailed_at IS NULL`` sets ``emailed_at``, and only the run whose update
changed the row sends it, so a retry, the resend sweep and a second worker never send one
notification twice. A send that fails gives its rows back (``emailed_at`` cleared) and
raises, so RQ retries the task and the sweep finds the rows again."""

import logging
from collections import OrderedDict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.conf import qasite_setting
from notifications import selectors, unsubscribe
from notifications.models import EmailMode, Kind, Notification

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """Some messages of a task could not be sent; their rows were given back."""


def address_of(user) -> str | None:
    """Where mail to ``user`` goes, or None for nowhere. Every sender asks here: only to a
    verified address (``User.email_verified``; docs/rules.md, "Accounts")."""
    if not user.is_active or getattr(user, "is_system", False):
        return None
    if not getattr(user, "email_verified", True):
        return None
    return (user.email or "").strip() or None


def absolute(path: str) -> str:
    return settings.SITE_URL + path


# Claiming rows ------------------------------------------------------------------------------


def _claim(pk: int) -> datetime | None:
    """Mark one row emailed if nobody has; the stamp if this call did, else None."""
    stamp = timezone.now()
    claimed = Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=stamp)
    return stamp if claimed else None


def _give_back(pks: list[int], stamp: datetime) -> None:
    Notification.objects.filter(pk__in=pks, emailed_at=stamp).update(emailed_at=None)


def _visible(user, pks: list[int]) -> set[int]:
    """Of ``pks``, what ``user`` may still see (the post or comment may have gone since)."""
    return set(selectors.visible(user=user).filter(pk__in=pks).values_list("pk", flat=True))


# What one item says -------------------------------------------------------------------------


def summary(item: Notification) -> str:
    """One plain sentence or two about the item, shared by the text and HTML parts."""
    details = item.details or {}
    if item.kind == Kind.CLOSE_GUIDANCE:
        reasons = ", ".join(f"{r['reason']} ({r['count']})" for r in details.get("reasons", []))
        return (
            f"Someone voted to close your question ({reasons}); {details.get('needed')} votes "
            "close it. Fix it now and it stays open."
        )
    if item.kind == Kind.CLOSED:
        notice = f": {details['notice']}" if details.get("notice") else "."
        return (
            f"Closed as {details.get('reason', '')}{notice} Edit the question to fix it; an edit "
            f"within {details.get('edit_days')} days puts it in the reopen queue."
        )
    if item.kind == Kind.REVIEW_SUSPENDED:
        return f"{item.text}. They return on {details.get('ends_at_text', '')}."
    if item.kind == Kind.FLAG_DECLINED:
        reason = f": {item.text}" if item.text else ""
        return f"Your “{details.get('flag', '')}” flag was declined{reason}."
    if item.kind == Kind.FLAG_HELPFUL:
        return f"Your “{details.get('flag', '')}” flag was marked helpful. Thanks!"
    if item.kind == Kind.REOPEN_REVIEW:
        return "Your edit sent the question to the reopen review queue."
    if item.kind == Kind.LEFT_CLOSED:
        return "Reviewers decided to leave the question closed."
    return item.text


def _entry(item: Notification) -> dict:
    return {
        "item": item,
        "label": item.get_kind_display(),
        "title": item.title or "(no title)",
        "url": absolute(selectors.target_url(item)),
        "summary": summary(item),
    }


def _message(*, user, address: str, subject: str, template: str, context: dict, kind: str):
    """A message with both parts and the RFC 8058 one-click unsubscribe headers."""
    unsubscribe_url = unsubscribe.url(user, kind)
    context = {
        **context,
        "user": user,
        "site_url": settings.SITE_URL,
        "settings_url": absolute(reverse("inbox-settings")),
        "inbox_url": absolute(reverse("inbox")),
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_label": unsubscribe.label(kind),
    }
    message = EmailMultiAlternatives(
        " ".join(subject.split())[:200],
        render_to_string(f"notifications/email/{template}.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


# Immediate mail -----------------------------------------------------------------------------


def _send_each(due: QuerySet[Notification]) -> int:
    """Send each due immediate notification in its own message; raise at the end if any
    failed (the others still went)."""
    sent, failed = 0, []
    connection = get_connection()
    for pk in list(due.values_list("pk", flat=True)):
        stamp = _claim(pk)
        if stamp is None:
            continue  # another run has it
        item = Notification.objects.select_related("recipient").get(pk=pk)
        user = item.recipient
        address = address_of(user)
        if address is None or pk not in _visible(user, [pk]):
            continue  # nothing to send: the row stays marked
        message = _message(
            user=user,
            address=address,
            subject=f"{item.get_kind_display()}: {item.title}"
            if item.title
            else item.get_kind_display(),
            template="immediate",
            context=_entry(item),
            kind=item.kind,
        )
        try:
            connection.send_messages([message])
        except Exception as error:
            _give_back([pk], stamp)
            failed.append(error)
            continue
        sent += 1
    if failed:
        raise MailNotSent(f"{len(failed)} message(s) not sent") from failed[0]
    return sent


def send_immediate(source: str) -> int:
    """Email each notification of the action ``source`` whose recipient wants it at once
    (the task queued after the action commits)."""
    return _send_each(
        Notification.objects.filter(
            source=source, email_mode=EmailMode.IMMEDIATE, emailed_at__isnull=True
        )
    )


def resend_unsent(now: datetime | None = None) -> int:
    """Immediate notifications still unsent ``EMAIL_RESEND_AFTER_MINUTES`` after they were
    written: their task was lost (a crash between the commit and the queue, Redis down) or
    failed every retry. Older than ``EMAIL_RESEND_MAX_DAYS``, they are news no longer and
    stay in the inbox only."""
    conf = qasite_setting("NOTIFICATIONS")
    now = now or timezone.now()
    return _send_each(
        Notification.objects.filter(
            email_mode=EmailMode.IMMEDIATE,
            emailed_at__isnull=True,
            created_at__lt=now - timedelta(minutes=conf["EMAIL_RESEND_AFTER_MINUTES"]),
            created_at__gte=now - timedelta(days=conf["EMAIL_RESEND_MAX_DAYS"]),
        ).order_by("created_at")
    )


# The daily digest ---------------------------------------------------------------------------


def digest_groups(items: list[Notification]) -> list[dict]:
    """Items grouped by kind, the group with the newest item first, each newest first, at
    most ``EMAIL_DIGEST_ITEMS_PER_KIND`` shown with the count of the rest."""
    limit = qasite_setting("NOTIFICATIONS")["EMAIL_DIGEST_ITEMS_PER_KIND"]
    groups: OrderedDict[str, list[Notification]] = OrderedDict()
    for item in sorted(items, key=lambda row: (row.created_at, row.pk), reverse=True):
        groups.setdefault(item.kind, []).append(item)
    return [
        {
            "kind": kind,
            "label": Kind(kind).label,
            "count": len(rows),
            "entries": [_entry(row) for row in rows[:limit]],
            "more": max(len(rows) - limit, 0),
        }
        for kind, rows in groups.items()
    ]


def _send_digest(user, now: datetime, connection) -> bool:
    pks = list(
        Notification.objects.filter(
            recipient=user,
            email_mode=EmailMode.DAILY,
            emailed_at__isnull=True,
            created_at__lte=now,
        ).values_list("pk", flat=True)
    )
    claims = {pk: stamp for pk in pks if (stamp := _claim(pk)) is not None}
    address = address_of(user)
    shown = _visible(user, list(claims))
    if address is None or not shown:
        return False  # nothing to send: the rows stay marked
    items = list(Notification.objects.filter(pk__in=shown).select_related("recipient"))
    message = _message(
        user=user,
        address=address,
        subject=f"Your daily digest: {len(items)} notification{'' if len(items) == 1 else 's'}",
        template="digest",
        context={"groups": digest_groups(items), "total": len(items)},
        kind=unsubscribe.ALL,
    )
    try:
        connection.send_messages([message])
    except Exception:
        for pk in shown:
            _give_back([pk], claims[pk])
        raise
    return True


def send_digests(now: datetime | None = None) -> int:
    """Send each person one email of their unsent ``daily`` notifications written until
    ``now``; returns how many digests went. A failed digest is logged and left for the next
    run; the others still go."""
    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(
            email_mode=EmailMode.DAILY, emailed_at__isnull=True, created_at__lte=now
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by()
    )
    connection = get_connection()
    sent, failed = 0, 0
    for user in get_user_model().objects.filter(pk__in=list(user_ids)).order_by("pk"):
        try:
            sent += _send_digest(user, now, connection)
        except Exception:
            failed += 1
            logger.exception("The daily digest of user %s was not sent", user.pk)
    if failed:
        raise MailNotSent(f"{failed} digest(s) not sent; {sent} sent")
    return sent
