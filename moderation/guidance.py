"""What the asker of an open question is told once others vote to close it (docs/rules.md,
"Close votes"): which reasons the voters chose, as counts without names, with each reason's
guidance, so the question can be fixed before it closes. The question page's notice and the
asker's notification both read it from here."""

from collections import Counter
from dataclasses import dataclass

from moderation.models import CloseVote, VoteState
from threads.models import Post


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    count: int
    guidance: str


def pending_close_reasons(question: Post) -> list[ReasonCount]:
    """The question's pending close votes by reason, most chosen first (one query)."""
    votes = (
        CloseVote.objects.filter(question=question, state=VoteState.PENDING)
        .select_related("reason__parent")
        .order_by("created_at", "pk")
    )
    reasons = {vote.reason_id: vote.reason for vote in votes}
    counts = Counter(vote.reason_id for vote in votes)
    return [
        ReasonCount(
            reason=str(reasons[reason_id]),
            count=count,
            guidance=_guidance(reasons[reason_id]),
        )
        for reason_id, count in counts.most_common()
    ]


def _guidance(reason) -> str:
    """What the asker can do about ``reason``: its own guidance, or its group's."""
    for candidate in (reason, reason.parent):
        if candidate is not None and (candidate.asker_guidance or candidate.post_notice):
            return candidate.asker_guidance or candidate.post_notice
    return reason.brief_description
