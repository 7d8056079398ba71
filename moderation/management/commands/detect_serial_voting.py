"""``manage.py detect_serial_voting [--hours N]``: the daily serial voting job (docs/rules.md,
"Serial voting"), run from cron; it reports each reversal."""

from django.core.management.base import BaseCommand, CommandError

from moderation.serial_voting import serial_voting_reverse


def _hours(value: str) -> int:
    try:
        hours = int(value)
    except ValueError:
        hours = 0
    if hours < 1:
        raise CommandError(f"--hours must be a whole number of hours from 1, not {value!r}.")
    return hours


class Command(BaseCommand):
    help = "Find serial voting in the last hours and reverse it, with its reputation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", help="the lookback window (default: SERIAL_WINDOW_HOURS in settings)"
        )

    def handle(self, *args, hours=None, **options):
        events = serial_voting_reverse(hours=_hours(hours) if hours is not None else None)
        for event in events:
            d = event.details
            self.stdout.write(
                f"{d['voter_name']} -> {d['receiver_name']}: {d['count']} {d['direction']}votes"
                f" reversed, reputation {d['reputation_reversed']:+d}"
            )
        noun = "detection" if len(events) == 1 else "detections"
        self.stdout.write(self.style.SUCCESS(f"{len(events)} {noun} reversed."))
