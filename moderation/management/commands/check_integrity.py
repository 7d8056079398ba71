"""``manage.py check_integrity [--limit N]``: the integrity check (``moderation.integrity``;
README, "After an incident"). Prints one line per check and the ids of what disagrees;
exits with status 1 when anything does."""

from django.core.management.base import BaseCommand, CommandError

from moderation.integrity import integrity_check


class Command(BaseCommand):
    help = "Check stored counters, scores, closures and reputation against their rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=20,
            help="problems listed per check (default 20; 0 lists none, only the counts)",
        )

    def handle(self, *args, limit: int, **options):
        findings = integrity_check()
        for finding in findings:
            status = "ok" if not finding.problems else f"{len(finding.problems)} problem(s)"
            line = (
                f"{finding.name:<14} {finding.checked:>8} checked  {status}"
                f"  ({finding.description})"
            )
            write = self.style.SUCCESS if not finding.problems else self.style.ERROR
            self.stdout.write(write(line))
            for pk, problem in finding.problems[: max(limit, 0)]:
                self.stdout.write(f"    {finding.name} id={pk}: {problem}")
            if len(finding.problems) > max(limit, 0) and limit > 0:
                self.stdout.write(f"    … and {len(finding.problems) - limit} more")
        total = sum(len(finding.problems) for finding in findings)
        if total:
            raise CommandError(f"Integrity check failed: {total} problem(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("Integrity check passed: no problems."))
