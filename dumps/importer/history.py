"""PostHistory.xml, a batch of whole RevisionGUID groups at a time, in file order (which is
time order): revisions (types 1–9, ``revisions``), moderation events (10–20, ``events``),
and the latest text of tag excerpt/wiki posts (kept on their tag, without history)."""

from __future__ import annotations

from collections import defaultdict

from dumps.importer.context import ALREADY, TAG_WIKI_POST, Context
from dumps.importer.events import EVENT_TYPES, event_for, post_states
from dumps.importer.parsing import newlines, parse_voters, to_int
from dumps.importer.revisions import BODY_TYPES, REVISION_TYPES, latest_revisions, revision_for
from dumps.importer.writer import insert
from dumps.models import SourceKind
from dumps.report import FileReport
from moderation.models import ModerationEvent
from threads.models import Post, PostLink, Revision, Tag

HISTORY_TYPES = {
    16: "Community Owned",
    17: "Post Migrated",
    18: "Question Merged",
    21: "Post Disassociated",
    22: "Question Unmerged",
    24: "Suggested Edit Applied",
    25: "Post Tweeted",
    31: "Comment discussion moved to chat",
    33: "Post notice added",
    34: "Post notice removed",
    35: "Post migrated away",
    36: "Post migrated here",
    37: "Post merge source",
    38: "Post merge destination",
    50: "Bumped by Community User",
    52: "Became Hot Network Question",
    53: "Removed from Hot Network Questions",
    66: "Created from Ask Wizard",
}


def revision_guid(row: dict) -> str:
    """The key that keeps a revision's rows together in one batch."""
    return row.get("RevisionGUID") or f"row:{row.get('Id')}"


def import_history(context: Context, batch: list[dict], report: FileReport) -> None:
    """Revisions (types 1–9, one per RevisionGUID) and moderation events (10–20) in
    file order, which is time order: the last event sets the final state."""
    posts = context.lookup(SourceKind.POST, (row.get("PostId") for row in batch))
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in batch:
        groups[revision_guid(row)].append(row)
    revision_guids = [
        guid
        for guid, rows in groups.items()
        if any(to_int(row.get("PostHistoryTypeId")) in REVISION_TYPES for row in rows)
    ]
    known_revisions = context.lookup(SourceKind.REVISION, revision_guids)
    known_tag_revisions = context.lookup(SourceKind.TAG_REVISION, revision_guids)
    event_ids = [
        row.get("Id") for row in batch if to_int(row.get("PostHistoryTypeId")) in EVENT_TYPES
    ]
    known_events = context.lookup(SourceKind.EVENT, event_ids)
    # Tag wiki posts: only their latest text is kept (on the tag).
    unmapped = [row.get("PostId") for row in batch if row.get("PostId") not in posts]
    tag_texts = context.lookup(SourceKind.TAG_TEXT, unmapped) if unmapped else {}
    excerpts = context.lookup(SourceKind.TAG_EXCERPT, tag_texts) if tag_texts else {}
    absent = context.absent_reasons(unmapped)

    voter_ids = []
    for row in batch:
        if to_int(row.get("PostHistoryTypeId")) in EVENT_TYPES:
            voters, _ = parse_voters(row.get("Text"))
            voter_ids.extend(str(voter.get("Id")) for voter in voters if "Id" in voter)
    users = context.users_for([row.get("UserId") for row in batch] + voter_ids)
    state = post_states(posts.values())
    latest = latest_revisions(posts.values())

    revisions: list[tuple[str, Revision]] = []
    tag_changes: dict[int, tuple[str, str]] = {}
    tag_revisions: list[tuple[str, int]] = []
    events: list[tuple[str, ModerationEvent]] = []
    dirty: set[int] = set()
    links: list[PostLink] = []
    for guid, rows in groups.items():
        revision_rows = []
        for row in rows:
            kind = to_int(row.get("PostHistoryTypeId"))
            post_id = posts.get(row.get("PostId") or "")
            if kind in REVISION_TYPES:
                revision_rows.append(row)
            elif kind in EVENT_TYPES:
                if post_id is None:
                    report.skip(absent(row.get("PostId")))
                elif row.get("Id") in known_events:
                    report.skip(ALREADY)
                else:
                    known_events[row["Id"]] = 0
                    event = event_for(
                        context, row, kind, state[post_id], users, links, dirty, report
                    )
                    events.append((row["Id"], event))
                    report.take()
            else:
                label = HISTORY_TYPES.get(kind, "unknown")
                report.skip(f"unsupported PostHistoryTypeId {kind} ({label})")
        if not revision_rows:
            continue
        source_post = revision_rows[0].get("PostId") or ""
        post_id = posts.get(source_post)
        if post_id is None:
            tag_id = tag_texts.get(source_post)
            if tag_id is None:
                reason = absent(source_post)
                if reason == TAG_WIKI_POST:
                    reason = "tag excerpt or wiki history: the tag kept its own text"
                report.skip(reason, len(revision_rows))
            elif guid in known_tag_revisions:
                report.skip(ALREADY, len(revision_rows))
            else:
                bodies = [
                    newlines(row.get("Text"))
                    for row in revision_rows
                    if to_int(row.get("PostHistoryTypeId")) in BODY_TYPES
                ]
                if bodies:
                    field = "excerpt" if source_post in excerpts else "wiki_body"
                    tag_changes[tag_id] = (field, bodies[-1])
                tag_revisions.append((guid, tag_id))
                report.take(len(revision_rows))
                report.note("tag wiki history: only the latest text is kept", len(revision_rows))
            continue
        if guid in known_revisions:
            report.skip(ALREADY, len(revision_rows))
            continue
        revision = revision_for(revision_rows, state[post_id], latest, users, report)
        revisions.append((guid, revision))
        report.take(len(revision_rows))

    insert([revision for _, revision in revisions])
    context.remember(SourceKind.REVISION, ((guid, rev.pk) for guid, rev in revisions))
    insert([event for _, event in events])
    context.remember(SourceKind.EVENT, ((source, event.pk) for source, event in events))
    if dirty:
        Post.objects.bulk_update(
            [state[pk] for pk in dirty],
            ["close_notice", "locked_until", "lock_kind", "protected_at"],
        )
    PostLink.objects.bulk_create(links, ignore_conflicts=True)
    if tag_changes:
        tags = Tag.objects.in_bulk(list(tag_changes))
        for tag_id, (field, text) in tag_changes.items():
            setattr(tags[tag_id], field, text[:500] if field == "excerpt" else text)
        Tag.objects.bulk_update(list(tags.values()), ["excerpt", "wiki_body"])
    context.remember(SourceKind.TAG_REVISION, tag_revisions)
