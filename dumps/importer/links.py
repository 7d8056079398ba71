"""PostLinks.xml → ``PostLink`` (LinkTypeId 1: linked, 3: duplicate). A duplicate link of
a question closed as a duplicate also names its target in the close notice; a question
closed without a close event in the dump (no PostHistory.xml, or a partial one) and with a
duplicate link is taken as closed as a duplicate of the link's target (counted in the
report)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from dumps.closing import close_notice, is_unknown_closure
from dumps.importer.context import BATCH_SIZE, Context, chunked, new_source_id
from dumps.importer.parsing import parse_time, to_int
from dumps.models import SourceKind
from dumps.report import FileReport
from moderation.notices import CloseNotice, DuplicateTarget
from threads.models import Post, PostKind, PostLink, PostLinkKind

INFERRED_CLOSURE = "closure without a close event: taken as a duplicate of the link's target"


def import_links(context: Context, batch: list[dict], report: FileReport) -> None:
    known = context.lookup(SourceKind.LINK, (row.get("Id") for row in batch))
    posts = context.lookup(
        SourceKind.POST,
        (value for row in batch for value in (row.get("PostId"), row.get("RelatedPostId"))),
    )
    absent = context.absent_reasons(
        value
        for row in batch
        for value in (row.get("PostId"), row.get("RelatedPostId"))
        if value not in posts
    )
    wanted: list[tuple[str, int, int, str, datetime]] = []
    for row in batch:
        source_id = new_source_id(row, known, report)
        if source_id is None:
            continue
        link_type = to_int(row.get("LinkTypeId"))
        post_id = posts.get(row.get("PostId") or "")
        target_id = posts.get(row.get("RelatedPostId") or "")
        if link_type not in (1, 3):
            report.skip(f"unsupported LinkTypeId {row.get('LinkTypeId')}")
        elif post_id is None:
            report.skip(absent(row.get("PostId")))
        elif target_id is None:
            report.skip(absent(row.get("RelatedPostId")))
        elif post_id == target_id:
            report.skip("link to itself")
        else:
            known[source_id] = 0
            kind = PostLinkKind.LINKED if link_type == 1 else PostLinkKind.DUPLICATE
            when = parse_time(row.get("CreationDate")) or datetime.now(UTC)
            wanted.append((source_id, post_id, target_id, kind, when))
            report.take()
    existing = _existing_links(wanted)
    new: dict[tuple, PostLink] = {}
    for _, post_id, target_id, kind, when in wanted:
        key = (post_id, target_id, kind)
        if key not in existing and key not in new:
            new[key] = PostLink(post_id=post_id, target_id=target_id, kind=kind, created_at=when)
    PostLink.objects.bulk_create(list(new.values()), batch_size=BATCH_SIZE)
    existing.update({key: link.pk for key, link in new.items()})
    context.remember(
        SourceKind.LINK,
        ((source, existing[(post, target, kind)]) for source, post, target, kind, _ in wanted),
    )
    _add_duplicate_targets(
        context,
        [(post, target) for _, post, target, kind, _ in wanted if kind == "duplicate"],
        report,
    )


def _existing_links(wanted: list[tuple]) -> dict[tuple, int]:
    posts = sorted({post_id for _, post_id, _, _, _ in wanted})
    keys = {(post_id, target_id, kind) for _, post_id, target_id, kind, _ in wanted}
    found = {}
    for chunk in chunked(posts):
        for pk, post_id, target_id, kind in PostLink.objects.filter(post_id__in=chunk).values_list(
            "pk", "post_id", "target_id", "kind"
        ):
            if (post_id, target_id, kind) in keys:
                found[(post_id, target_id, kind)] = pk
    return found


def _add_duplicate_targets(
    context: Context, pairs: list[tuple[int, int]], report: FileReport
) -> None:
    """A duplicate link (type 3) of a question closed as a duplicate names one of its
    targets: add it to the notice when the close event did not. A closure without a close
    event becomes a duplicate closure with that target."""
    if not pairs:
        return
    questions = Post.objects.in_bulk(sorted({post for post, _ in pairs}), field_name="pk")
    titles = dict(  # duplicates are questions (a link to an answer names none)
        Post.objects.filter(
            pk__in=[target for _, target in pairs], kind=PostKind.QUESTION
        ).values_list("pk", "title")
    )
    changed = {}
    for post_id, target_id in pairs:
        question = questions.get(post_id)
        notice = CloseNotice.of(question) if question else None
        if notice is None or target_id not in titles:
            continue
        if is_unknown_closure(notice):
            target = {"id": target_id, "title": titles[target_id]}
            resolved = context.reasons.inferred_duplicate()
            question.close_notice = close_notice(resolved, [], [target], question.closed_at)
            changed[post_id] = question
            report.note(INFERRED_CLOSURE)
            continue
        if not notice.is_duplicate:
            continue
        if any(target.id == target_id for target in notice.duplicates):
            continue
        target = DuplicateTarget(id=target_id, title=titles[target_id])
        question.close_notice = replace(notice, duplicates=(*notice.duplicates, target)).as_json()
        changed[post_id] = question
    Post.objects.bulk_update(list(changed.values()), ["close_notice"])
