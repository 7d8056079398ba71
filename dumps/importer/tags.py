"""Tags.xml → ``Tag`` (found by name, or created), and which posts hold each tag's excerpt
and wiki (their text comes with Posts.xml). Names the site's tag rule refuses
(``threads.validation.is_tag_name``) are left off."""

from __future__ import annotations

from dumps.importer.context import TAG_NOT_ALLOWED, Context, new_source_id
from dumps.models import SourceKind
from dumps.report import FileReport
from threads.validation import is_tag_name


def import_tags(context: Context, batch: list[dict], report: FileReport) -> None:
    known = context.lookup(SourceKind.TAG, (row.get("Id") for row in batch))
    rows = []
    for row in batch:
        name = (row.get("TagName") or "").strip()
        source_id = new_source_id(row, known, report)
        if source_id is None:
            continue
        if not is_tag_name(name):
            report.skip(TAG_NOT_ALLOWED)
            continue
        known[source_id] = 0
        rows.append((row, name))
        report.take()
    tag_ids = context.tags_for(name for _, name in rows)
    context.remember(SourceKind.TAG, ((row["Id"], tag_ids[name]) for row, name in rows))
    context.remember(
        SourceKind.TAG_EXCERPT,
        ((row["ExcerptPostId"], tag_ids[name]) for row, name in rows if row.get("ExcerptPostId")),
    )
    context.remember(
        SourceKind.TAG_WIKI,
        ((row["WikiPostId"], tag_ids[name]) for row, name in rows if row.get("WikiPostId")),
    )
