import time

from django.core.management.base import BaseCommand

from demo.bulk import generate_site


class Command(BaseCommand):
    help = "Build a large, realistic site quickly with bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, questions: int, seed: int, **options):
        started = time.monotonic()
        built = generate_site(
            questions=questions, seed=seed, progress=lambda line: self.stdout.write(line)
        )
        seconds = time.monotonic() - started
        rows = built.questions + built.answers + built.comments + built.votes
        self.stdout.write(
            f"Generated {built.users} users, {built.questions} questions, {built.answers} "
            f"answers, {built.comments} comments, {built.votes} votes in {seconds:.1f} s "
            f"({rows / max(seconds, 0.001):,.0f} rows/s)."
        )
