"""The import's order of files and how each is read: streamed, its rows handed in batches
to the file's handler (``handler(context, batch, report)``), each batch in one
transaction, then ``finish`` once every file is in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction

from dumps.importer import comments, history, links, posts, tags, users, votes
from dumps.importer.context import BATCH_SIZE, Context
from dumps.importer.finish import finish
from dumps.importer.options import source_url_base_for
from dumps.report import FileReport, Progress
from dumps.source import DumpParseError, DumpSource

Handler = Callable[[Context, list[dict], FileReport], None]


class Importer:
    def __init__(
        self,
        source: DumpSource,
        *,
        site: str,
        stdout,
        batch_size: int = BATCH_SIZE,
        source_url_base: str = "",
        math: bool = False,
    ):
        self.source = source
        self.site = site
        self.out = stdout
        self.tty = bool(getattr(stdout, "isatty", lambda: False)())
        self.batch_size = max(1, batch_size)
        self.context = Context(
            site, source_url_base=source_url_base_for(site, source_url_base), math=math
        )
        self.reports: dict[str, FileReport] = {}
        self.errors: list[str] = []

    def run(self) -> list[FileReport]:
        self._stream("Users.xml", users.import_users)
        self._stream("Tags.xml", tags.import_tags)
        self._stream(
            "Posts.xml",
            posts.import_questions,
            select=lambda row: row.get("PostTypeId") != "2",
            label="Posts.xml (questions, tag wikis)",
        )
        self._stream(
            "Posts.xml",
            posts.import_answers,
            select=lambda row: row.get("PostTypeId") == "2",
            label="Posts.xml (answers)",
        )
        self._stream(
            "Posts.xml",
            posts.import_accepted,
            select=lambda row: row.get("PostTypeId") == "1" and bool(row.get("AcceptedAnswerId")),
            label="Posts.xml (accepted answers)",
        )
        self._stream("Comments.xml", comments.import_comments)
        self._stream("PostHistory.xml", history.import_history, group=history.revision_guid)
        self._stream("PostLinks.xml", links.import_links)
        self._stream("Votes.xml", votes.import_votes)
        self._stream("Badges.xml", votes.import_badges)
        started = time.monotonic()
        finish(self.context, imported=any(report.imported for report in self.reports.values()))
        self.finish_seconds = time.monotonic() - started
        return [self.reports[name] for name in self.reports]

    def _stream(
        self,
        name: str,
        handler: Handler,
        *,
        select: Callable[[dict], bool] | None = None,
        group: Callable[[dict], str] | None = None,
        label: str | None = None,
    ) -> None:
        """Read ``name`` and hand its rows to ``handler`` in batches, each batch in one
        transaction. ``group`` keeps rows with the same key in one batch (RevisionGUID).
        Malformed XML stops this file (the pending batch is dropped, never half-written)."""
        report = self.reports.setdefault(name, FileReport(name))
        if report.error:
            return
        if not self.source.has(name):
            report.missing = True
            return
        with self.source.open(name) as dump:
            progress = Progress(
                self.out, label=label or name, size=dump.size, reader=dump.reader, tty=self.tty
            )
            batch: list[dict] = []
            try:
                for row in dump.rows():
                    progress.tick()
                    if select is not None and not select(row):
                        continue
                    if len(batch) >= self.batch_size and (
                        group is None or group(row) != group(batch[-1])
                    ):
                        self._write(handler, batch, report)
                        batch = []
                    batch.append(row)
                if batch:
                    self._write(handler, batch, report)
            except DumpParseError as error:
                report.error = str(error)
                self.errors.append(str(error))
            report.seconds += progress.done()

    def _write(self, handler: Handler, batch: list[dict], report: FileReport) -> None:
        tally = FileReport(report.name)
        with transaction.atomic():
            handler(self.context, batch, tally)
        report.merge(tally)
