"""Comments.xml → ``Comment`` (Markdown source with LF line ends, rendered here); a comment
on a post absent from Posts.xml is left off."""

from __future__ import annotations

from datetime import UTC, datetime

from core.markdown import render_comment
from dumps.importer.context import Context, new_source_id, person
from dumps.importer.parsing import newlines, parse_time, to_int
from dumps.importer.writer import NewRow, insert
from dumps.models import SourceKind
from dumps.report import FileReport
from threads.models import Comment


def import_comments(context: Context, batch: list[dict], report: FileReport) -> None:
    known = context.lookup(SourceKind.COMMENT, (row.get("Id") for row in batch))
    posts = context.lookup(SourceKind.POST, (row.get("PostId") for row in batch))
    users = context.users_for(row.get("UserId") for row in batch)
    absent = context.absent_reasons(
        row.get("PostId") for row in batch if row.get("PostId") not in posts
    )
    created: list[tuple[str, NewRow]] = []
    for row in batch:
        source_id = new_source_id(row, known, report)
        if source_id is None:
            continue
        post_id = posts.get(row.get("PostId") or "")
        if post_id is None:
            report.skip(absent(row.get("PostId")))
            continue
        known[source_id] = 0
        author_id, author_name = person(
            users, row.get("UserId"), row.get("UserDisplayName"), report
        )
        text = newlines(row.get("Text")).strip()
        created.append(
            (
                source_id,
                NewRow(
                    Comment,
                    post_id=post_id,
                    author_id=author_id,
                    author_name=author_name,
                    body=text,
                    body_html=render_comment(text, math=context.math),
                    score=max(to_int(row.get("Score")), 0),
                    created_at=parse_time(row.get("CreationDate")) or datetime.now(UTC),
                ),
            )
        )
        report.take()
    insert([comment for _, comment in created])
    context.remember(SourceKind.COMMENT, ((source_id, c.pk) for source_id, c in created))
