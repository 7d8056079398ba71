"""``manage.py recount_reputation``: replay the reputation ledger (docs/architecture.md, Decisions:
"Reputation is a ledger") and report every user whose reputation it corrected."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from threads.reputation import reputation_recount


class Command(BaseCommand):
    help = "Recompute every user's reputation from votes and accepts, daily cap included."

    def handle(self, *args, **options):
        with transaction.atomic():
            corrected = reputation_recount()
        names = dict(
            get_user_model()
            .objects.filter(pk__in=[pk for pk, _, _ in corrected])
            .values_list("pk", "username")
        )
        for pk, old, new in corrected:
            self.stdout.write(f"{names.get(pk, pk)}: {old} -> {new}")
        if corrected:
            noun = "user" if len(corrected) == 1 else "users"
            self.stdout.write(self.style.SUCCESS(f"{len(corrected)} {noun} corrected."))
        else:
            self.stdout.write(self.style.SUCCESS("All reputations were correct."))
