"""``manage.py send_notification_mail [--digest]``: the mail sweeps, from cron or by hand
(README, "Email and background tasks"). RQ's cron runs the same functions
(``notifications/cron.py``); the claim on each row makes running both, or two at once, safe."""

from django.core.management.base import BaseCommand, CommandError

from notifications import mail


class Command(BaseCommand):
    help = (
        "Send immediate notification emails still unsent after EMAIL_RESEND_AFTER_MINUTES; "
        "with --digest, send each person the daily digest of their unsent 'daily' ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Send the daily digests instead.")

    def handle(self, *args, digest: bool, **options):
        task = mail.send_digests if digest else mail.resend_unsent
        what = "digest" if digest else "email"
        try:
            sent = task()
        except mail.MailNotSent as error:
            raise CommandError(
                f"Some mail was not sent ({error}); it is retried next run."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} {what}{'' if sent == 1 else 's'}."))
