"""Reviewer calibration (docs/rules.md, "Reviewer calibration"): how often each reviewer's
decisions agree with the outcome of the tasks they reviewed, and how they do on audits, in
all, per queue and per month. Counted by the database: a page costs a constant number of
queries whatever the number of reviews."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from moderation.models import Decision, Review, ReviewQueue, ReviewSuspension, TaskState

#: The outcomes of a completed task that each decision agrees with (the outcomes written by
#: ``moderation.reviews`` and ``moderation.services``; an edit keeps the post, as the queues
#: count it).
AGREES_WITH = {
    Decision.CLOSE: ("closed", "close"),
    Decision.LEAVE_OPEN: ("leave open",),
    Decision.EDIT: ("leave open", "looks ok", Decision.EDIT),
    Decision.REOPEN: ("reopened",),
    Decision.LEAVE_CLOSED: ("leave closed",),
    Decision.LOOKS_OK: ("looks ok", Decision.LOOKS_OK),
    Decision.RECOMMEND_DELETION: ("deleted",),
    Decision.FLAG: ("flagged",),
    Decision.APPROVE: ("approved", "improved"),
    Decision.IMPROVE: ("improved",),
    Decision.REJECT: ("rejected",),
}

#: A regular review whose task is completed: skips, audits, pending and invalidated tasks
#: are left out of agreement.
DECIDED = Q(task__is_audit=False, task__state=TaskState.COMPLETED)
AGREES = reduce(
    or_, (Q(decision=decision, task__outcome__in=outs) for decision, outs in AGREES_WITH.items())
)
COUNTS = {
    "reviews": Count("pk", filter=Q(task__is_audit=False)),
    "decided": Count("pk", filter=DECIDED),
    "agreed": Count("pk", filter=DECIDED & AGREES),
    "audits": Count("pk", filter=Q(audit_passed__isnull=False)),
    "audits_passed": Count("pk", filter=Q(audit_passed=True)),
}


@dataclass(frozen=True)
class Calibration:
    reviews: int = 0
    decided: int = 0
    agreed: int = 0
    audits: int = 0
    audits_passed: int = 0

    @classmethod
    def of(cls, row: dict) -> "Calibration":
        return cls(**{name: row[name] for name in COUNTS})

    def __add__(self, other: "Calibration") -> "Calibration":
        return Calibration(*(getattr(self, n) + getattr(other, n) for n in COUNTS))

    @property
    def agreement(self) -> int | None:
        """Agreeing reviews per hundred decided ones, rounded."""
        return round(100 * self.agreed / self.decided) if self.decided else None

    @property
    def audit_pass_rate(self) -> int | None:
        return round(100 * self.audits_passed / self.audits) if self.audits else None


def _reviews():
    return Review.objects.exclude(decision=Decision.SKIP)


def reviewer_rows():
    """Every reviewer with their counts, most reviews first (one row each, for paging)."""
    return (
        _reviews()
        .values("reviewer_id", "reviewer__username", "reviewer__display_name")
        .annotate(**COUNTS)
        .order_by("-reviews", "-audits", "reviewer_id")
    )


@dataclass
class ReviewerRow:
    id: int
    name: str
    calibration: Calibration
    queues: list[tuple[str, int]]
    ban: ReviewSuspension | None


def reviewer_page(rows) -> list[ReviewerRow]:
    """A page of ``reviewer_rows`` with each reviewer's reviews per queue and ban in force:
    two queries whatever the page's size."""
    rows = list(rows)
    ids = [row["reviewer_id"] for row in rows]
    per_queue: dict[int, list[tuple[str, int]]] = {pk: [] for pk in ids}
    for reviewer_id, queue, total in (
        _reviews()
        .filter(reviewer_id__in=ids, task__is_audit=False)
        .values_list("reviewer_id", "task__queue")
        .annotate(total=Count("pk"))
        .order_by("reviewer_id", "task__queue")
    ):
        per_queue[reviewer_id].append((ReviewQueue(queue).label, total))
    bans = {ban.user_id: ban for ban in ReviewSuspension.objects.in_force().filter(user_id__in=ids)}
    return [
        ReviewerRow(
            id=row["reviewer_id"],
            name=row["reviewer__display_name"] or row["reviewer__username"],
            calibration=Calibration.of(row),
            queues=per_queue[row["reviewer_id"]],
            ban=bans.get(row["reviewer_id"]),
        )
        for row in rows
    ]


def calibration_of(*, reviewer) -> Calibration:
    """One reviewer's counts in all (one query)."""
    return Calibration.of(_reviews().filter(reviewer=reviewer).aggregate(**COUNTS))


def reviewer_history(*, reviewer) -> dict:
    """One reviewer's calibration in all, per queue and per month (the month a review was
    cast, newest first), and their review bans: three queries."""
    reviews = _reviews().filter(reviewer=reviewer)
    queues = [
        (ReviewQueue(row["task__queue"]).label, Calibration.of(row))
        for row in reviews.values("task__queue").annotate(**COUNTS).order_by("task__queue")
    ]
    months = [
        (row["month"], Calibration.of(row))
        for row in reviews.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(**COUNTS)
        .order_by("-month")
    ]
    bans = list(
        ReviewSuspension.objects.filter(user=reviewer)
        .select_related("lifted_by")
        .order_by("-starts_at", "-pk")
    )
    total = sum((calibration for _, calibration in queues), Calibration())
    return {"total": total, "queues": queues, "months": months, "bans": bans}
