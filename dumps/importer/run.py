"""The import's order of files and how each is read: streamed, its rows handed in batches
to the file's handler (``handler(context, batch, report)``), each batch in one
transaction, then ``finish`` once every file is in. A file that stops early (malformed
XML, damaged archive data) keeps every row read before the spot; Ctrl-C raises
``ImportInterrupted``, which says where the import was."""

from __future__ import annotations

import time
from collections.abc import Callable

from dumps.importer import comments, history, links, posts, tags, users, votes
from dumps.importer.context import BATCH_SIZE, Context
from dumps.importer.finish import finish
from dumps.importer.options import source_url_base_for
from dumps.report import FileReport, Progress
from dumps.source import DumpFileError, DumpSource
from threads.search.schema import deferred_indexing

Handler = Callable[[Context, list[dict], FileReport], None]


class ImportInterrupted(Exception):
    """Ctrl-C during an import: says where, and that running it again resumes."""

    def __init__(self, where: str, rows: int | None):
        after = f" after {rows:,} rows" if rows is not None else ""
        super().__init__(
            f"Interrupted during {where}{after}; run the same command again to resume."
        )
        self.where = where
        self.rows = rows


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
        #: Where the import is: the file (or step) and the rows written in it so far.
        self.position: tuple[str, int | None] = ("the start", None)

    def run(self) -> list[FileReport]:
        """Every file, then ``finish``; Ctrl-C raises ``ImportInterrupted`` (each batch is
        its own transaction, so what was written stays and a rerun resumes)."""
        try:
            return self._run()
        except KeyboardInterrupt:
            if self.tty:
                self.out.write("")  # end the progress line drawn in place
            raise ImportInterrupted(*self.position) from None

    def _run(self) -> list[FileReport]:
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
        self.position = ("the recount after the last file", None)
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
        A file that stops early (``DumpFileError``) keeps the rows read before the spot:
        the pending batch is written, less its last group (which the spot may have cut)."""
        report = self.reports.setdefault(name, FileReport(name))
        if not self.source.has(name):
            report.missing = True
            return
        with self.source.open(name) as dump:
            progress = Progress(
                self.out, label=label or name, size=dump.size, reader=dump.reader, tty=self.tty
            )
            where = label or name
            self.position = (where, 0)
            batch: list[dict] = []
            last_id = ""
            try:
                for row in dump.rows():
                    progress.tick()
                    last_id = row.get("Id") or last_id
                    if select is not None and not select(row):
                        continue
                    if len(batch) >= self.batch_size and (
                        group is None or group(row) != group(batch[-1])
                    ):
                        self._write(handler, batch, report, where)
                        batch = []
                    batch.append(row)
            except DumpFileError as error:
                if group is not None and batch:
                    cut = group(batch[-1])
                    batch = [row for row in batch if group(row) != cut]
                self.context.stopped_after[name] = last_id
                if report.error is None:  # Posts.xml's passes stop at the same spot
                    report.error = str(error)
                    self.errors.append(str(error))
            if batch:
                self._write(handler, batch, report, where)
            report.seconds += progress.done()

    def _write(self, handler: Handler, batch: list[dict], report: FileReport, where: str) -> None:
        tally = FileReport(report.name)
        with deferred_indexing():  # posts are indexed once, by finish
            handler(self.context, batch, tally)
        report.merge(tally)
        self.position = (where, (self.position[1] or 0) + len(batch))
