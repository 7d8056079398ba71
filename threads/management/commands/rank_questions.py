"""``manage.py rank_questions``: write the Hot, Week, Month and Frequent ranks of the
question lists (docs/rules.md, "Question lists"); run every ``RANK_EVERY_MINUTES`` by RQ's
cron (``threads/cron.py``) or the system's cron (README)."""

from django.core.management.base import BaseCommand

from threads.ranking import rank_questions


class Command(BaseCommand):
    help = "Recompute the question lists' Hot, Week, Month and Frequent ranks."

    def handle(self, *args, **options):
        changed = rank_questions()
        self.stdout.write(f"Ranked the question lists: {changed} question(s) changed.")
