"""The review queues table (docs/rules.md, "Review queues"): who may review each queue, which
decisions it offers, and its audits. One place; services and views read it."""

from dataclasses import dataclass

from accounts.privileges import Privilege
from moderation.models import Decision, ReviewQueue


@dataclass(frozen=True)
class QueueSpec:
    queue: ReviewQueue
    privilege: Privilege
    decisions: tuple[Decision, ...]
    description: str
    #: The decision an audit (a post whose right answer is known) expects, if any.
    audit_expects: Decision | None = None

    @property
    def slug(self) -> str:
        return self.queue.value

    @property
    def label(self) -> str:
        return self.queue.label


QUEUES: dict[str, QueueSpec] = {
    spec.slug: spec
    for spec in (
        QueueSpec(
            ReviewQueue.CLOSE,
            Privilege.CAST_CLOSE_VOTES,
            (Decision.CLOSE, Decision.LEAVE_OPEN, Decision.EDIT, Decision.SKIP),
            "Questions with close votes or flagged as needing improvement: close or leave open.",
            audit_expects=Decision.LEAVE_OPEN,
        ),
        QueueSpec(
            ReviewQueue.REOPEN,
            Privilege.CAST_CLOSE_VOTES,
            (Decision.REOPEN, Decision.LEAVE_CLOSED, Decision.SKIP),
            "Closed questions with reopen votes or edited by their askers since closing.",
        ),
        QueueSpec(
            ReviewQueue.FIRST_QUESTIONS,
            Privilege.REVIEW_FIRST_POSTS,
            (Decision.LOOKS_OK, Decision.EDIT, Decision.FLAG, Decision.CLOSE, Decision.SKIP),
            "A new user's first question: welcome it, improve it, or flag or close it.",
            audit_expects=Decision.FLAG,
        ),
        QueueSpec(
            ReviewQueue.FIRST_ANSWERS,
            Privilege.REVIEW_FIRST_POSTS,
            (Decision.LOOKS_OK, Decision.EDIT, Decision.FLAG, Decision.SKIP),
            "A new user's first answer.",
        ),
        QueueSpec(
            ReviewQueue.LATE_ANSWERS,
            Privilege.REVIEW_FIRST_POSTS,
            (Decision.LOOKS_OK, Decision.EDIT, Decision.FLAG, Decision.SKIP),
            "Answers to old questions from users with little reputation.",
        ),
        QueueSpec(
            ReviewQueue.LOW_QUALITY,
            Privilege.REVIEW_LOW_QUALITY,
            (Decision.LOOKS_OK, Decision.EDIT, Decision.RECOMMEND_DELETION, Decision.SKIP),
            "Posts flagged as very low quality or not an answer.",
            audit_expects=Decision.LOOKS_OK,
        ),
        QueueSpec(
            ReviewQueue.SUGGESTED_EDITS,
            Privilege.REVIEW_LOW_QUALITY,
            (Decision.APPROVE, Decision.REJECT, Decision.IMPROVE, Decision.SKIP),
            "Edits suggested by users who can't edit others' posts yet.",
        ),
    )
}


def queue_spec(slug: str) -> QueueSpec | None:
    return QUEUES.get(slug)
