from django.core.management.base import BaseCommand

from privacy.sweep import sweep


class Command(BaseCommand):
    help = (
        "Erase the accounts whose deletion grace period is over, remove expired data "
        "exports, and build exports whose background job was lost (hourly)."
    )

    def handle(self, *args, **options):
        done = sweep()
        self.stdout.write(
            f"{done['erased']} account(s) erased, {done['exports_expired']} export(s) "
            f"expired, {done['exports_built']} export(s) built."
        )
