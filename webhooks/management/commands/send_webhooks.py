from django.core.management.base import BaseCommand

from webhooks.sending import send_due


class Command(BaseCommand):
    help = (
        "Send the webhook deliveries whose time has come: retries without an RQ worker, "
        "and tasks lost on the way to the queue. Run it every minute from cron."
    )

    def handle(self, *args, **options):
        sent = send_due()
        self.stdout.write(f"Tried {sent} webhook deliveries.")
