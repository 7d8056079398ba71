"""``manage.py export_stackexchange OUT_DIR``: write the site as a Stack Exchange data dump
(Posts, Users, Comments, Votes, Tags, PostHistory and PostLinks XML files)."""

import time

from django.core.management.base import BaseCommand

from dumps.exporter import Exporter


class Command(BaseCommand):
    help = "Export the site in the Stack Exchange data-dump format into OUT_DIR."

    def add_arguments(self, parser):
        parser.add_argument("out_dir", help="Folder to write the XML files into (created).")

    def handle(self, *args, out_dir, **options):
        started = time.monotonic()
        counts = Exporter(out_dir).run()
        for name, count in counts.items():
            self.stdout.write(f"{name:<16} {count:>8,} rows")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Exported {sum(counts.values()):,} rows in {seconds:.1f} s.")
        )
