"""PostHistory types 1–9 → ``Revision`` rows, one per RevisionGUID: each carries forward
what its rows don't change from the post's previous revision. A post's first revision
without a body row (a partial history) takes the post's HTML converted to Markdown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db.models import OuterRef, Subquery

from dumps.importer.context import chunked, person
from dumps.importer.markdown_source import html_to_markdown
from dumps.importer.parsing import allowed_tag, newlines, parse_tags, parse_time, to_int
from dumps.importer.writer import NewRow
from dumps.report import FileReport
from threads.models import Post, PostKind, Revision, RevisionKind

REVISION_TYPES = frozenset(range(1, 10))
TITLE_TYPES = frozenset({1, 4, 7})
BODY_TYPES = frozenset({2, 5, 8})
TAG_TYPES = frozenset({3, 6, 9})


def latest_revisions(pks: Iterable[int]) -> dict[int, Revision]:
    """Post id → its newest revision (what the next one carries forward)."""
    newest = (
        Revision.objects.filter(post_id=OuterRef("post_id")).order_by("-number").values("number")
    )
    latest: dict[int, Revision] = {}
    for chunk in chunked(sorted(set(pks))):
        latest.update(
            (revision.post_id, revision)
            for revision in Revision.objects.filter(
                post_id__in=chunk, number=Subquery(newest[:1])
            ).only("post_id", "number", "title", "body", "tags")
        )
    return latest


def revision_for(
    rows: list[dict], post: Post, latest: dict, users: dict, report: FileReport
) -> NewRow:
    """One Revision for a RevisionGUID group; fields the group doesn't change are
    carried forward from the post's previous revision."""
    previous = latest.get(post.pk)
    title = previous.title if previous else ""
    body = previous.body if previous else ""
    tags = previous.tags if previous else ""
    kinds = set()
    for row in rows:
        kind = to_int(row.get("PostHistoryTypeId"))
        kinds.add(kind)
        text = newlines(row.get("Text"))
        if kind in TITLE_TYPES:
            title = text
        elif kind in BODY_TYPES:
            body = text
        elif kind in TAG_TYPES:
            # Only names the post itself could carry, so a rollback can't bring others.
            tags = " ".join(name for name in parse_tags(text) if allowed_tag(name))
    if previous is None and not kinds & BODY_TYPES:
        body = html_to_markdown(post.body_html)
    if kinds & {1, 2, 3}:
        kind = RevisionKind.INITIAL
    elif kinds & {7, 8, 9}:
        kind = RevisionKind.ROLLBACK
    else:
        kind = RevisionKind.EDIT
    first = rows[0]
    editor_id, editor_name = person(
        users, first.get("UserId"), first.get("UserDisplayName"), report
    )
    summary = next((row["Comment"] for row in rows if row.get("Comment")), "")
    question = post.kind == PostKind.QUESTION
    revision = NewRow(
        Revision,
        post_id=post.pk,
        number=(previous.number if previous else 0) + 1,
        kind=kind,
        title=title[:250] if question else "",
        body=body,
        tags=tags[:250] if question else "",
        editor_id=editor_id,
        editor_name=editor_name,
        summary=summary[:300],
        created_at=parse_time(first.get("CreationDate")) or datetime.now(UTC),
    )
    latest[post.pk] = revision
    return revision
