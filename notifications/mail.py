"""The emails of notifications."""

from django.core.mail import send_mail
from django.utils import timezone

from notifications.models import EmailMode, Notification


def send_immediate(source: str) -> int:
    """Email each notification of ``source`` whose recipient wants it at once."""
    due = Notification.objects.filter(
        source=source, email_mode=EmailMode.IMMEDIATE, emailed_at__isnull=True
    ).select_related("recipient")
    sent = 0
    for item in due:
        send_mail(
            item.get_kind_display(),
            item.title,
            None,
            [item.recipient.email],
        )
        Notification.objects.filter(pk=item.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
