"""Votes.xml and Badges.xml: counted in the report, not kept. A post's score is the dump's
score (no ``Vote`` rows); a type 1 vote (AcceptedByOriginator) dates the accept."""

from __future__ import annotations

import functools
from datetime import datetime

from dumps.importer.context import Context
from dumps.importer.parsing import parse_time, to_int
from dumps.models import SourceKind
from dumps.report import FileReport
from threads.models import Post

VOTE_TYPES = {
    1: "AcceptedByOriginator",
    2: "UpMod",
    3: "DownMod",
    4: "Offensive",
    5: "Favorite",
    6: "Close",
    7: "Reopen",
    8: "BountyStart",
    9: "BountyClose",
    10: "Deletion",
    11: "Undeletion",
    12: "Spam",
    15: "ModeratorReview",
    16: "ApproveEditSuggestion",
}


@functools.lru_cache(maxsize=64)
def vote_reason(vote_type: str | None) -> str:
    """Why a vote of this ``VoteTypeId`` makes no row (once per type, not per vote)."""
    number = to_int(vote_type, -99)
    label = f"VoteTypeId {vote_type} ({VOTE_TYPES.get(number, 'other')})"
    if number in (2, 3):
        return f"aggregated into post scores: {label}"
    if number == 1:
        return f"dates the accepted answer: {label}"
    return f"not kept: {label}"


def import_votes(context: Context, batch: list[dict], report: FileReport) -> None:
    """No Vote rows (docs/architecture.md: the post's score is the dump's); counted per type,
    and type 1 (AcceptedByOriginator) dates the accept."""
    posts = context.lookup(SourceKind.POST, (row.get("PostId") for row in batch))
    absent = context.absent_reasons(
        row.get("PostId") for row in batch if row.get("PostId") not in posts
    )
    accepted: dict[int, datetime] = {}
    for row in batch:
        post_id = posts.get(row.get("PostId"))
        if post_id is None:
            report.skip(absent(row.get("PostId")))
            continue
        vote_type = row.get("VoteTypeId")
        if to_int(vote_type, -99) == 1:
            when = parse_time(row.get("CreationDate"))
            if when is not None:
                accepted[post_id] = when
        report.skip(vote_reason(vote_type))
    if accepted:
        questions = list(
            Post.objects.filter(accepted_answer_id__in=list(accepted)).only(
                "pk", "accepted_answer_id", "accepted_at"
            )
        )
        changed = [
            question
            for question in questions
            if question.accepted_at != accepted[question.accepted_answer_id]
        ]
        for question in changed:
            question.accepted_at = accepted[question.accepted_answer_id]
        Post.objects.bulk_update(changed, ["accepted_at"])


def import_badges(context: Context, batch: list[dict], report: FileReport) -> None:
    report.skip("badges are not imported", len(batch))
