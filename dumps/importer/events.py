"""PostHistory types 10–20 → ``ModerationEvent`` rows with the historic time; the post's
final state (close notice, lock, protection) follows the last of them. The decisions where
the dump leaves a choice are listed in ``dumps.importer``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from accounts.names import imported_name
from dumps.closing import close_notice
from dumps.importer.context import Context, chunked
from dumps.importer.parsing import parse_json, parse_time, parse_voters
from dumps.models import SourceKind
from dumps.report import FileReport
from moderation.models import EventKind, ModerationEvent
from threads.models import PERMANENT_LOCK_UNTIL, LockKind, Post, PostKind, PostLink, PostLinkKind

EVENT_TYPES = {
    10: EventKind.CLOSED,
    11: EventKind.REOPENED,
    12: EventKind.DELETED,
    13: EventKind.UNDELETED,
    14: EventKind.LOCKED,
    15: EventKind.UNLOCKED,
    19: EventKind.PROTECTED,
    20: EventKind.UNPROTECTED,
}


def post_states(pks: Iterable[int]) -> dict[int, Post]:
    """The posts, with the fields events read and change. The HTML a first revision
    without a body row starts from (``body_html``) is left to load for the rare post that
    needs it: read for every post, it was most of what a batch read."""
    states: dict[int, Post] = {}
    for chunk in chunked(sorted(set(pks))):
        states.update(
            (post.pk, post)
            for post in Post.objects.filter(pk__in=chunk).only(
                "pk",
                "kind",
                "parent_id",
                "title",
                "closed_at",
                "close_notice",
                "locked_until",
                "lock_kind",
                "protected_at",
            )
        )
    return states


def _voters(voters: list[dict], users: dict, report: FileReport) -> list[dict]:
    result = []
    for voter in voters:
        source_id = str(voter["Id"]) if voter.get("Id") is not None else None
        local = users.get(source_id) if source_id else None
        if local is None:
            report.note("voter absent (deleted on the source site): name kept")
        result.append(
            {
                "id": local[0] if local else None,
                "name": imported_name(voter.get("DisplayName")) or (local[1] if local else ""),
                "binding": "BindingReason" in voter or len(voters) == 1,
            }
        )
    return result


def event_for(
    context: Context,
    row: dict,
    kind: int,
    post: Post,
    users: dict,
    links: list[PostLink],
    dirty: set[int],
    report: FileReport,
) -> ModerationEvent:
    """A moderation event for a type 10–20 row; the post's state follows it."""
    when = parse_time(row.get("CreationDate")) or datetime.now(UTC)
    voters_raw, originals = parse_voters(row.get("Text"))
    voters = _voters(voters_raw, users, report)
    actor_id, actor_name = None, "Community"
    if len(voters) == 1:
        actor_id, actor_name = voters[0]["id"], voters[0]["name"] or "Community"
    elif not voters and row.get("UserId") in users:
        actor_id, actor_name = users[row["UserId"]]
    reason = ""
    details: dict = {"source_comment": row["Comment"]} if row.get("Comment") else {}
    extra = parse_json(row.get("Text"))
    if kind == 10:
        sub_reason = extra.get("OffTopicReason")
        resolved = context.reasons.resolve(
            row.get("Comment"), sub_reason if isinstance(sub_reason, str) else None
        )
        duplicates = _duplicates(context, originals) if resolved.is_duplicate else []
        details = close_notice(resolved, voters, duplicates, when)
        reason = resolved.name
        if post.closed_at is not None:  # Posts.xml says it is closed: this notice
            post.close_notice = details
            dirty.add(post.pk)
            links.extend(
                PostLink(
                    post_id=post.pk,
                    target_id=target["id"],
                    kind=PostLinkKind.DUPLICATE,
                    created_at=when,
                )
                for target in duplicates
            )
    elif kind == 11:
        details["voters"] = voters
    else:
        if voters:
            details["voters"] = voters
        if kind == 14:
            # Stack Exchange's rows say neither kind nor end: a permanent historical lock,
            # unless the row comes from our own export (its "Kind" and "Until").
            lock_kind = extra.get("Kind")
            lock_kind = lock_kind if lock_kind in LockKind.values else LockKind.HISTORICAL
            until = parse_time(str(extra.get("Until") or "")) or PERMANENT_LOCK_UNTIL
            reason = LockKind(lock_kind).label
            details.update(
                kind=lock_kind,
                duration="permanent" if until == PERMANENT_LOCK_UNTIL else "timed",
                until=until.isoformat(),
            )
            post.locked_until, post.lock_kind = until, lock_kind
            dirty.add(post.pk)
        elif kind == 15:
            post.locked_until, post.lock_kind = None, ""
            dirty.add(post.pk)
        elif kind == 19:
            post.protected_at = when
            dirty.add(post.pk)
        elif kind == 20:
            post.protected_at = None
            dirty.add(post.pk)
    return ModerationEvent(
        post_id=post.pk,
        question_id=post.pk if post.kind == PostKind.QUESTION else post.parent_id,
        kind=EVENT_TYPES[kind],
        actor_id=actor_id,
        actor_name=(actor_name or "Community")[:60],
        reason=reason[:200],
        details=details,
        policy={"imported_from": context.site},
        created_at=when,
    )


def _duplicates(context: Context, originals: list[str]) -> list[dict]:
    mapped = context.lookup(SourceKind.POST, originals)
    titles = dict(
        Post.objects.filter(pk__in=list(mapped.values()), kind=PostKind.QUESTION).values_list(
            "pk", "title"
        )
    )
    return [
        {"id": mapped[source], "title": titles[mapped[source]]}
        for source in dict.fromkeys(originals)
        if source in mapped and mapped[source] in titles
    ]
