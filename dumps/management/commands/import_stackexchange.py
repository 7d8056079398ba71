"""``manage.py import_stackexchange PATH [--site KEY]``: import a Stack Exchange data dump
(a folder of XML files, or a .zip/.7z archive of them). Safe to run again: rows already
imported are skipped, and an interrupted import completes.

Failures end in one line on stderr, never a traceback: an unreadable dump or option (exit
code 1, nothing imported), a file that stops early (exit code 1, the rows before the spot
imported), Ctrl-C (exit code 130, with where to resume)."""

from argparse import BooleanOptionalAction

from django.core.management.base import BaseCommand, CommandError

from core.conf import qasite_setting
from dumps.importer import (
    BATCH_SIZE,
    Importer,
    ImportInterrupted,
    ImportSettingError,
    check_source_url_base,
)
from dumps.models import SourceRow
from dumps.report import summary_table
from dumps.source import DUMP_FILES, REQUIRED_FILES, DumpError, DumpSource

SITE_KEY_MAX = SourceRow._meta.get_field("site").max_length
#: The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class Command(BaseCommand):
    help = "Import a Stack Exchange data dump (folder, .zip or .7z of its XML files)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Folder of dump files, or a .zip/.7z archive.")
        parser.add_argument(
            "--site",
            help="Key of the source site (default: the folder or archive name, e.g. "
            "french.meta). Rows are remembered per key: the same key never imports twice.",
        )
        parser.add_argument(
            "--source-url-base",
            default="",
            help="Base URL of the source site, an absolute http(s) URL (default: from the "
            "site key, e.g. french.meta → https://french.meta.stackexchange.com): posts link "
            "to BASE/q/ID and BASE/a/ID, their authors to BASE/users/ID.",
        )
        parser.add_argument(
            "--math",
            action=BooleanOptionalAction,
            default=None,
            help="The source site uses MathJax: render the TeX of bodies and comments as "
            "posts written here are (default: QASITE['IMPORT']['MATH']).",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per batch.")

    def handle(
        self,
        *args,
        path,
        site=None,
        source_url_base="",
        batch_size=BATCH_SIZE,
        math=None,
        **options,
    ):
        try:
            source_url_base = check_source_url_base(source_url_base)
            with DumpSource(path) as source:
                missing = [name for name in REQUIRED_FILES if not source.has(name)]
                if missing:
                    raise CommandError(
                        f"{path}: {' and '.join(missing)} missing; a dump needs "
                        f"{' and '.join(REQUIRED_FILES)}. Nothing was imported."
                    )
                key = site or source.site_key
                if not key or len(key) > SITE_KEY_MAX:
                    raise CommandError(f"The site key must be 1 to {SITE_KEY_MAX} characters.")
                self.stdout.write(f"Importing {path} as site “{key}”")
                for name in DUMP_FILES:
                    if not source.has(name):
                        self.stdout.write(f"{name}: missing, skipped")
                importer = Importer(
                    source,
                    site=key,
                    stdout=self.stdout,
                    batch_size=batch_size,
                    source_url_base=source_url_base,
                    math=qasite_setting("IMPORT.MATH") if math is None else math,
                )
                reports = importer.run()
        except (DumpError, ImportSettingError) as error:
            raise CommandError(str(error)) from None
        except ImportInterrupted as stop:
            raise CommandError(str(stop), returncode=INTERRUPTED) from None
        except KeyboardInterrupt:  # while opening the dump: nothing was imported
            raise CommandError(
                "Interrupted before any row was imported; run the same command again.",
                returncode=INTERRUPTED,
            ) from None
        self.stdout.write("")
        for line in summary_table(reports):
            self.stdout.write(line)
        self.stdout.write(f"Counts and history recomputed in {importer.finish_seconds:.2f} s.")
        if importer.errors:  # one line, on stderr (also in the table's ERROR lines)
            raise CommandError(
                f"{'; '.join(importer.errors)}. {len(importer.errors)} file(s) could not be "
                "read completely; every row before the error was imported. Fix the file and "
                "run the same command again to resume."
            )
        self.stdout.write(self.style.SUCCESS("Import complete."))
