"""Changing the inbox: marking items read, and the email choices."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from notifications.delivery import default_email_mode, forget_unread
from notifications.models import EmailMode, EmailPreference, Kind, Notification
from notifications.unsubscribe import ALL


@transaction.atomic
def notification_read(*, user, pk: int) -> Notification:
    """Mark one of ``user``'s notifications read (404 for anyone else's)."""
    item = get_object_or_404(Notification.objects.select_related("question"), pk=pk, recipient=user)
    if item.read_at is None:
        item.read_at = timezone.now()
        Notification.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=item.read_at)
        forget_unread([user.pk])
    return item


@transaction.atomic
def notifications_read_all(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        forget_unread([user.pk])
    return marked


def email_modes(*, user) -> dict[str, str]:
    """``user``'s email choice for every kind (the site's default where none was made)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind.value: chosen.get(kind.value, default_email_mode(kind)) for kind in Kind}


@transaction.atomic
def email_modes_set(*, user, modes: dict[str, str]) -> None:
    """Store the choices that differ from the default; later notices follow them."""
    EmailPreference.objects.filter(user=user).delete()
    EmailPreference.objects.bulk_create(
        [
            EmailPreference(user=user, kind=kind, mode=mode)
            for kind, mode in modes.items()
            if kind in Kind.values and mode in EmailMode.values and mode != default_email_mode(kind)
        ]
    )


@transaction.atomic
def email_unsubscribe(*, user, kind: str) -> None:
    """Turn email off for ``kind`` (or every kind, ``"all"``), including notifications
    already waiting for the digest or a resend."""
    kinds = Kind.values if kind == ALL else [kind]
    for name in kinds:
        EmailPreference.objects.update_or_create(
            user=user, kind=name, defaults={"mode": EmailMode.OFF}
        )
    Notification.objects.filter(recipient=user, kind__in=kinds, emailed_at__isnull=True).exclude(
        email_mode=EmailMode.OFF
    ).update(email_mode=EmailMode.OFF)
