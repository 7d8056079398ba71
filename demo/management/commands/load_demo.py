"""``manage.py load_demo``: demo logins, the seed thread and generated questions
(docs/architecture.md, "What each app owns" "Demo data"). Idempotent: a second run adds nothing.
Never run it in production."""

import time

from django.core.management.base import BaseCommand

from demo.generate import DEMO_SEED
from demo.load import demo_load


class Command(BaseCommand):
    help = "Load the demo users, the seed thread and generated questions (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--questions",
            type=int,
            default=200,
            help="How many questions to generate (default 200).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEMO_SEED, help="Random seed of the generated content."
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")

    def handle(self, *args, questions: int, seed: int, quiet: bool, **options):
        started = time.monotonic()
        result = demo_load(questions=questions, seed=seed)
        if quiet:
            return
        elapsed = time.monotonic() - started
        if result.added_anything:
            added = [f"{result.created_users} users"]
            if result.seed is not None:
                added.append(f"the seed thread (question {result.seed.pk})")
            if result.generated is not None:
                g = result.generated
                added.append(
                    f"{g.questions} questions, {g.answers} answers, {g.comments} comments, "
                    f"{g.votes} votes, {g.accepted} accepted answers"
                )
            self.stdout.write(
                self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s: ")
                + "; ".join(added)
                + "."
            )
        else:
            self.stdout.write("Demo data already loaded; nothing added.")
        totals = ", ".join(f"{count} {name}" for name, count in result.totals.items())
        self.stdout.write(f"In the database: {totals}.")
